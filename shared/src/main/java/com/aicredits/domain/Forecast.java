package com.aicredits.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Where usage is heading at the month-to-date burn rate. {@code runsOutOn} is the day usage reaches 100% of the
 * allocation at that rate, or null when it never does this period or is already there.
 */
public record Forecast(Credits projectedUsed, LocalDate runsOutOn) {
    /** Too little of the month gone to extrapolate: a burst in the first hours would predict nonsense. */
    static final Duration MINIMUM_ELAPSED = Duration.ofHours(24);

    public static Forecast of(Balance balance, Instant at) {
        Period period = balance.period();
        Instant clamped = at.isAfter(period.end()) ? period.end() : at.isBefore(period.start()) ? period.start() : at;
        double elapsedMillis = Duration.between(period.start(), clamped).toMillis();
        double monthMillis = Duration.between(period.start(), period.end()).toMillis();
        if (elapsedMillis <= 0 || balance.used().isZero()) {
            return new Forecast(balance.used(), null);
        }
        // A projection, not a ledger figure: a double is fine here, and it is rounded to the whole credit (hundredths of
        // an extrapolation would be false precision, and would change from one second to the next).
        double ratePerMilli = balance.used().hundredths() / elapsedMillis;
        Credits projected = Credits.of(Math.round(ratePerMilli * monthMillis / 100));
        if (balance.used().isAtLeast(balance.allocated())) {
            return new Forecast(projected, null);
        }
        double millisToFull = balance.allocated().hundredths() / ratePerMilli;
        if (millisToFull >= monthMillis) {
            return new Forecast(projected, null);
        }
        LocalDate day = period.start().plusMillis((long) millisToFull).atOffset(ZoneOffset.UTC).toLocalDate();
        return new Forecast(projected, day);
    }

    /** Whether {@code at} is too early in {@code period} to forecast: its first 24 hours, or before it began. */
    public static boolean tooEarly(Period period, Instant at) {
        return Duration.between(period.start(), at).compareTo(MINIMUM_ELAPSED) < 0;
    }

    /** Whether the forecast alert should fire: usage will run out before the period ends, on enough history. */
    public static boolean runsOutBeforePeriodEnd(Balance balance, Instant at) {
        return !tooEarly(balance.period(), at) && of(balance, at).runsOutOn() != null;
    }
}
