package com.aicredits.domain;

import java.time.Instant;

/**
 * The ledger line of a refund: it takes the refunded record's credits back out of the running total, with the next
 * sequence number of that record's period, so the ledger still adds up line by line. The run's facts are the refunded
 * record's; the line adds the balance after it, when and why. {@code occurredAt} is the refunded run's (the day it is
 * netted from).
 */
public record RefundLine(
        UsageRecord refunded,
        Credits creditsUsed,
        Credits creditsRemaining,
        Credits creditsAllocated,
        long sequence,
        String recordedAt,
        String refundReason) {

    /** What tells a refund's line from a debit's in the ledger (the body's {@code entry}). */
    public static final String ENTRY = "REFUND";

    /** The line that takes {@code after}'s balance back by {@code refunded}'s credits. */
    public static RefundLine of(UsageRecord refunded, Balance after, Instant refundedAt, String reason) {
        return new RefundLine(refunded, after.used(), after.remaining(), after.allocated(), after.sequence(),
                Timestamps.format(refundedAt), reason);
    }

    public String executionId() {
        return refunded.executionId();
    }

    public String workspaceId() {
        return refunded.workspaceId();
    }

    public String activity() {
        return refunded.activity();
    }

    public Feature feature() {
        return refunded.feature();
    }

    /** The refunded credits, negative: the line takes them back. */
    public Credits creditsConsumed() {
        return refunded.creditsConsumed().negated();
    }

    public String period() {
        return refunded.period();
    }

    public String occurredAt() {
        return refunded.occurredAt();
    }

    public String priceVersion() {
        return refunded.priceVersion();
    }

    /** When the refunded run's period renews (the next period's start). */
    public String renewsAt() {
        return Period.parse(refunded.period()).end().toString();
    }

    /** The refunded run's model; a record stored before BYOS existed ran on the platform's. */
    public ExecutionModel model() {
        return refunded.model() == null ? ExecutionModel.PLATFORM : refunded.model();
    }
}
