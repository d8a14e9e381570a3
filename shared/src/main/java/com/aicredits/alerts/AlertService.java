package com.aicredits.alerts;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.Mailer;
import com.aicredits.observability.Log;
import com.aicredits.observability.Metrics;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * Handles the latest state of a balance. {@code debited}: usage grew in this change (only a debit fires alerts; a
     * tier change alone fires nothing until the next debit). {@code at}: when the change happened.
     */
    public void balanceChanged(Balance balance, boolean debited, Instant at) {
        Optional<Workspace> found = store.workspace(balance.workspaceId());
        if (found.isEmpty()) {
            Log.warn("workspace not found; its balance change is skipped", "workspaceId", balance.workspaceId());
            return;
        }
        Workspace workspace = found.get();
        Map<Alert, AlertMarker> markers = new LinkedHashMap<>();
        store.markers(balance.workspaceId(), balance.period()).forEach(m -> markers.put(m.alert(), m));
        if (debited) {
            List<Alert> due = new ArrayList<>();
            Thresholds.reached(balance, workspace.effectiveThresholds()).forEach(t -> due.add(Alert.threshold(t)));
            if (Forecast.runsOutBeforePeriodEnd(balance, at)) {
                due.add(Alert.forecast());
            }
            for (Alert alert : due) {
                if (!markers.containsKey(alert) && store.claim(balance.workspaceId(), balance.period(), alert, at)) {
                    markers.put(alert, new AlertMarker(alert, at, false, alert.kind() == Alert.Kind.FORECAST));
                    Metrics.thresholdFired(alert.kind() == Alert.Kind.FORECAST ? "forecast" : Integer.toString(alert.threshold()),
                            balance.period().toString());
                }
            }
        }
        for (AlertMarker marker : markers.values()) {
            if (!marker.delivered()) {
                deliver(workspace, balance, marker, at);
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
            String messageId = mailer.send(alert.kind() == Alert.Kind.FORECAST
                    ? emails.forecast(workspace, balance, Forecast.of(balance, at))
                    : emails.threshold(workspace, balance, alert.threshold(), at));
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
