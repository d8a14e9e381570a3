package com.aicredits.client;

import java.math.BigDecimal;

/**
 * One line of a workspace's ledger as the API returns it: {@code creditsUsed} is the running total after this line,
 * {@code sequence} its number in the period; {@code model} is PLATFORM or BYOS (null on records stored before BYOS: those
 * are PLATFORM runs). Fields a newer server adds are ignored.
 *
 * <p>Credit amounts are exact {@link BigDecimal}s with up to two decimals, read from the JSON as written ({@code 1},
 * {@code 0.25}, {@code 12.5}; negative on a refund's line): compare them with {@link BigDecimal#compareTo}, not
 * {@code equals}, which also compares the scale. {@code occurredAt}, {@code recordedAt} and {@code renewsAt} are ISO-8601
 * instants as the API wrote them; {@code renewsAt} is when the period's credits renew (the next period's start; null
 * from an API older than it). {@code llmModel} is the LLM model the run was recorded with (null when none was given).
 * {@code pool} is {@code "organization"} when the run drew from its organization's credit pool (then
 * {@code creditsUsed}, {@code creditsRemaining}, {@code creditsAllocated} and {@code sequence} are the pool's: one running
 * ledger for all the organization's workspaces), else null.
 */
public record UsageRecord(String executionId, String workspaceId, String activity, String feature, BigDecimal creditsConsumed,
                          BigDecimal creditsUsed, BigDecimal creditsRemaining, BigDecimal creditsAllocated, long sequence,
                          String period, String occurredAt, String recordedAt, String priceVersion, String model,
                          String renewsAt, String llmModel, String pool) {
}
