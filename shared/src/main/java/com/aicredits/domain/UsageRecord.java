package com.aicredits.domain;

/**
 * One line of a workspace's ledger, exactly as the API returns it (field order is the response's order).
 * {@code creditsUsed} is the running total after this line; {@code sequence} numbers the period's lines from 1.
 * {@code renewsAt} (the next period's start) is null only in records stored before it existed; {@code model} is null
 * only in the bodies of records stored before BYOS existed: those ran on the platform's model. {@code llmModel}: the LLM
 * model the run named, if it named one.
 */
public record UsageRecord(
        String executionId,
        String workspaceId,
        String activity,
        Feature feature,
        Credits creditsConsumed,
        Credits creditsUsed,
        Credits creditsRemaining,
        Credits creditsAllocated,
        long sequence,
        String period,
        String occurredAt,
        String recordedAt,
        String priceVersion,
        String renewsAt,
        ExecutionModel model,
        String llmModel) {

    /** The line that takes {@code before} to {@code after}. */
    public static UsageRecord between(String executionId, Charge charge, Balance before, Balance after,
                                      java.time.Instant occurredAt, java.time.Instant recordedAt) {
        return new UsageRecord(executionId, after.workspaceId(), charge.price().activity().key(), charge.feature(),
                after.used().minus(before.used()), after.used(), after.remaining(), after.allocated(), after.sequence(),
                after.period().toString(), Timestamps.format(occurredAt), Timestamps.format(recordedAt),
                charge.price().version(), after.period().end().toString(), charge.model(), charge.llmModel());
    }
}
