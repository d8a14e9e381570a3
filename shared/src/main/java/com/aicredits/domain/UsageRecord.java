package com.aicredits.domain;

/**
 * One line of a workspace's ledger, exactly as the API returns it (field order is the response's order).
 * {@code creditsUsed} is the running total after this line; {@code sequence} numbers the period's lines from 1.
 * {@code model} is null only in the bodies of records stored before BYOS existed: those ran on the platform's model.
 */
public record UsageRecord(
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
        ExecutionModel model) {

    /** The line that takes {@code before} to {@code after}. */
    public static UsageRecord between(String executionId, Charge charge, Balance before, Balance after,
                                      java.time.Instant occurredAt, java.time.Instant recordedAt) {
        return new UsageRecord(executionId, after.workspaceId(), charge.price().activity().key(), charge.feature(),
                after.used() - before.used(), after.used(), after.remaining(), after.allocated(), after.sequence(),
                after.period().toString(), Timestamps.format(occurredAt), Timestamps.format(recordedAt),
                charge.price().version(), charge.model());
    }
}
