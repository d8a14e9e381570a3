package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry policy on a fake clock: the sleeper advances it, the jitter is chosen, nothing waits. */
class RetriesTest {
    private long now = 1_000_000_000L;
    private final List<Long> bounds = new ArrayList<>();
    private final List<Long> slept = new ArrayList<>();
    /** The fraction of each bound the jitter draws. */
    private double draw = 1.0;

    private Retries retries(Duration budget) {
        return new Retries(budget, () -> now, nanos -> {
            slept.add(nanos);
            now += nanos;
        }, bound -> {
            bounds.add(bound);
            return (long) (bound * draw);
        });
    }

    private static long millis(long n) {
        return Duration.ofMillis(n).toNanos();
    }

    @Test
    void pausesAreFullJitterUnderACeilingThatDoublesFromOneMillisecondToATenthOfASecond() {
        Retries.Deadline deadline = retries(Duration.ofSeconds(10)).start();
        draw = 0.5;
        for (int i = 0; i < 10; i++) {
            assertThat(deadline.backOff()).isTrue();
        }
        assertThat(bounds).containsExactly(millis(1), millis(2), millis(4), millis(8), millis(16), millis(32), millis(64),
                millis(100), millis(100), millis(100));
        assertThat(slept).containsExactly(millis(1) / 2, millis(1), millis(2), millis(4), millis(8), millis(16), millis(32),
                millis(50), millis(50), millis(50));
        assertThat(deadline.pauses()).isEqualTo(10);
    }

    @Test
    void aDrawOfZeroRetriesAtOnceWithoutSleeping() {
        Retries.Deadline deadline = retries(Duration.ofSeconds(1)).start();
        draw = 0;
        assertThat(deadline.backOff()).isTrue();
        assertThat(slept).isEmpty();
    }

    @Test
    void itIsTheTimeThatRunsOutNotACountOfTries() {
        Retries.Deadline deadline = retries(Duration.ofSeconds(10)).start();
        // Ten thousand tries that each take 0.9 ms, with pauses of nothing: still inside the 10 s.
        draw = 0;
        for (int i = 0; i < 10_000; i++) {
            now += 900_000;
            assertThat(deadline.backOff()).as("try %d", i).isTrue();
        }
        now += millis(1_000);
        assertThat(deadline.timeLeft()).isFalse();
        assertThat(deadline.backOff()).isFalse();
    }

    @Test
    void noPauseGoesPastTheDeadlineAndNoTryStartsAfterIt() {
        Retries.Deadline deadline = retries(Duration.ofMillis(150)).start();
        now += millis(120); // the tries so far took 120 ms: 30 left
        draw = 1.0;
        for (int i = 0; i < 4; i++) {
            assertThat(deadline.backOff()).isTrue(); // 1 + 2 + 4 + 8 = 15 ms
        }
        assertThat(deadline.backOff()).as("16 ms drawn, cut to the 15 left, which it spends").isFalse();
        assertThat(slept).containsExactly(millis(1), millis(2), millis(4), millis(8), millis(15));
        assertThat(now).isEqualTo(1_000_000_000L + millis(150));
        assertThat(deadline.backOff()).as("spent: no pause at all").isFalse();
        assertThat(slept).hasSize(5);
        assertThat(deadline.timeLeft()).isFalse();
    }

    @Test
    void aCallersOwnDeadlineIsHonouredButNeverLongerThanTheBudget() {
        Retries retries = retries(Duration.ofSeconds(10));
        Retries.Deadline shorter = retries.start(Duration.ofMillis(1_500));
        Retries.Deadline longer = retries.start(Duration.ofSeconds(60));
        Retries.Deadline unsaid = retries.start(null);
        now += millis(1_500);
        assertThat(shorter.timeLeft()).isFalse();
        assertThat(longer.timeLeft()).isTrue();
        now += millis(8_499);
        assertThat(longer.timeLeft()).isTrue();
        assertThat(unsaid.timeLeft()).isTrue();
        now += millis(1);
        assertThat(longer.timeLeft()).as("capped at the 10 s budget").isFalse();
        assertThat(unsaid.timeLeft()).isFalse();
        assertThat(retries.start(Duration.ZERO).timeLeft()).isFalse();
    }

    @Test
    void ofTwoDeadlinesTheEarlierHolds() {
        Retries retries = retries(Duration.ofSeconds(10));
        Retries.Deadline callers = retries.start(Duration.ofSeconds(2));
        now += millis(1_500); // waited for a turn
        Retries.Deadline own = retries.start();
        assertThat(own.notAfter(callers)).isSameAs(callers);
        assertThat(callers.notAfter(own)).isSameAs(callers);
        assertThat(own.notAfter(null)).isSameAs(own);
        now += millis(500);
        assertThat(own.notAfter(callers).timeLeft()).isFalse();
        assertThat(own.timeLeft()).isTrue();
    }

    @Test
    void theBudgetMustBePositive() {
        assertThatThrownBy(() -> retries(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> retries(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Retries.standard().budget()).isEqualTo(Duration.ofSeconds(10));
    }
}
