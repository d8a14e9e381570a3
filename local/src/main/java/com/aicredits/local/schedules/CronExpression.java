package com.aicredits.local.schedules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cron(minutes hours day-of-month month day-of-week year)}, EventBridge's flavour: day-of-week 1-7 is
 * SUN-SAT, exactly one of the two day fields is {@code ?}. Fields take {@code *}, numbers, names (JAN-DEC,
 * SUN-SAT), lists, ranges and steps; day-of-month also {@code L}, {@code LW} and {@code nW}; day-of-week also
 * {@code nL} and {@code n#k}.
 *
 * <p>Ours, not cron-utils: cron-utils 9.2.1, given AWS's six-field definition, computes every next time of
 * SchedulesTest but, compared with this class over ~3,100 generated expressions, it reads a wrapping range from its
 * start only ({@code cron(0 22-2 * * ? *)} after 23:30 gives 22:00 the next day, not 00:00; {@code NOV-FEB} skips
 * January and February), throws DateTimeException for {@code 31W} in a 30-day month, moves fire times around
 * daylight-saving changes differently (skips the day of a spring gap; in an autumn overlap takes the second of the
 * repeated times, not the first), and accepts {@code L-2}, {@code 1,L} and {@code 2#6}, which this parser refuses.
 */
final class CronExpression extends ScheduleExpression {
    private static final int FIRST_YEAR = 1970;
    private static final int LAST_YEAR = 2199;
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Pattern NEAREST_WEEKDAY = Pattern.compile("(\\d{1,2})W");
    private static final Pattern LAST_OF_WEEKDAY = Pattern.compile("([1-7]|[A-Z]{3})L");
    private static final Pattern NTH_WEEKDAY = Pattern.compile("([1-7]|[A-Z]{3})#([1-5])");

    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet months;
    private final BitSet years;
    /** Null when the field is {@code ?}. */
    private final DaysOfMonth daysOfMonth;
    private final DaysOfWeek daysOfWeek;

    CronExpression(String text, String body, ZoneId zone) {
        super(text);
        this.zone = zone;
        String[] fields = body.split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("cron expression '" + text + "' needs 6 fields (minutes hours day-of-month"
                    + " month day-of-week year), got " + fields.length);
        }
        String dom = fields[2].toUpperCase(Locale.ROOT);
        String dow = fields[4].toUpperCase(Locale.ROOT);
        if (dom.equals("?") == dow.equals("?")) {
            throw new IllegalArgumentException("cron expression '" + text + "': exactly one of day-of-month and"
                    + " day-of-week must be ?");
        }
        this.minutes = field(text, "minutes", fields[0], 0, 59, List.of());
        this.hours = field(text, "hours", fields[1], 0, 23, List.of());
        this.months = field(text, "month", fields[3].toUpperCase(Locale.ROOT), 1, 12, MONTHS);
        this.years = field(text, "year", fields[5], FIRST_YEAR, LAST_YEAR, List.of());
        this.daysOfMonth = dom.equals("?") ? null : daysOfMonth(text, dom);
        this.daysOfWeek = dow.equals("?") ? null : daysOfWeek(text, dow);
    }

    @Override
    public Instant nextAfter(Instant after) {
        LocalDateTime start = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate date = start.toLocalDate();
        LocalTime from = start.toLocalTime();
        while (date.getYear() <= LAST_YEAR) {
            if (date.getYear() < FIRST_YEAR || !years.get(date.getYear())) {
                date = LocalDate.of(date.getYear() + 1, 1, 1);
                from = LocalTime.MIDNIGHT;
                continue;
            }
            if (!months.get(date.getMonthValue())) {
                date = date.with(TemporalAdjusters.firstDayOfNextMonth());
                from = LocalTime.MIDNIGHT;
                continue;
            }
            if (daysOfMonth != null ? daysOfMonth.matches(date) : daysOfWeek.matches(date)) {
                for (int hour = hours.nextSetBit(from.getHour()); hour >= 0 && hour < 24;
                     hour = hours.nextSetBit(hour + 1)) {
                    int minute = minutes.nextSetBit(hour == from.getHour() ? from.getMinute() : 0);
                    while (minute >= 0) {
                        Instant candidate = ZonedDateTime.of(date, LocalTime.of(hour, minute), zone).toInstant();
                        if (candidate.isAfter(after)) { // a time-zone change can map a wall time backwards
                            return candidate;
                        }
                        minute = minutes.nextSetBit(minute + 1);
                    }
                }
            }
            date = date.plusDays(1);
            from = LocalTime.MIDNIGHT;
        }
        return null;
    }

    private static BitSet field(String text, String name, String field, int min, int max, List<String> names) {
        BitSet values = new BitSet();
        for (String item : field.split(",", -1)) {
            int step = 1;
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                step = number(text, name, item.substring(slash + 1), item, 1, max, List.of());
                range = item.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw invalid(text, name, item);
                }
                from = number(text, name, ends[0], item, min, max, names);
                to = number(text, name, ends[1], item, min, max, names);
            } else {
                from = number(text, name, range, item, min, max, names);
                to = slash >= 0 ? max : from; // "5/15": from 5 on, every 15
            }
            // A range may wrap, as FRI-MON or 22-2 do.
            int span = to >= from ? to - from : (max - from) + (to - min + 1);
            for (int offset = 0; offset <= span; offset += step) {
                int value = from + offset;
                values.set(value > max ? value - (max - min + 1) : value);
            }
        }
        return values;
    }

    private static int number(String text, String name, String token, int min, int max, List<String> names) {
        return number(text, name, token, token, min, max, names);
    }

    /** {@code token} is a number or a name; {@code item} the list item it is part of, for the message. */
    private static int number(String text, String name, String token, String item, int min, int max, List<String> names) {
        int index = names.indexOf(token);
        if (index >= 0) {
            return min + index;
        }
        if (!token.matches("\\d{1,4}")) {
            throw new IllegalArgumentException("cron expression '" + text + "': " + name + " field has '" + item
                    + "', which is not supported (supported: *, numbers" + (names.isEmpty() ? "" : ", names")
                    + ", lists a,b, ranges a-b and steps a/n" + (name.startsWith("day") ? "; L, W and # alone in a day field" : "") + ")");
        }
        int value = Integer.parseInt(token);
        if (value < min || value > max) {
            throw new IllegalArgumentException("cron expression '" + text + "': " + name + " " + value
                    + " is outside " + min + "-" + max);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text, String name, String item) {
        return new IllegalArgumentException("cron expression '" + text + "': cannot read " + name + " '" + item + "'");
    }

    private static DaysOfMonth daysOfMonth(String text, String field) {
        if (field.equals("L")) {
            return date -> date.getDayOfMonth() == date.lengthOfMonth();
        }
        if (field.equals("LW")) {
            return date -> date.equals(weekdayNear(date.withDayOfMonth(date.lengthOfMonth())));
        }
        Matcher nearest = NEAREST_WEEKDAY.matcher(field);
        if (nearest.matches()) {
            int day = number(text, "day-of-month", nearest.group(1), 1, 31, List.of());
            return date -> day <= date.lengthOfMonth() && date.equals(weekdayNear(date.withDayOfMonth(day)));
        }
        BitSet days = field(text, "day-of-month", field, 1, 31, List.of());
        return date -> days.get(date.getDayOfMonth());
    }

    /** The weekday nearest to {@code date} without leaving its month (the W of cron). */
    private static LocalDate weekdayNear(LocalDate date) {
        return switch (date.getDayOfWeek()) {
            case SATURDAY -> date.getDayOfMonth() == 1 ? date.plusDays(2) : date.minusDays(1);
            case SUNDAY -> date.getDayOfMonth() == date.lengthOfMonth() ? date.minusDays(2) : date.plusDays(1);
            default -> date;
        };
    }

    private static DaysOfWeek daysOfWeek(String text, String field) {
        Matcher last = LAST_OF_WEEKDAY.matcher(field);
        if (last.matches()) {
            int day = number(text, "day-of-week", last.group(1), 1, 7, DAYS);
            return date -> awsDayOfWeek(date) == day && date.plusWeeks(1).getMonth() != date.getMonth();
        }
        Matcher nth = NTH_WEEKDAY.matcher(field);
        if (nth.matches()) {
            int day = number(text, "day-of-week", nth.group(1), 1, 7, DAYS);
            int week = Integer.parseInt(nth.group(2));
            return date -> awsDayOfWeek(date) == day && (date.getDayOfMonth() - 1) / 7 + 1 == week;
        }
        BitSet days = field(text, "day-of-week", field, 1, 7, DAYS);
        return date -> days.get(awsDayOfWeek(date));
    }

    /** 1 = Sunday ... 7 = Saturday. */
    private static int awsDayOfWeek(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        return day.getValue() % 7 + 1;
    }

    private interface DaysOfMonth {
        boolean matches(LocalDate date);
    }

    private interface DaysOfWeek {
        boolean matches(LocalDate date);
    }
}
