package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Period;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The port to the one table: workspaces, period balances and the usage records of the ledger.
 * Every write is conditional; a lost race comes back as a result carrying the fresh state, never as a retry
 * hidden in here, so the caller decides.
 */
public interface CreditStore {

    /** The workspace alone, read eventually consistently: never for a decision (see the consistent overload). */
    default java.util.Optional<Workspace> findWorkspace(String workspaceId) {
        return findWorkspace(workspaceId, false);
    }

    /**
     * The workspace alone; {@code consistent} for any decision taken from it (a limit, a 404, whom to email): an
     * eventually consistent read can return it as it stood a moment ago, or miss one just created.
     */
    java.util.Optional<Workspace> findWorkspace(String workspaceId, boolean consistent);

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

    /** The workspace (null when absent) and its balances of {@code periods} that exist, in one consistent read. */
    WorkspaceBalances readBalances(String workspaceId, List<Period> periods);

    /**
     * Creates ({@code expectedVersion == 0}) or replaces (at {@code expectedVersion}) a workspace, and in the same
     * transaction moves each of {@code balances} to its settings. Nothing is written unless {@link SaveResult#SAVED}.
     */
    SaveResult saveWorkspace(Workspace workspace, long expectedVersion, List<BalanceMove> balances);

    /** What a workspace write did. */
    enum SaveResult {
        SAVED,
        /** Something read has moved on (the workspace's version, a balance's revision, a balance now open): read again. */
        STALE,
        /** Cancelled for a conflict with another write in flight, or throttled: nothing moved, back off and try again. */
        CONTENTION
    }

    /** What a read found; absent items are null. */
    record LedgerView(Workspace workspace, Balance balance, StoredRecord record) {
    }

    /** A workspace and those of its balances that a read found, by period. */
    record WorkspaceBalances(Workspace workspace, Map<Period, Balance> balances) {
        /** Each of {@code periods} moved by {@code change}: its balance as read and as changed, or its absence. */
        public List<BalanceMove> moved(List<Period> periods, UnaryOperator<Balance> change) {
            return periods.stream().map(period -> {
                Balance before = balances.get(period);
                return new BalanceMove(period, before, before == null ? null : change.apply(before));
            }).toList();
        }
    }

    /**
     * One balance a workspace change moves: {@code before -> after} (compare-and-set on {@code before.revision()}), or,
     * both null, the assertion that the balance of {@code period} still does not exist (so an opening that commits
     * between the read and the write, from the old settings, cancels the change, which is then redone).
     */
    record BalanceMove(Period period, Balance before, Balance after) {
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
     * A recorded run as a refund needs it: its figures, its refund (null before) and its body as lists and the refund
     * answer show it (the debit's body, plus the refund once there is one).
     */
    record RecordedRun(UsageRecord record, Refund refund, String currentBody) {
    }

    /** When and why a record was refunded. */
    record Refund(String refundedAt, String reason) {
    }

    /**
     * Refunds one record in one transaction: marks it (only if not refunded yet), adds the refund's ledger line and
     * moves its period's balance {@code before -> after} (compare-and-set on {@code before.revision()}).
     */
    RefundResult refund(RefundWrite refund);

    /** A record by its executionId (consistent read); empty when the workspace has no such record. */
    java.util.Optional<RecordedRun> findRecord(String workspaceId, String executionId);

    /** The store writes the line's body ({@code json.LedgerBodies}). */
    record RefundWrite(String executionId, Refund refund, RefundLine line, Balance before, Balance after) {
    }

    sealed interface RefundResult {
        /** Written; {@code body} is the record as it now stands, with its refund. */
        record Committed(String body) implements RefundResult {
        }

        /** The record was refunded before (or is gone): nothing written; {@code existing} is null when gone. */
        record AlreadyRefunded(RecordedRun existing) implements RefundResult {
        }

        /** The balance moved since it was read; here it is as it stands. */
        record BalanceChanged(Balance fresh) implements RefundResult {
        }

        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        record Contention(String reason) implements RefundResult {
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
}
