package com.aicredits.local.schedules;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code cron(...)}, {@code rate(...)} or {@code at(...)} expression. */
public abstract sealed class ScheduleExpression permits CronExpression, ScheduleExpression.Rate, ScheduleExpression.At {
    private final String text;

    ScheduleExpression(String text) {
        this.text = text;
    }

    /**
     * Parses an EventBridge schedule expression, evaluated in UTC; IllegalArgumentException saying what is wrong
     * or not supported.
     */
    public static ScheduleExpression parse(String expression) {
        return parse(expression, ZoneOffset.UTC, false);
    }

    static ScheduleExpression parse(String expression, ZoneId zone, boolean allowAt) {
        String text = expression.trim();
        if (text.startsWith("cron(") && text.endsWith(")")) {
            return new CronExpression(text, text.substring(5, text.length() - 1).trim(), zone);
        }
        if (text.startsWith("rate(") && text.endsWith(")")) {
            return new Rate(text, text.substring(5, text.length() - 1).trim());
        }
        if (allowAt && text.startsWith("at(") && text.endsWith(")")) {
            return new At(text, text.substring(3, text.length() - 1).trim(), zone);
        }
        throw new IllegalArgumentException("unsupported schedule expression '" + expression + "': expected cron(...)"
                + " or rate(...)" + (allowAt ? " or at(...)" : ""));
    }

    /** The first time strictly after {@code after} this expression fires; null if it never does again. */
    public abstract Instant nextAfter(Instant after);

    @Override
    public String toString() {
        return text;
    }

    /** {@code rate(n minute|minutes|hour|hours|day|days)}: singular for 1, plural otherwise, as AWS insists. */
    static final class Rate extends ScheduleExpression {
        private static final Pattern SHAPE = Pattern.compile("(\\d+)\\s+(minute|minutes|hour|hours|day|days)");
        private final long periodSeconds;

        Rate(String text, String body) {
            super(text);
            Matcher matcher = SHAPE.matcher(body);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("rate expression '" + text + "' must be rate(<positive number> minute(s)|hour(s)|day(s))");
            }
            long value;
            try {
                value = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rate expression '" + text + "' has too large a number", e);
            }
            String unit = matcher.group(2);
            if (value <= 0) {
                throw new IllegalArgumentException("rate expression '" + text + "' needs a positive value");
            }
            if ((value == 1) == unit.endsWith("s")) {
                throw new IllegalArgumentException("rate expression '" + text + "': use the singular unit for 1 and the plural otherwise");
            }
            long unitSeconds = unit.startsWith("minute") ? 60 : unit.startsWith("hour") ? 3600 : 86400;
            this.periodSeconds = Math.multiplyExact(value, unitSeconds);
        }

        @Override
        public Instant nextAfter(Instant after) {
            long periods = Math.floorDiv(after.getEpochSecond(), periodSeconds) + 1;
            return Instant.ofEpochSecond(periods * periodSeconds);
        }
    }

    /** ScheduleV2's one-time {@code at(yyyy-mm-ddThh:mm:ss)}, in the schedule's time zone. */
    static final class At extends ScheduleExpression {
        private final Instant when;

        At(String text, String body, ZoneId zone) {
            super(text);
            try {
                this.when = LocalDateTime.parse(body).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("at expression '" + text + "' must be at(yyyy-mm-ddThh:mm:ss)", e);
            }
        }

        @Override
        public Instant nextAfter(Instant after) {
            return when.isAfter(after) ? when : null;
        }
    }
}
