package com.aicredits.domain;

import java.time.Instant;

/**
 * The ledger line of a refund: it takes the refunded record's credits back out of the running total, with the next
 * sequence number of that record's period, so the ledger still adds up line by line. Field order is the response's;
 * {@code entry} tells it from a debit's line, and {@code occurredAt} is the refunded run's (the day it is netted from).
 */
public record RefundLine(
        String executionId,
        String workspaceId,
        String activity,
        Feature feature,
        long creditsConsumed,
        long creditsUsed,
        long creditsRemaining,
        long creditsAllocated,
        long sequence,
        String period,
        String occurredAt,
        String recordedAt,
        String priceVersion,
        String entry,
        String refundReason,
        ExecutionModel model) {

    public static final String ENTRY = "REFUND";

    /** The line that takes {@code after}'s balance back by {@code refunded}'s credits. */
    public static RefundLine of(UsageRecord refunded, Balance after, Instant refundedAt, String reason) {
        return new RefundLine(refunded.executionId(), refunded.workspaceId(), refunded.activity(), refunded.feature(),
                -refunded.creditsConsumed(), after.used(), after.remaining(), after.allocated(), after.sequence(),
                refunded.period(), refunded.occurredAt(), Timestamps.format(refundedAt), refunded.priceVersion(), ENTRY, reason,
                refunded.model() == null ? ExecutionModel.PLATFORM : refunded.model());
    }
}
