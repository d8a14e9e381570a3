package com.aicredits.store;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;

/**
 * The port to the one table: workspaces, period balances and the usage records of the ledger.
 * Every write is conditional; a lost race comes back as a result carrying the fresh state, never as a retry
 * hidden in here, so the caller decides.
 */
public interface CreditStore {

    /** The workspace alone. */
    java.util.Optional<Workspace> findWorkspace(String workspaceId);

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
     * Creates ({@code expectedVersion == 0}) or replaces (at {@code expectedVersion}) a workspace, and in the same
     * transaction moves the current period's balance to its settings: {@code balanceBefore -> balanceAfter}, or
     * asserts that balance still does not exist when both are null.
     */
    boolean saveWorkspace(Workspace workspace, long expectedVersion, Period currentPeriod,
                          Balance balanceBefore, Balance balanceAfter);

    /** What a read found; absent items are null. */
    record LedgerView(Workspace workspace, Balance balance, StoredRecord record) {
    }

    /** A usage record as stored: its activity (to tell a replay from a conflict) and its exact response body. */
    record StoredRecord(String activity, String body) {
    }

    /** One new ledger line; {@code before} is null when this line opens the period. */
    record LedgerAppend(UsageRecord record, String body, Balance before, Balance after, long workspaceVersion) {
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
        /** Written. */
        record Committed() implements AppendResult {
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
