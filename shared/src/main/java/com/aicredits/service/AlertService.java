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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fires the alerts a balance change reached, each once per workspace and period, and delivers them at least once.
 * A marker is claimed first (conditional put: the alert fires once), then its email and its event go out, each
 * marked when done. A delivery that fails is thrown, so the stream record is retried; the retry finds the marker
 * undelivered and redoes only what is missing. A balance's stream records all come from one shard, which Lambda
 * processes one batch at a time, so no two invocations deliver the same workspace's alerts at once.
 */
public final class AlertService {
    public static final String THRESHOLD_EVENT = "Credit Threshold Reached";

    private final AlertStore store;
    private final Mailer mailer;
    private final EventPublisher events;
    private final AlertEmails emails;

    public AlertService(AlertStore store, Mailer mailer, EventPublisher events, AlertEmails emails) {
        this.store = store;
        this.mailer = mailer;
        this.events = events;
        this.emails = emails;
    }

    /** Handles one change of a balance (see {@link #balanceChanged(List)}). */
    public void balanceChanged(Balance balance, boolean debited, Instant at) {
        balanceChanged(List.of(new BalanceChange(balance, debited, at)));
    }

    /**
     * Handles the changes of one balance, in stream order: fires every alert some debit among them reached (a tier
     * change alone fires nothing until the next debit), with the balance as that debit left it, and delivers what an
     * earlier try left undelivered with the latest balance.
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
        for (AlertMarker marker : markers.values()) {
            if (!marker.delivered()) {
                BalanceChange shown = due.getOrDefault(marker.alert(), latest);
                deliver(workspace, shown.balance(), marker, shown.at());
            }
        }
    }

    private void deliver(Workspace workspace, Balance balance, AlertMarker marker, Instant at) {
        Alert alert = marker.alert();
        if (!marker.published()) {
            events.publish(THRESHOLD_EVENT, thresholdEvent(workspace, balance, alert.threshold(), marker.firedAt()));
            store.markPublished(balance.workspaceId(), balance.period(), alert);
        }
        if (!marker.emailed()) {
            if (workspace.notificationEmails().isEmpty()) {
                Log.info("no notification recipients; the alert is not emailed", "workspaceId", workspace.workspaceId(),
                        "alert", alert.key(), "period", balance.period().toString());
                store.markEmailed(balance.workspaceId(), balance.period(), alert, "no-recipients");
                return;
            }
            String messageId;
            try {
                messageId = mailer.send(alert.kind() == Alert.Kind.FORECAST
                        ? emails.forecast(workspace, balance, Forecast.of(balance, at))
                        : emails.threshold(workspace, balance, alert.threshold(), at));
            } catch (MailDeliveryException e) {
                if (e.outcomeUnknown()) {
                    // Delivery is at least once: the stream's retry sends it again, a second copy if SES had accepted it.
                    store.markEmailUncertain(balance.workspaceId(), balance.period(), alert);
                    Log.warn("the alert email may have been sent; the retry sends it again", "workspaceId", workspace.workspaceId(),
                            "alert", alert.key(), "period", balance.period().toString());
                }
                throw e;
            }
            store.markEmailed(balance.workspaceId(), balance.period(), alert, messageId);
        }
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
