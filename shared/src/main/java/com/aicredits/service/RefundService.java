package com.aicredits.service;

import com.aicredits.domain.Balance;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Timestamps;
import com.aicredits.domain.UsageRecord;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.RefundStore.RecordedRun;
import com.aicredits.port.RefundStore.RefundResult;
import com.aicredits.port.RefundStore;
import java.time.Clock;
import java.time.Instant;

/**
 * Refunds a recorded execution once. One transaction marks the record (only if not refunded yet), appends the refund's
 * line to that record's period ledger and returns the credits to that period's balance (compare-and-set on its
 * revision, like a debit). A second refund finds the mark and changes nothing. The record's stored body, which a
 * debit replay returns, is never rewritten.
 */
public final class RefundService {
    static final int MAX_REASON_LENGTH = 500;

    private final LedgerStore ledger;
    private final RefundStore store;
    private final Clock clock;
    private final Retries retries;

    /** {@code store}: the ledger (a refund reads its period's balance) and its refunds, as the one table is both. */
    public <S extends LedgerStore & RefundStore> RefundService(S store, Clock clock, Retries retries) {
        this.ledger = store;
        this.store = store;
        this.clock = clock;
        this.retries = retries;
    }

    /** The body of {@code POST .../executions/{executionId}/refund}. */
    public record RefundRequest(String reason) {
    }

    /** The record as it now stands (with its refund), and whether this call refunded it. */
    public record Refunded(String body, boolean refundedNow) {
    }

    public Refunded refund(String workspaceId, String executionId, RefundRequest request) {
        Ids.workspaceId(workspaceId);
        Ids.executionId(executionId);
        String reason = checkedReason(request);
        RecordedRun stored = store.findRecord(workspaceId, executionId).orElseThrow(() -> new CreditsException(Refusal.UNKNOWN_EXECUTION, "workspace " + workspaceId + " has no recorded execution " + executionId));
        UsageRecord record = stored.record();
        Period period = Period.parse(record.period());
        Balance balance = null;
        PoolBalance pool = null;
        Retries.Deadline deadline = retries.start();
        for (boolean again = true; again; ) {
            if (stored.refund() != null) {
                return new Refunded(stored.currentBody(), false);
            }
            if (balance == null) {
                balance = ledger.read(workspaceId, period, null, true).balance();
                pool = null;
            }
            if (balance.pooled() && pool == null) {
                // The credits go back to the pool the workspace draws from now (its used is the sum of its workspaces').
                pool = ledger.readPool(balance.organizationId(), period, true).pool();
            }
            Balance after = balance.refund(record);
            PoolBalance poolAfter = balance.pooled() ? new PoolBalance(pool.enabled(), pool.ledger().refund(record)) : null;
            Instant now = clock.instant();
            LedgerStore.Refund refund = new LedgerStore.Refund(Timestamps.format(now), reason);
            RefundLine line = RefundLine.of(record, after, now, reason);
            switch (store.refund(new RefundStore.RefundWrite(executionId, refund, line, balance, after,
                    balance.pooled() ? pool : null, poolAfter))) {
                case RefundResult.Committed committed -> {
                    return new Refunded(committed.body(), true);
                }
                case RefundResult.AlreadyRefunded already -> {
                    if (already.existing() == null) {
                        throw new CreditsException(Refusal.UNKNOWN_EXECUTION, "workspace " + workspaceId + " has no recorded execution " + executionId);
                    }
                    stored = already.existing();
                }
                case RefundResult.BalanceChanged changed -> {
                    // Another line committed first and its balance came back: at once, as a debit does.
                    balance = changed.fresh();
                    pool = null;
                    again = deadline.timeLeft();
                }
                case RefundResult.PoolChanged changed -> {
                    pool = changed.fresh();
                    again = deadline.timeLeft();
                }
                case RefundResult.Contention contention -> again = deadline.backOff();
            }
        }
        throw new CreditsException(Refusal.CONTENTION, "the workspace's balance is too busy right now; retry the refund");
    }

    private static String checkedReason(RefundRequest request) {
        String reason = request == null ? null : request.reason();
        if (reason == null || reason.isBlank()) {
            throw CreditsException.invalid("reason", "reason is required: say why the credits are returned");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw CreditsException.invalid("reason", "reason must be at most " + MAX_REASON_LENGTH + " characters");
        }
        return reason;
    }
}
