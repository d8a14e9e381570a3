package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Period;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import java.time.Instant;

/**
 * The ledger of the one table: a workspace's period balances and the usage records that move them. Every write is
 * conditional (a record only for a new executionId, a balance by compare-and-set on its revision, an opening only at
 * the workspace's version); a lost race comes back as a result carrying the fresh state, never as a retry hidden in
 * here, so the caller decides. Used by debits, the monthly reset and refunds (which read the balance).
 */
public interface LedgerStore {
    /** The workspace, its balance for {@code period} and, when {@code executionId} is given, that record. */
    LedgerView read(String workspaceId, Period period, String executionId, boolean consistent);

    /**
     * Appends one ledger line in one transaction: the record (only if its executionId is new) and the balance
     * (compare-and-set on {@code before.revision()}, or created whole when {@code before} is null, provided the
     * workspace is still at {@code workspaceVersion}).
     */
    AppendResult append(LedgerAppend append);

    /**
     * Opens a period with no ledger line yet: creates {@code opening} whole, only if that balance does not exist and
     * the workspace is still at {@code workspaceVersion} (the version its allocation was computed from). The twin of
     * {@link #append}'s opening write, so a debit and the monthly reset cannot both create the balance.
     */
    OpenResult open(Balance opening, long workspaceVersion);

    /**
     * Marks the period's balance blocked at its hard limit ({@code blockedAt}), once: true if this call set it, false
     * if it was set before or the balance does not exist. Leaves the ledger and the revision as they are.
     */
    boolean markBlocked(String workspaceId, Period period, Instant at);

    /** What a read found; absent items are null. */
    record LedgerView(Workspace workspace, Balance balance, StoredRecord record) {
    }

    /**
     * A usage record as stored: its activity and model (to tell a replay from a conflict), its exact response body as
     * the debit returned it (a replay returns it unchanged, forever) and, once refunded, the refund (null before).
     */
    record StoredRecord(String activity, String body, Refund refund, ExecutionModel model) {
        /** A record of a run on the platform's model. */
        public StoredRecord(String activity, String body, Refund refund) {
            this(activity, body, refund, ExecutionModel.PLATFORM);
        }
    }

    /**
     * One new ledger line; {@code before} is null when this line opens the period. The store writes the record's body
     * ({@code json.LedgerBodies}), which replays answer byte for byte.
     */
    record LedgerAppend(UsageRecord record, Balance before, Balance after, long workspaceVersion) {
    }

    enum OpenResult {
        /** Created. */
        OPENED,
        /** The balance exists already (a debit or an earlier run opened it): nothing written. */
        ALREADY_OPEN,
        /** The workspace changed since it was read: read it again and recompute the allocation. */
        WORKSPACE_CHANGED,
        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        CONTENTION
    }

    sealed interface AppendResult {
        /** Written; {@code body} is the record's body as stored, the debit's answer. */
        record Committed(String body) implements AppendResult {
        }

        /** The executionId was recorded before: nothing written. */
        record AlreadyRecorded(StoredRecord existing) implements AppendResult {
        }

        /** The balance was not as expected; here it is as it stands (null: the period is not open yet). */
        record BalanceChanged(Balance fresh) implements AppendResult {
        }

        /** Opening the period raced with a workspace change. */
        record WorkspaceChanged() implements AppendResult {
        }

        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        record Contention(String reason) implements AppendResult {
        }
    }

    /** When and why a record was refunded. */
    record Refund(String refundedAt, String reason) {
    }
}
