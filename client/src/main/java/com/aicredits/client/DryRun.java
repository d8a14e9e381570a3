package com.aicredits.client;

import java.math.BigDecimal;

/**
 * The dry run's answer: what recording the execution would do now; {@code reason} is null when allowed. The amounts are
 * exact, to the hundredth ({@code 0.25}), as the API wrote them.
 */
public record DryRun(boolean allowed, BigDecimal creditsConsumed, BigDecimal creditsRemainingAfter, String reason) {
}
