package com.aicredits.aws;

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
}
