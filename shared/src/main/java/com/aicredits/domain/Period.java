package com.aicredits.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** A billing period: one calendar month in UTC, written {@code 2026-11}. */
public record Period(YearMonth month) implements Comparable<Period> {
    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}");

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
