package com.aicredits.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests set and move, to stand at a month boundary or come back a year later. */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * A clock that runs at the machine's pace from {@code start}: for a test that needs time to pass (stream retries,
     * leases, waits) on a date it chose, so its outcome never depends on the day it runs.
     */
    public static Clock runningFrom(Instant start) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
    }

    /**
     * Noon UTC on {@code day} of the month before the machine's: a date whose month is complete, so a stream record
     * stamped with the machine's time always comes after it (no forecast from a day-old month), and whose items' time
     * to live is a year away.
     */
    public static Instant noonOfLastMonth(int day) {
        return YearMonth.now(ZoneOffset.UTC).minusMonths(1).atDay(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests run in UTC");
    }
}
