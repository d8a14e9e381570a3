package com.aicredits.service;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * How a call retries what wrote or read nothing because of others (a compare-and-set lost to another write, a
 * transaction DynamoDB cancelled for a conflict, a throttle, a BatchGetItem's unprocessed keys): within a budget of
 * time, never a count of tries, which a busy machine or a busy workspace exhausts while the balance is moving. A pause
 * is exponential backoff with full jitter (a random time between 0 and {@code min(cap, base x 2^n)}), never past the
 * deadline; no try starts after it, and then the caller answers 503 {@code contention}: DynamoDB has let nothing through
 * for the whole budget, an outage rather than contention.
 *
 * <p>Plain Java: the time is a monotonic ticker (nanoseconds), the pause a sleeper and the jitter a function, all three
 * injected, so the policy is tested without waiting. The budget comes from the composition root ({@code Services}),
 * which takes it from the function's configuration: it must end well before the function's timeout.
 */
public final class Retries {
    /** The deployed functions' budget unless configured: 10 s, 5 s under their 15 s Timeout (template.yaml). */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);
    /** The first pause is at most this; each further one may be twice as long ... */
    static final long BASE_NANOS = Duration.ofMillis(1).toNanos();
    /** ... up to this: contenders spread over a tenth of a second, and a try still comes every 50 ms on average. */
    static final long CAP_NANOS = Duration.ofMillis(100).toNanos();

    /** Waits that long (nanoseconds). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos);
    }

    private final Duration budget;
    private final LongSupplier ticker;
    private final Sleeper sleeper;
    private final LongUnaryOperator jitter;

    /**
     * {@code ticker}: a monotonic time in nanoseconds; {@code jitter}: for a bound b, a random number in [0, b].
     */
    public Retries(Duration budget, LongSupplier ticker, Sleeper sleeper, LongUnaryOperator jitter) {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("the retry budget must be positive; got " + budget);
        }
        this.budget = budget;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /** The system's monotonic clock, a parked thread and a thread-local random: what production and the tests run. */
    public static Retries within(Duration budget) {
        return new Retries(budget, System::nanoTime, LockSupport::parkNanos,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** {@link #within} the {@link #DEFAULT_BUDGET}. */
    public static Retries standard() {
        return within(DEFAULT_BUDGET);
    }

    public Duration budget() {
        return budget;
    }

    /** One call's retries, from now until the budget is spent. */
    public Deadline start() {
        return start(budget);
    }

    /** One call's retries within {@code requested} (a caller's own deadline), never longer than the budget. */
    public Deadline start(Duration requested) {
        Duration within = requested == null || requested.compareTo(budget) > 0 ? budget : requested;
        return new Deadline(ticker.getAsLong() + Math.max(0, within.toNanos()));
    }

    /** The retries of one call: how much time is left, and the pauses taken so far. */
    public final class Deadline {
        private final long expiresAt;
        private int pauses;

        private Deadline(long expiresAt) {
            this.expiresAt = expiresAt;
        }

        /** Whether another try may start now (for one that follows a lost race at once: the balance moved on). */
        public boolean timeLeft() {
            return expiresAt - ticker.getAsLong() > 0;
        }

        /**
         * After a try that others made fail (a conflict, a throttle, a write that must be read again): pauses a random
         * time up to {@code min(cap, base x 2^n)}, n the pauses so far, cut to the time left. True when another try may
         * start after it; false, without pausing, when the budget is spent, or when the pause spent it.
         */
        public boolean backOff() {
            long left = expiresAt - ticker.getAsLong();
            if (left <= 0) {
                return false;
            }
            long ceiling = Math.min(CAP_NANOS, BASE_NANOS << Math.min(pauses, 20));
            pauses++;
            long pause = Math.min(Math.max(0, jitter.applyAsLong(ceiling)), left);
            if (pause > 0) {
                sleeper.sleep(pause);
            }
            return timeLeft();
        }

        /** This deadline, or {@code other} where that one comes first (null: none). */
        public Deadline notAfter(Deadline other) {
            return other == null || other.expiresAt - expiresAt >= 0 ? this : other;
        }

        /** The time left (zero once spent). */
        public Duration remaining() {
            return Duration.ofNanos(Math.max(0, expiresAt - ticker.getAsLong()));
        }

        /** How many times {@link #backOff} paused. */
        public int pauses() {
            return pauses;
        }
    }
}
