package com.aicredits.domain;

/**
 * One line of a workspace's ledger, exactly as the API returns it (field order is the response's order).
 * {@code creditsUsed} is the running total after this line; {@code sequence} numbers the period's lines from 1.
 * {@code renewsAt} (the next period's start) is null only in records stored before it existed; {@code model} is null
 * only in the bodies of records stored before BYOS existed: those ran on the platform's model. {@code llmModel}: the LLM
 * model the run named, if it named one. {@code pool}: "organization" when the run drew from its organization's pool (the
 * figures and the sequence are then the pool's), else null.
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
        String llmModel,
        String pool) {

    /** A line of the workspace's own ledger. */
    public UsageRecord(String executionId, String workspaceId, String activity, Feature feature, Credits creditsConsumed,
                       Credits creditsUsed, Credits creditsRemaining, Credits creditsAllocated, long sequence, String period,
                       String occurredAt, String recordedAt, String priceVersion, String renewsAt, ExecutionModel model,
                       String llmModel) {
        this(executionId, workspaceId, activity, feature, creditsConsumed, creditsUsed, creditsRemaining, creditsAllocated,
                sequence, period, occurredAt, recordedAt, priceVersion, renewsAt, model, llmModel, null);
    }

    /** The line that takes {@code before} to {@code after}. */
    public static UsageRecord between(String executionId, Charge charge, Balance before, Balance after,
                                      java.time.Instant occurredAt, java.time.Instant recordedAt) {
        return new UsageRecord(executionId, after.workspaceId(), charge.price().activity().key(), charge.feature(),
                after.used().minus(before.used()), after.used(), after.remaining(), after.allocated(), after.sequence(),
                after.period().toString(), Timestamps.format(occurredAt), Timestamps.format(recordedAt),
                charge.price().version(), after.period().end().toString(), charge.model(), charge.llmModel());
    }

    /** The line of a pooled run: the workspace's record with the pool's figures and sequence. */
    public static UsageRecord pooled(String executionId, Charge charge, PoolBalance before, PoolBalance after,
                                     Balance workspaceAfter, java.time.Instant occurredAt, java.time.Instant recordedAt) {
        Balance pool = after.ledger();
        return new UsageRecord(executionId, workspaceAfter.workspaceId(), charge.price().activity().key(), charge.feature(),
                pool.used().minus(before.ledger().used()), pool.used(), pool.remaining(), pool.allocated(), pool.sequence(),
                pool.period().toString(), Timestamps.format(occurredAt), Timestamps.format(recordedAt),
                charge.price().version(), pool.period().end().toString(), charge.model(), charge.llmModel(),
                PoolBalance.ORGANIZATION);
    }
}
