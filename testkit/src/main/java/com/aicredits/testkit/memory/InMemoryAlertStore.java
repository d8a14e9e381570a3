package com.aicredits.testkit.memory;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolMember;
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
 * adapter's contract: an alert claimed once per ledger owner (workspace or organization) and period (a forecast claimed as published: it has no
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
    public Optional<Organization> organization(String organizationId) {
        return credits.findOrganization(organizationId, true);
    }

    @Override
    public List<PoolMember> poolMembers(String organizationId, Period period) {
        return credits.poolMembers(organizationId, period);
    }

    @Override
    public synchronized List<AlertMarker> markers(LedgerOwner owner, Period period) {
        String prefix = owner + "#" + period + "#";
        return markers.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
    }

    @Override
    public synchronized boolean claim(LedgerOwner owner, Period period, Alert alert, Instant firedAt) {
        return markers.putIfAbsent(key(owner, period, alert),
                new AlertMarker(alert, firedAt, false, alert.kind() == Alert.Kind.FORECAST)) == null;
    }

    @Override
    public void markEmailed(LedgerOwner owner, Period period, Alert alert, String messageId, Instant at) {
        update(owner, period, alert, m -> new AlertMarker(m.alert(), m.firedAt(), true, m.published(), m.recipientsDone(),
                m.lastUncertainSendAt()));
    }

    @Override
    public void markRecipientEmailed(LedgerOwner owner, Period period, Alert alert, String recipient, String messageId) {
        update(owner, period, alert, m -> withRecipient(m, recipient));
    }

    @Override
    public void markRecipientParked(LedgerOwner owner, Period period, Alert alert, String recipient, String reason, Instant at) {
        update(owner, period, alert, m -> withRecipient(m, recipient));
    }

    @Override
    public void markEmailUncertain(LedgerOwner owner, Period period, Alert alert, Instant at) {
        update(owner, period, alert, m -> new AlertMarker(m.alert(), m.firedAt(), m.emailed(), m.published(),
                m.recipientsDone(), at));
    }

    @Override
    public void markPublished(LedgerOwner owner, Period period, Alert alert, Instant at) {
        update(owner, period, alert, m -> new AlertMarker(m.alert(), m.firedAt(), m.emailed(), true, m.recipientsDone(),
                m.lastUncertainSendAt()));
    }

    private static AlertMarker withRecipient(AlertMarker marker, String recipient) {
        Set<String> done = new HashSet<>(marker.recipientsDone());
        done.add(recipient);
        return new AlertMarker(marker.alert(), marker.firedAt(), marker.emailed(), marker.published(), done,
                marker.lastUncertainSendAt());
    }

    private synchronized void update(LedgerOwner owner, Period period, Alert alert,
                                     java.util.function.UnaryOperator<AlertMarker> change) {
        String key = key(owner, period, alert);
        AlertMarker marker = markers.get(key);
        if (marker == null) {
            throw new IllegalStateException("no marker " + key + " (the table's condition attribute_exists(PK) fails)");
        }
        markers.put(key, change.apply(marker));
    }

    private static String key(LedgerOwner owner, Period period, Alert alert) {
        return owner + "#" + period + "#" + alert.key();
    }
}
