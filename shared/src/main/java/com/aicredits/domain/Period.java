package com.aicredits.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** A billing period: one calendar month in UTC, written {@code 2026-11}. */
public record Period(YearMonth month) implements Comparable<Period> {
    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}");
    /** How far ahead of now a time the ledger accepts may be: clock skew between services. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    /** Where a time stands against the window the ledger accepts at a moment (see {@link #accepted}). */
    public enum Window {
        ACCEPTED,
        /** More than {@link #MAX_FUTURE_SKEW} ahead of now: nobody books into, or opens, a month early. */
        AHEAD,
        /** Before the start of the previous period, the earliest a run may be booked into: that period is closed. */
        TOO_OLD
    }

    /**
     * The one accepted-window rule of the ledger, shared by a debit's {@code occurredAt} and the monthly reset's event
     * time: from the start of the previous period to {@link #MAX_FUTURE_SKEW} after {@code now}.
     */
    public static Window accepted(Instant time, Instant now) {
        if (time.isAfter(now.plus(MAX_FUTURE_SKEW))) {
            return Window.AHEAD;
        }
        return time.isBefore(earliestAccepted(now)) ? Window.TOO_OLD : Window.ACCEPTED;
    }

    /** The earliest time the ledger accepts at {@code now}: the start of the previous period. */
    public static Instant earliestAccepted(Instant now) {
        return of(now).previous().start();
    }

    public static Period of(Instant instant) {
        return new Period(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    /** Parses {@code YYYY-MM}; throws a 400 for anything else. */
    public static Period parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw CreditsException.invalid("period", "period must be YYYY-MM, e.g. 2026-11");
        }
        try {
            return new Period(YearMonth.parse(text));
        } catch (DateTimeParseException e) {
            throw CreditsException.invalid("period", "period must be YYYY-MM, e.g. 2026-11");
        }
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant of the next period (exclusive end). */
    public Instant end() {
        return next().start();
    }

    public Period previous() {
        return minusMonths(1);
    }

    public Period minusMonths(int months) {
        return new Period(month.minusMonths(months));
    }

    public Period next() {
        return new Period(month.plusMonths(1));
    }

    public int lengthInDays() {
        return month.lengthOfMonth();
    }

    public LocalDate day(int dayOfMonth) {
        return month.atDay(dayOfMonth);
    }

    @Override
    public int compareTo(Period other) {
        return month.compareTo(other.month);
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
