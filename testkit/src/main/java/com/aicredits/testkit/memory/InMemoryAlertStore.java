package com.aicredits.testkit.memory;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Period;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AlertStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link AlertStore} in memory, beside an {@link InMemoryCreditStore} (whose workspaces it reads), with the DynamoDB
 * adapter's contract: an alert claimed once per workspace and period (a forecast claimed as published: it has no
 * event), each delivery step marked on the marker; marking a marker never claimed fails, as the table's condition does.
 */
public final class InMemoryAlertStore implements AlertStore {
    private final InMemoryCreditStore credits;
    private final Map<String, AlertMarker> markers = new LinkedHashMap<>();

    public InMemoryAlertStore(InMemoryCreditStore credits) {
        this.credits = credits;
    }

    @Override
    public Optional<Workspace> workspace(String workspaceId) {
        return credits.findWorkspace(workspaceId, true);
    }

    @Override
    public synchronized List<AlertMarker> markers(String workspaceId, Period period) {
        String prefix = workspaceId + "#" + period + "#";
        return markers.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    }

    @Override
    public synchronized boolean claim(String workspaceId, Period period, Alert alert, Instant firedAt) {
        return markers.putIfAbsent(key(workspaceId, period, alert),
                new AlertMarker(alert, firedAt, false, alert.kind() == Alert.Kind.FORECAST)) == null;
    }

    @Override
    public void markEmailed(String workspaceId, Period period, Alert alert, String messageId, Instant at) {
        update(workspaceId, period, alert, m -> new AlertMarker(m.alert(), m.firedAt(), true, m.published(), m.recipientsDone(),
                m.lastUncertainSendAt()));
    }

    @Override
    public void markRecipientEmailed(String workspaceId, Period period, Alert alert, String recipient, String messageId) {
        update(workspaceId, period, alert, m -> withRecipient(m, recipient));
    }

    @Override
    public void markRecipientParked(String workspaceId, Period period, Alert alert, String recipient, String reason, Instant at) {
        update(workspaceId, period, alert, m -> withRecipient(m, recipient));
    }

    @Override
    public void markEmailUncertain(String workspaceId, Period period, Alert alert, Instant at) {
        update(workspaceId, period, alert, m -> new AlertMarker(m.alert(), m.firedAt(), m.emailed(), m.published(),
                m.recipientsDone(), at));
    }

    @Override
    public void markPublished(String workspaceId, Period period, Alert alert, Instant at) {
        update(workspaceId, period, alert, m -> new AlertMarker(m.alert(), m.firedAt(), m.emailed(), true, m.recipientsDone(),
                m.lastUncertainSendAt()));
    }

    private static AlertMarker withRecipient(AlertMarker marker, String recipient) {
        Set<String> done = new HashSet<>(marker.recipientsDone());
        done.add(recipient);
        return new AlertMarker(marker.alert(), marker.firedAt(), marker.emailed(), marker.published(), done,
                marker.lastUncertainSendAt());
    }

    private synchronized void update(String workspaceId, Period period, Alert alert,
                                     java.util.function.UnaryOperator<AlertMarker> change) {
        String key = key(workspaceId, period, alert);
        AlertMarker marker = markers.get(key);
        if (marker == null) {
            throw new IllegalStateException("no marker " + key + " (the table's condition attribute_exists(PK) fails)");
        }
        markers.put(key, change.apply(marker));
    }

    /**
     * The markers of an organization's credit pool for the period: on the table, a workspace's marker items on the
     * organization's partition ({@code ORG#<id>}); here, under that partition's name, apart from every workspace's.
     */
    public synchronized List<AlertMarker> poolMarkers(String organizationId, Period period) {
        return markers(POOL_PARTITION + organizationId, period);
    }

    /** Claims {@code alert} of the organization's pool for the period; false if it was claimed before. */
    public synchronized boolean claimForPool(String organizationId, Period period, Alert alert, Instant firedAt) {
        return claim(POOL_PARTITION + organizationId, period, alert, firedAt);
    }

    private static final String POOL_PARTITION = "ORG#";

    private static String key(String workspaceId, Period period, Alert alert) {
        return workspaceId + "#" + period + "#" + alert.key();
    }
}
