package com.aicredits.service;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.UsageRecord;
import com.aicredits.observability.Metrics;
import java.util.List;
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
            Metrics.debited(outcome.record().feature().name(), outcome.record().model().name(), outcome.record().creditsConsumed().decimal(),
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            Metrics.replayed();
        }
        return outcome;
    }

    /** Runs a batch and publishes what came of each item, as {@link #record} does for one. */
    public static List<DebitService.BatchAnswer> recordBatch(Supplier<List<DebitService.BatchAnswer>> batch) {
        long started = System.nanoTime();
        List<DebitService.BatchAnswer> answers = batch.get();
        long millis = (System.nanoTime() - started) / 1_000_000;
        for (DebitService.BatchAnswer answer : answers) {
            if (answer.refusal() != null) {
                String reason = metricReason(answer.refusal().refusal());
                if (reason != null) {
                    Metrics.refused(reason);
                }
            } else if (answer.outcome().created()) {
                UsageRecord record = answer.outcome().record();
                Metrics.debited(record.feature().name(), record.model().name(), record.creditsConsumed().decimal(), millis);
            } else {
                Metrics.replayed();
            }
        }
        return answers;
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
