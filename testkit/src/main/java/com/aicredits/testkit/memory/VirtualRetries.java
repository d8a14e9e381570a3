package com.aicredits.testkit.memory;

import com.aicredits.service.Retries;
import java.time.Duration;

/**
 * {@link Retries} on a virtual monotonic clock: a back-off advances it instead of sleeping, the jitter is its bound, so
 * a use case's retry paths run deterministically and at once. {@link #elapsed} tells how long they would have waited.
 */
public final class VirtualRetries {
    private long nanos;

    public Retries within(Duration budget) {
        return new Retries(budget, () -> nanos, pause -> nanos += pause, bound -> bound);
    }

    /** Moves the virtual clock (time spent by a try). */
    public void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }
}
