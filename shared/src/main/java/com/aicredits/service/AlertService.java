package com.aicredits.service;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Balance;
import com.aicredits.domain.BalanceChange;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PoolMember;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.AlertEmails;
import com.aicredits.observability.Log;
import com.aicredits.observability.Metrics;
import com.aicredits.port.AlertStore;
import com.aicredits.port.EventPublisher;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import com.aicredits.domain.Period;
import com.aicredits.mail.Email;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fires the alerts a balance change reached, each once per ledger owner (a workspace on its own allocation, or an
 * organization's credit pool) and period, and delivers them at least once.
 * A marker is claimed first (conditional put: the alert fires once), then its event and its email go out, each
 * channel on its own and marked when done (the email per recipient), so that one failing channel, recipient or alert
 * never holds back the others. A delivery that fails for now is thrown (after every other alert of the batch had its
 * turn), so the stream record is retried; the retry finds the marker undelivered and redoes only what is missing. A
 * recipient SES refuses for good is parked: marked, logged, metered, never retried. A send whose outcome is unknown is
 * not repeated before {@link #UNCERTAIN_RESEND_WAIT} (as the monthly reset's summaries). A balance's stream records
 * all come from one shard, which Lambda processes one batch at a time, so no two invocations deliver the same
 * workspace's (or pool's) alerts at once.
 */
public final class AlertService {
    public static final String THRESHOLD_EVENT = "Credit Threshold Reached";
    /**
     * How long after a send whose outcome is unknown (SES may have accepted it) the alert waits before it is sent
     * again: in an SES brownout it spaces the copies out, one a minute at most, as {@link MonthlyReset} does.
     */
    public static final Duration UNCERTAIN_RESEND_WAIT = MonthlyReset.UNCERTAIN_RESEND_WAIT;

    /**
     * An alert whose email may already have been accepted and may not be sent again before {@link #retryIn()}: the
     * stream's retry comes back for it (the handler may wait that long first).
     */
    public static final class ResendNotYetDue extends RuntimeException {
        private final transient Duration retryIn;

        ResendNotYetDue(String message, Duration retryIn) {
            super(message);
            this.retryIn = retryIn;
        }

        public Duration retryIn() {
            return retryIn;
        }
    }

    private final AlertStore store;
    private final Mailer mailer;
    private final EventPublisher events;
    private final AlertEmails emails;
    private final Clock clock;

    public AlertService(AlertStore store, Mailer mailer, EventPublisher events, AlertEmails emails, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.events = events;
        this.emails = emails;
        this.clock = clock;
    }

    /** Handles one change of a balance (see {@link #balanceChanged(List)}). */
    public void balanceChanged(Balance balance, boolean debited, Instant at) {
        balanceChanged(List.of(new BalanceChange(balance, debited, at)));
    }

    /**
     * Handles the changes of one workspace's balance, in stream order: fires every alert some debit among them reached
     * (a tier change alone fires nothing until the next debit), with the balance as that debit left it, and delivers
     * what an earlier try left undelivered with the latest balance. Every undelivered alert gets its try; then the
     * first failure, if any, is thrown (the others suppressed in it). A change of a balance drawing from its
     * organization's pool fires nothing: the pool's thresholds count, not the workspace's ({@link #poolChanged}).
     */
    public void balanceChanged(List<BalanceChange> changes) {
        Balance balance = changes.getLast().balance();
        Optional<Workspace> found = store.workspace(balance.workspaceId());
        if (found.isEmpty()) {
            Log.warn("workspace not found; its balance change is skipped", "workspaceId", balance.workspaceId());
            return;
        }
        Workspace workspace = found.get();
        List<BalanceChange> ownAllocation = changes.stream().filter(change -> !change.balance().pooled()).toList();
        fire(new WorkspaceAlerts(workspace), changes, ownAllocation, workspace.effectiveThresholds());
    }

    /**
     * Handles the changes of one organization's pool balance ({@link com.aicredits.domain.PoolBalance#ledger()}, whose
     * workspaceId is the organization's), as {@link #balanceChanged(List)} handles a workspace's: the pool's thresholds
     * and forecast, once per organization and period, emailed to the pool's recipients with its usage by workspace.
     * Only changes of an enabled pool may count as debits (the caller says so in {@link BalanceChange#debited()}).
     */
    public void poolChanged(List<BalanceChange> changes) {
        Balance pool = changes.getLast().balance();
        String organizationId = pool.organizationId();
        Optional<Organization> found = store.organization(organizationId);
        if (found.isEmpty() || found.get().creditPool() == null) {
            Log.warn("organization or its credit pool not found; its pool's change is skipped", "organizationId", organizationId);
            return;
        }
        Organization organization = found.get();
        List<PoolMember> members = store.poolMembers(organizationId, pool.period());
        List<Integer> thresholds = organization.creditPool().effectiveThresholds(
                PoolSwitch.allLegacy(members.stream().map(PoolMember::workspace).toList()));
        fire(new PoolAlerts(organization, members), changes, changes, thresholds);
    }

    /**
     * Whose alerts they are and what their deliveries say: a workspace on its own allocation, or an organization's
     * pool. The markers, claims and delivery steps are the same for both.
     */
    private interface Alerted {
        LedgerOwner owner();

        /** The log field naming the owner. */
        String idField();

        List<String> recipients();

        Email threshold(Balance balance, int threshold, Instant at);

        Email forecast(Balance balance, Forecast forecast);

        Map<String, Object> event(Balance balance, int threshold, Instant firedAt);
    }

    private final class WorkspaceAlerts implements Alerted {
        private final Workspace workspace;

        WorkspaceAlerts(Workspace workspace) {
            this.workspace = workspace;
        }

        @Override
        public LedgerOwner owner() {
            return LedgerOwner.workspace(workspace.workspaceId());
        }

        @Override
        public String idField() {
            return "workspaceId";
        }

        @Override
        public List<String> recipients() {
            return workspace.notificationEmails();
        }

        @Override
        public Email threshold(Balance balance, int threshold, Instant at) {
            return emails.threshold(workspace, balance, threshold, at);
        }

        @Override
        public Email forecast(Balance balance, Forecast forecast) {
            return emails.forecast(workspace, balance, forecast);
        }

        @Override
        public Map<String, Object> event(Balance balance, int threshold, Instant firedAt) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("workspaceId", workspace.workspaceId());
            detail.put("organizationId", workspace.organizationId());
            detail.put("workspaceName", workspace.name());
            detail.putAll(figures(balance, threshold, firedAt));
            detail.put("usageUrl", emails.usageLink(balance));
            return detail;
        }
    }

    private final class PoolAlerts implements Alerted {
        private final Organization organization;
        private final List<PoolMember> members;

        PoolAlerts(Organization organization, List<PoolMember> members) {
            this.organization = organization;
            this.members = members;
        }

        @Override
        public LedgerOwner owner() {
            return LedgerOwner.organization(organization.organizationId());
        }

        @Override
        public String idField() {
            return "organizationId";
        }

        @Override
        public List<String> recipients() {
            return organization.creditPool().notificationEmails();
        }

        @Override
        public Email threshold(Balance balance, int threshold, Instant at) {
            return emails.poolThreshold(organization, members, balance, threshold, at);
        }

        @Override
        public Email forecast(Balance balance, Forecast forecast) {
            return emails.poolForecast(organization, members, balance, forecast);
        }

        @Override
        public Map<String, Object> event(Balance balance, int threshold, Instant firedAt) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("pool", PoolBalance.ORGANIZATION);
            detail.put("organizationId", organization.organizationId());
            detail.put("organizationName", organization.name());
            detail.putAll(figures(balance, threshold, firedAt));
            detail.put("usageUrl", emails.poolUsageLink(balance));
            return detail;
        }
    }

    /**
     * Claims what {@code firing} reached (each alert with the first change that reached it) and delivers every
     * undelivered alert of the owner's period, with the balance that reached it, else the latest of {@code changes}.
     */
    private void fire(Alerted alerted, List<BalanceChange> changes, List<BalanceChange> firing, List<Integer> thresholds) {
        BalanceChange latest = changes.getLast();
        Period period = latest.balance().period();
        LedgerOwner owner = alerted.owner();
        Map<Alert, AlertMarker> markers = new LinkedHashMap<>();
        store.markers(owner, period).forEach(m -> markers.put(m.alert(), m));
        Map<Alert, BalanceChange> due = BalanceChange.due(firing, thresholds);
        for (Map.Entry<Alert, BalanceChange> reached : due.entrySet()) {
            Alert alert = reached.getKey();
            Instant at = reached.getValue().at();
            if (!markers.containsKey(alert) && store.claim(owner, period, alert, at)) {
                markers.put(alert, new AlertMarker(alert, at, false, alert.kind() == Alert.Kind.FORECAST));
                Metrics.thresholdFired(alert.kind() == Alert.Kind.FORECAST ? "forecast" : Integer.toString(alert.threshold()),
                        period.toString());
            }
        }
        Failures failures = new Failures();
        for (AlertMarker marker : markers.values()) {
            if (!marker.delivered()) {
                BalanceChange shown = due.getOrDefault(marker.alert(), latest);
                failures.run(() -> deliver(alerted, shown.balance(), marker, shown.at()));
            }
        }
        failures.throwFirst();
    }

    /** Runs each step, keeps the first failure (the rest suppressed in it) and throws it at the end. */
    private static final class Failures {
        private RuntimeException first;

        void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }

        void throwFirst() {
            if (first != null) {
                throw first;
            }
        }
    }

    /** The event and the email, each on its own: a failing bus never holds back the email, nor the other way. */
    private void deliver(Alerted alerted, Balance balance, AlertMarker marker, Instant at) {
        Alert alert = marker.alert();
        Failures failures = new Failures();
        if (!marker.published()) {
            failures.run(() -> {
                events.publish(THRESHOLD_EVENT, alerted.event(balance, alert.threshold(), marker.firedAt()));
                store.markPublished(alerted.owner(), balance.period(), alert, clock.instant());
            });
        }
        if (!marker.emailed()) {
            failures.run(() -> email(alerted, balance, marker, at));
        }
        failures.throwFirst();
    }

    private void email(Alerted alerted, Balance balance, AlertMarker marker, Instant at) {
        Alert alert = marker.alert();
        LedgerOwner owner = alerted.owner();
        String idField = alerted.idField();
        String id = owner.id();
        Period period = balance.period();
        if (alerted.recipients().isEmpty()) {
            Log.info("no notification recipients; the alert is not emailed", idField, id, "alert", alert.key(),
                    "period", period.toString());
            store.markEmailed(owner, period, alert, "no-recipients", clock.instant());
            return;
        }
        Email email;
        if (alert.kind() == Alert.Kind.FORECAST) {
            Forecast forecast = Forecast.of(balance, at);
            if (forecast.runsOutOn() == null) {
                // Delivered late (its first sends failed), the forecast no longer holds: usage already reached the
                // allocation (the thresholds say so) or the pace slowed. A forecast that is not true is not sent.
                Log.info("the forecast alert no longer holds; it is dropped, not sent", idField, id,
                        "alert", alert.key(), "period", period.toString(), "firedAt", marker.firedAt().toString(),
                        "creditsUsed", balance.used(), "creditsAllocated", balance.allocated());
                store.markEmailed(owner, period, alert, "dropped-forecast-no-longer-true", clock.instant());
                return;
            }
            email = alerted.forecast(balance, forecast);
        } else {
            email = alerted.threshold(balance, alert.threshold(), at);
        }
        Instant now = clock.instant();
        if (marker.lastUncertainSendAt() != null && now.isBefore(marker.lastUncertainSendAt().plus(UNCERTAIN_RESEND_WAIT))) {
            Duration retryIn = Duration.between(now, marker.lastUncertainSendAt().plus(UNCERTAIN_RESEND_WAIT));
            throw new ResendNotYetDue("the alert " + alert.key() + " of " + owner + " may have been sent at "
                    + marker.lastUncertainSendAt() + "; it is sent again in " + retryIn.toSeconds() + " s", retryIn);
        }
        String lastMessageId = null;
        for (String recipient : alerted.recipients()) {
            if (marker.recipientsDone().contains(recipient)) {
                continue;
            }
            try {
                lastMessageId = mailer.send(email.forRecipient(recipient));
            } catch (MailDeliveryException e) {
                if (e.permanent()) {
                    String reason = e.reason();
                    store.markRecipientParked(owner, period, alert, recipient, reason, clock.instant());
                    Log.warn("SES refuses the alert email to this recipient for good; it is parked, not retried",
                            idField, id, "alert", alert.key(), "period", period.toString(), "recipient", recipient,
                            "cause", reason);
                    Metrics.emailParked("alert", period.toString(), reason);
                    continue;
                }
                if (e.outcomeUnknown()) {
                    // Delivery is at least once: a retry after the wait sends it again, a second copy if SES had it.
                    store.markEmailUncertain(owner, period, alert, clock.instant());
                    Log.warn("the alert email may have been sent; it is sent again after a wait", idField, id,
                            "alert", alert.key(), "period", period.toString(), "recipient", recipient,
                            "waitSeconds", UNCERTAIN_RESEND_WAIT.toSeconds());
                }
                throw e;
            }
            store.markRecipientEmailed(owner, period, alert, recipient, lastMessageId);
        }
        store.markEmailed(owner, period, alert, lastMessageId != null ? lastMessageId : "parked", clock.instant());
    }

    /** The event's figures, the same for a workspace's alert and a pool's. */
    private static Map<String, Object> figures(Balance balance, int threshold, Instant firedAt) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("period", balance.period().toString());
        detail.put("threshold", threshold);
        detail.put("creditsUsed", balance.used());
        detail.put("creditsAllocated", balance.allocated());
        detail.put("percentUsed", Thresholds.percentUsed(balance));
        detail.put("reachedAt", firedAt.toString());
        if (balance.blockedAt() != null) {
            // Paid runs are refused at the hard limit (its own alert fires then): a rule can match on it.
            detail.put("blockedAt", balance.blockedAt().toString());
        }
        return detail;
    }
}
