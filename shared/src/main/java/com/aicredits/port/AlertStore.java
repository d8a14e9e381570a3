package com.aicredits.port;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolMember;
import com.aicredits.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alert markers, one item per ledger owner (a workspace, or an organization's pool), period and alert, kept apart
 * from the balance item; and what an alert's email names (the workspace, or the organization and its workspaces).
 */
public interface AlertStore {
    Optional<Workspace> workspace(String workspaceId);

    /** The organization, read consistently (whom its pool's alerts email). */
    Optional<Organization> organization(String organizationId);

    /**
     * The organization's workspaces (from the index: one created within its lag may be missing) with their balances of
     * {@code period} (read consistently).
     */
    List<PoolMember> poolMembers(String organizationId, Period period);

    List<AlertMarker> markers(LedgerOwner owner, Period period);

    /** A workspace's own markers. */
    default List<AlertMarker> markers(String workspaceId, Period period) {
        return markers(LedgerOwner.workspace(workspaceId), period);
    }

    /** Claims {@code alert} for the period; false if it was claimed before (it fires once). */
    boolean claim(LedgerOwner owner, Period period, Alert alert, Instant firedAt);

    /** Claims a workspace's own {@code alert} for the period (see {@link #claim(LedgerOwner, Period, Alert, Instant)}). */
    default boolean claim(String workspaceId, Period period, Alert alert, Instant firedAt) {
        return claim(LedgerOwner.workspace(workspaceId), period, alert, firedAt);
    }

    /**
     * The alert's email is done for every recipient at {@code at} ({@code messageId}: the last send's, or why none was
     * sent).
     */
    void markEmailed(LedgerOwner owner, Period period, Alert alert, String messageId, Instant at);

    /** The alert's email went to {@code recipient} (each recipient gets a send of their own). */
    void markRecipientEmailed(LedgerOwner owner, Period period, Alert alert, String recipient, String messageId);

    /**
     * The provider refuses the alert's email to {@code recipient} for good: it is parked (done, not sent), with why and
     * when, so that it neither blocks the stream nor is tried again.
     */
    void markRecipientParked(LedgerOwner owner, Period period, Alert alert, String recipient, String reason, Instant at);

    /**
     * Counts a send whose outcome is unknown (SES may have accepted it) at {@code at}: the email may reach its
     * recipient twice; it is not sent again before a wait has passed.
     */
    void markEmailUncertain(LedgerOwner owner, Period period, Alert alert, Instant at);

    /** The alert's event went to the bus at {@code at}. */
    void markPublished(LedgerOwner owner, Period period, Alert alert, Instant at);
}
