package com.aicredits.testkit;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long bench phase on stderr, at most every two seconds, so a long run never looks stuck. The bench
 * sends System.out and System.err to its log file and hands the console's stderr to {@link #printTo}.
 */
public final class Progress {
    private static final long INTERVAL_NANOS = 2_000_000_000L;
    private static volatile PrintStream console = System.err;

    private final String phase;
    private final long total;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrinted = new AtomicLong(start);

    public Progress(String phase, long total) {
        this.phase = phase;
        this.total = total;
        say(phase + ": 0/" + String.format("%,d", total));
    }

    public static void say(String message) {
        PrintStream stream = console;
        stream.println("[bench] " + message);
        stream.flush();
    }

    /** From here on, progress goes to {@code stream}, wherever System.err goes. */
    public static void printTo(PrintStream stream) {
        console = stream;
    }

    public void add(long count) {
        long now = done.addAndGet(count);
        long time = System.nanoTime();
        long last = lastPrinted.get();
        if (time - last >= INTERVAL_NANOS && lastPrinted.compareAndSet(last, time)) {
            say(String.format("%s: %,d/%,d (%.0f s)", phase, now, total, (time - start) / 1e9));
        }
    }

    /** Prints the total and returns the seconds the phase took. */
    public double finish() {
        double seconds = (System.nanoTime() - start) / 1e9;
        say(String.format("%s: %,d/%,d done in %.1f s", phase, done.get(), total, seconds));
        return seconds;
    }
}
