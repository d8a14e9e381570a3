package com.aicredits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
    @Test
    void theWarmUpRunsWhenTheCheckpointIsAboutToBeTaken() {
        AtomicInteger runs = new AtomicInteger();

        new SnapStartPriming(runs::incrementAndGet).beforeCheckpoint(null);

        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void registeringOnAJvmWithoutCracIsHarmless() {
        // Our JDK has no CRaC (only Lambda's SnapStart runtime does): registration must neither fail nor run the warm-up.
        AtomicInteger runs = new AtomicInteger();

        assertThatCode(() -> SnapStartPriming.register(runs::incrementAndGet)).doesNotThrowAnyException();
        assertThat(runs.get()).isZero();
    }

    @Test
    void theLogAndMetricWarmUpWritesNothingToStandardOutputOrStandardError() {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream capture = new java.io.PrintStream(printed, true);
        System.setOut(capture);
        System.setErr(capture);
        try {
            SnapStartPriming.warmUpLogsAndMetrics();
            com.aicredits.observability.Log.info("after the warm-up");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        // Only the line written after it: the warm-up's own lines were dropped, and the sink is standard output again.
        assertThat(printed.toString().lines().toList()).singleElement().asString().contains("after the warm-up");
    }
}
