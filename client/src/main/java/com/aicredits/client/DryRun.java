package com.aicredits.client;

/** The dry run's answer: what recording the execution would do now; {@code reason} is null when allowed. */
public record DryRun(boolean allowed, long creditsConsumed, long creditsRemainingAfter, String reason) {
}
