package com.aicredits.service;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Balance;
import com.aicredits.domain.BalanceChange;
import com.aicredits.domain.Forecast;
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
 * Fires the alerts a balance change reached, each once per workspace and period, and delivers them at least once.
 * A marker is claimed first (conditional put: the alert fires once), then its event and its email go out, each
 * channel on its own and marked when done (the email per recipient), so that one failing channel, recipient or alert
 * never holds back the others. A delivery that fails for now is thrown (after every other alert of the batch had its
 * turn), so the stream record is retried; the retry finds the marker undelivered and redoes only what is missing. A
 * recipient SES refuses for good is parked: marked, logged, metered, never retried. A send whose outcome is unknown is
 * not repeated before {@link #UNCERTAIN_RESEND_WAIT} (as the monthly reset's summaries). A balance's stream records
 * all come from one shard, which Lambda processes one batch at a time, so no two invocations deliver the same
 * workspace's alerts at once.
 */
public final class AlertService {
    public static final String THRESHOLD_EVENT = "Credit Threshold Reached";
    /**
     * How long after a send whose outcome is unknown (SES may have accepted it) the alert waits before it is sent
     * again: in an SES brownout it spaces the copies out, one a minute at most, as {@link MonthlyReset} does.
     */
    public static final Duration UNCERTAIN_RESEND_WAIT = MonthlyReset.UNCERTAIN_RESEND_WAIT;
    private static final int MAX_REASON_LENGTH = 300;

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
     * Handles the changes of one balance, in stream order: fires every alert some debit among them reached (a tier
     * change alone fires nothing until the next debit), with the balance as that debit left it, and delivers what an
     * earlier try left undelivered with the latest balance. Every undelivered alert gets its try; then the first
     * failure, if any, is thrown (the others suppressed in it).
     */
    public void balanceChanged(List<BalanceChange> changes) {
        BalanceChange latest = changes.getLast();
        Balance balance = latest.balance();
        Optional<Workspace> found = store.workspace(balance.workspaceId());
        if (found.isEmpty()) {
            Log.warn("workspace not found; its balance change is skipped", "workspaceId", balance.workspaceId());
            return;
        }
        Workspace workspace = found.get();
        Map<Alert, AlertMarker> markers = new LinkedHashMap<>();
        store.markers(balance.workspaceId(), balance.period()).forEach(m -> markers.put(m.alert(), m));
        Map<Alert, BalanceChange> due = BalanceChange.due(changes, workspace.effectiveThresholds());
        for (Map.Entry<Alert, BalanceChange> reached : due.entrySet()) {
            Alert alert = reached.getKey();
            Instant at = reached.getValue().at();
            if (!markers.containsKey(alert) && store.claim(balance.workspaceId(), balance.period(), alert, at)) {
                markers.put(alert, new AlertMarker(alert, at, false, alert.kind() == Alert.Kind.FORECAST));
                Metrics.thresholdFired(alert.kind() == Alert.Kind.FORECAST ? "forecast" : Integer.toString(alert.threshold()),
                        balance.period().toString());
            }
        }
        Failures failures = new Failures();
        for (AlertMarker marker : markers.values()) {
            if (!marker.delivered()) {
                BalanceChange shown = due.getOrDefault(marker.alert(), latest);
                failures.run(() -> deliver(workspace, shown.balance(), marker, shown.at()));
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
    private void deliver(Workspace workspace, Balance balance, AlertMarker marker, Instant at) {
        Alert alert = marker.alert();
        Failures failures = new Failures();
        if (!marker.published()) {
            failures.run(() -> {
                events.publish(THRESHOLD_EVENT, thresholdEvent(workspace, balance, alert.threshold(), marker.firedAt()));
                store.markPublished(balance.workspaceId(), balance.period(), alert, clock.instant());
            });
        }
        if (!marker.emailed()) {
            failures.run(() -> email(workspace, balance, marker, at));
        }
        failures.throwFirst();
    }

    private void email(Workspace workspace, Balance balance, AlertMarker marker, Instant at) {
        Alert alert = marker.alert();
        String id = workspace.workspaceId();
        Period period = balance.period();
        if (workspace.notificationEmails().isEmpty()) {
            Log.info("no notification recipients; the alert is not emailed", "workspaceId", id, "alert", alert.key(),
                    "period", period.toString());
            store.markEmailed(id, period, alert, "no-recipients", clock.instant());
            return;
        }
        Email email;
        if (alert.kind() == Alert.Kind.FORECAST) {
            Forecast forecast = Forecast.of(balance, at);
            if (forecast.runsOutOn() == null) {
                // Delivered late (its first sends failed), the forecast no longer holds: usage already reached the
                // allocation (the thresholds say so) or the pace slowed. A forecast that is not true is not sent.
                Log.info("the forecast alert no longer holds; it is dropped, not sent", "workspaceId", id,
                        "alert", alert.key(), "period", period.toString(), "firedAt", marker.firedAt().toString(),
                        "creditsUsed", balance.used(), "creditsAllocated", balance.allocated());
                store.markEmailed(id, period, alert, "dropped-forecast-no-longer-true", clock.instant());
                return;
            }
            email = emails.forecast(workspace, balance, forecast);
        } else {
            email = emails.threshold(workspace, balance, alert.threshold(), at);
        }
        Instant now = clock.instant();
        if (marker.lastUncertainSendAt() != null && now.isBefore(marker.lastUncertainSendAt().plus(UNCERTAIN_RESEND_WAIT))) {
            Duration retryIn = Duration.between(now, marker.lastUncertainSendAt().plus(UNCERTAIN_RESEND_WAIT));
            throw new ResendNotYetDue("the alert " + alert.key() + " of " + id + " may have been sent at "
                    + marker.lastUncertainSendAt() + "; it is sent again in " + retryIn.toSeconds() + " s", retryIn);
        }
        String lastMessageId = null;
        for (String recipient : workspace.notificationEmails()) {
            if (marker.recipientsDone().contains(recipient)) {
                continue;
            }
            try {
                lastMessageId = mailer.send(email.forRecipient(recipient));
            } catch (MailDeliveryException e) {
                if (e.permanent()) {
                    String reason = e.getMessage().length() > MAX_REASON_LENGTH
                            ? e.getMessage().substring(0, MAX_REASON_LENGTH) : e.getMessage();
                    store.markRecipientParked(id, period, alert, recipient, reason, clock.instant());
                    Log.warn("SES refuses the alert email to this recipient for good; it is parked, not retried",
                            "workspaceId", id, "alert", alert.key(), "period", period.toString(), "recipient", recipient,
                            "cause", reason);
                    Metrics.emailParked("alert", period.toString(), reason);
                    continue;
                }
                if (e.outcomeUnknown()) {
                    // Delivery is at least once: a retry after the wait sends it again, a second copy if SES had it.
                    store.markEmailUncertain(id, period, alert, clock.instant());
                    Log.warn("the alert email may have been sent; it is sent again after a wait", "workspaceId", id,
                            "alert", alert.key(), "period", period.toString(), "recipient", recipient,
                            "waitSeconds", UNCERTAIN_RESEND_WAIT.toSeconds());
                }
                throw e;
            }
            store.markRecipientEmailed(id, period, alert, recipient, lastMessageId);
        }
        store.markEmailed(id, period, alert, lastMessageId != null ? lastMessageId : "parked", clock.instant());
    }

    private Map<String, Object> thresholdEvent(Workspace workspace, Balance balance, int threshold, Instant firedAt) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", workspace.workspaceId());
        detail.put("organizationId", workspace.organizationId());
        detail.put("workspaceName", workspace.name());
        detail.put("period", balance.period().toString());
        detail.put("threshold", threshold);
        detail.put("creditsUsed", balance.used());
        detail.put("creditsAllocated", balance.allocated());
        detail.put("percentUsed", Thresholds.percentUsed(balance));
        detail.put("reachedAt", firedAt.toString());
        detail.put("usageUrl", emails.usageLink(balance));
        return detail;
    }
}
