package com.aicredits.client;

/**
 * One line of a workspace's ledger as the API returns it: {@code creditsUsed} is the running total after this line,
 * {@code sequence} its number in the period; {@code model} is PLATFORM or BYOS (null on records stored before BYOS: those
 * are PLATFORM runs). Fields a newer server adds are ignored.
 */
public record UsageRecord(String executionId, String workspaceId, String activity, String feature, long creditsConsumed,
                          long creditsUsed, long creditsRemaining, long creditsAllocated, long sequence, String period,
                          String occurredAt, String recordedAt, String priceVersion, String model) {
}
