package com.aicredits.service;

import com.aicredits.domain.CreditsException;
import com.aicredits.observability.Metrics;
import java.util.function.Supplier;

/** The debit path's metrics, from what a debit returned or why it was refused. */
public final class DebitMetrics {
    private DebitMetrics() {
    }

    /**
     * Runs a debit and publishes what came of it: credits debited by feature (a new record), a replay (a stored
     * record answered again), or a refusal (402 hard limit, 403 Cases disabled). Input errors are not refusals.
     */
    public static DebitOutcome record(Supplier<DebitOutcome> debit) {
        DebitOutcome outcome;
        long started = System.nanoTime();
        try {
            outcome = debit.get();
        } catch (CreditsException e) {
            if (e.status() == 402 || e.status() == 403) {
                Metrics.refused(e.code());
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
}
