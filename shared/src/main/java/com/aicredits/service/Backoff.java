package com.aicredits.service;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Full-jitter exponential backoff, so that contenders for one balance spread out instead of colliding again. */
public final class Backoff {
    private static final long BASE_MICROS = 500;
    private static final long CAP_MICROS = 100_000;

    private Backoff() {
    }

    public static void pause(int attempt) {
        long ceiling = Math.min(CAP_MICROS, BASE_MICROS << Math.min(attempt, 16));
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(ceiling + 1)));
    }
}
