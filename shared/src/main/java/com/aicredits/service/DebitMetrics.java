package com.aicredits.service;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.observability.Metrics;
import java.util.function.Supplier;

/** The debit path's metrics, from what a debit returned or why it was refused. */
public final class DebitMetrics {
    private DebitMetrics() {
    }

    /**
     * Runs a debit and publishes what came of it: credits debited by feature (a new record), a replay (a stored
     * record answered again), or a refusal (the hard limit, Cases or BYOS not enabled). Input errors are not refusals.
     */
    public static DebitOutcome record(Supplier<DebitOutcome> debit) {
        DebitOutcome outcome;
        long started = System.nanoTime();
        try {
            outcome = debit.get();
        } catch (CreditsException e) {
            String reason = metricReason(e.refusal());
            if (reason != null) {
                Metrics.refused(reason);
            }
            throw e;
        }
        if (outcome.created()) {
            Metrics.debited(outcome.record().feature().name(), outcome.record().model().name(), outcome.record().creditsConsumed(),
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            Metrics.replayed();
        }
        return outcome;
    }

    /**
     * The {@code Reason} dimension of a refusal the metric counts (null for input errors): the API's error code, which
     * the template's alarm and dashboard name ({@code RefusalsTest} holds the two to each other).
     */
    static String metricReason(Refusal refusal) {
        return switch (refusal) {
            case HARD_LIMIT -> "hard_limit_exceeded";
            case CASES_DISABLED -> "cases_disabled";
            case BYOS_NOT_ENABLED -> "byos_not_enabled";
            default -> null;
        };
    }
}
