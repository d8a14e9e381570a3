package com.aicredits.port;

import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Balance;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.UsageRecord;

/** Refunds: a recorded run read back, and its refund written once with its ledger line. */
public interface RefundStore {
    /**
     * A recorded run as a refund needs it: its figures, its refund (null before) and its body as lists and the refund
     * answer show it (the debit's body, plus the refund once there is one).
     */
    record RecordedRun(UsageRecord record, LedgerStore.Refund refund, String currentBody) {
    }

    /**
     * Refunds one record in one transaction: marks it (only if not refunded yet), adds the refund's ledger line and
     * moves its period's balance {@code before -> after} (compare-and-set on {@code before.revision()}).
     */
    RefundResult refund(RefundWrite refund);

    /** A record by its executionId (consistent read); empty when the workspace has no such record. */
    java.util.Optional<RecordedRun> findRecord(String workspaceId, String executionId);

    /**
     * The store writes the line's body ({@code json.LedgerBodies}). {@code poolBefore -> poolAfter}: the pool's balance
     * moved too (compare-and-set), when the workspace's balance draws from its organization's pool; else both null.
     */
    record RefundWrite(String executionId, LedgerStore.Refund refund, RefundLine line, Balance before, Balance after,
                       PoolBalance poolBefore, PoolBalance poolAfter) {
        /** A refund in a workspace on its own allocation. */
        public RefundWrite(String executionId, LedgerStore.Refund refund, RefundLine line, Balance before, Balance after) {
            this(executionId, refund, line, before, after, null, null);
        }
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

        /** The pool's balance moved since it was read; here it is as it stands. */
        record PoolChanged(PoolBalance fresh) implements RefundResult {
        }

        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        record Contention(String reason) implements RefundResult {
        }
    }
}
