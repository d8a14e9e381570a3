package com.aicredits.local;

import com.aicredits.testkit.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scheduled events of template.yaml, played locally: every function event of Type {@code Schedule} (an
 * EventBridge rule, delivering a {@link ScheduledEvent}) or {@code ScheduleV2} (EventBridge Scheduler, delivering
 * only its {@code Input}) fires at its due times on a daemon thread, and {@link #fire} fires one on demand, as if
 * at a given time (behind {@code POST /_local/schedules/{FunctionLogicalId}?at=...}).
 *
 * <p>Expressions are {@code cron(...)} in EventBridge's six-field syntax and {@code rate(n unit)}, in UTC (a
 * ScheduleV2's {@code ScheduleExpressionTimezone} is honoured), plus {@code at(...)} for ScheduleV2. A rate is
 * anchored at the epoch (rate(5 minutes) fires at :00, :05, ...), where AWS anchors it at the rule's creation.
 */
public final class Schedules implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    private static final String FUNCTION = "AWS::Serverless::Function";
    /** The scheduler re-reads the clock at least this often, so a suspended laptop or a moved test clock is noticed. */
    private static final long LONGEST_NAP_MILLIS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The serializer the Lambda Java runtime itself uses to turn the JSON event into a ScheduledEvent. */
    private static final PojoSerializer<ScheduledEvent> EVENTS =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, Schedules.class.getClassLoader());

    /**
     * One scheduled event of a function.
     *
     * @param input   the JSON the target receives instead of the event (always used for ScheduleV2); null for none
     * @param enabled false when the template disables it: it then fires only through {@link #fire}
     */
    public record Schedule(String functionLogicalId, String eventName, String type, Expression expression, String ruleName,
                           String input, boolean enabled) {
    }

    private final List<Schedule> schedules;
    private final BiFunction<String, Object, Object> invoker;
    private final Clock clock;
    private final Object wakeUp = new Object();
    private Thread thread;
    private volatile boolean closing;

    public Schedules(List<Schedule> schedules, BiFunction<String, Object, Object> invoker, Clock clock) {
        this.schedules = List.copyOf(schedules);
        this.invoker = invoker;
        this.clock = clock;
    }

    /** Every Schedule and ScheduleV2 event of every function in {@code template}, on the system clock. */
    public static Schedules fromTemplate(CloudFormationTemplate template, BiFunction<String, Object, Object> invoker) {
        return fromTemplate(template, invoker, com.aicredits.app.Production.clock());
    }

    public static Schedules fromTemplate(CloudFormationTemplate template, BiFunction<String, Object, Object> invoker, Clock clock) {
        List<Schedule> schedules = new ArrayList<>();
        for (String function : template.resourcesOfType(FUNCTION).keySet()) {
            if (!(template.effectiveProperties(function).get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            events.forEach((name, event) -> {
                if (event instanceof Map<?, ?> e && ("Schedule".equals(e.get("Type")) || "ScheduleV2".equals(e.get("Type")))) {
                    Map<?, ?> properties = e.get("Properties") instanceof Map<?, ?> p ? p : Map.of();
                    schedules.add(schedule(function, String.valueOf(name), String.valueOf(e.get("Type")), properties));
                }
            });
        }
        return new Schedules(schedules, invoker, clock);
    }

    private static Schedule schedule(String function, String eventName, String type, Map<?, ?> properties) {
        String where = function + ".Events." + eventName;
        boolean v2 = type.equals("ScheduleV2");
        Object expression = properties.get(v2 ? "ScheduleExpression" : "Schedule");
        if (!(expression instanceof String text)) {
            throw new IllegalArgumentException(where + ": " + (v2 ? "ScheduleExpression" : "Schedule") + " must be a string, got " + expression);
        }
        ZoneId zone = ZoneOffset.UTC;
        if (v2 && properties.get("ScheduleExpressionTimezone") instanceof String timezone) {
            try {
                zone = ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(where + ": unknown ScheduleExpressionTimezone " + timezone, e);
            }
        }
        Expression parsed;
        try {
            parsed = Expression.parse(text, zone, v2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Object input = properties.get("Input");
        if (input != null && !(input instanceof String)) {
            throw new IllegalArgumentException(where + ": Input must be a JSON string, got " + input);
        }
        if (input != null) {
            try {
                JSON.readTree((String) input);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + ": Input is not valid JSON: " + input, e);
            }
        }
        boolean enabled = !Boolean.FALSE.equals(properties.get("Enabled")) && !"DISABLED".equals(properties.get("State"));
        String ruleName = properties.get("Name") instanceof String name ? name : function + eventName;
        return new Schedule(function, eventName, type, parsed, ruleName, (String) input, enabled);
    }

    public List<Schedule> schedules() {
        return schedules;
    }

    /** Starts firing every enabled schedule at its due times, from now on. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("schedules already started");
        }
        thread = new Thread(this::run, "schedules");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the scheduler; an invocation under way finishes first (for up to 5 seconds). */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closing = true;
            running = thread;
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (running != null) {
            try {
                running.join(5000);
                if (running.isAlive()) {
                    running.interrupt();
                    running.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * When function {@code logicalId}'s enabled schedules next fire strictly after {@code after}; null if never again.
     * IllegalArgumentException for a function without schedules.
     */
    public Instant nextFireTime(String logicalId, Instant after) {
        Instant next = null;
        for (Schedule schedule : schedulesOf(logicalId)) {
            Instant candidate = schedule.enabled() ? schedule.expression().nextAfter(after) : null;
            if (candidate != null && (next == null || candidate.isBefore(next))) {
                next = candidate;
            }
        }
        return next;
    }

    /**
     * Delivers function {@code logicalId}'s scheduled event now, as if at {@code at} (the event's {@code time}), and
     * returns the function's response (a list of them if it has several schedules). IllegalArgumentException for a
     * function without schedules; IllegalStateException, with the function's exception as cause, if it fails.
     */
    public Object fire(String logicalId, Instant at) {
        List<Object> results = new ArrayList<>();
        for (Schedule schedule : schedulesOf(logicalId)) {
            results.add(deliver(schedule, at));
        }
        return results.size() == 1 ? results.getFirst() : results;
    }

    private List<Schedule> schedulesOf(String logicalId) {
        List<Schedule> found = schedules.stream().filter(s -> s.functionLogicalId().equals(logicalId)).toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no function " + logicalId + " with a Schedule or ScheduleV2 event in the template;"
                    + " scheduled functions: " + schedules.stream().map(Schedule::functionLogicalId).distinct().toList());
        }
        return found;
    }

    private Object deliver(Schedule schedule, Instant at) {
        Object event = event(schedule, at);
        try {
            return invoker.apply(schedule.functionLogicalId(), event);
        } catch (RuntimeException e) {
            throw new IllegalStateException(schedule.functionLogicalId() + " failed on its " + schedule.eventName()
                    + " event at " + at + ": " + e.getMessage(), e);
        }
    }

    /** What the target receives: the Input when there is one (always for ScheduleV2), else a ScheduledEvent. */
    static Object event(Schedule schedule, Instant at) {
        try {
            if (schedule.input() != null || schedule.type().equals("ScheduleV2")) {
                return JSON.readValue(schedule.input() == null ? "{}" : schedule.input(), Object.class);
            }
            ObjectNode event = JSON.createObjectNode();
            event.put("version", "0");
            event.put("id", UUID.randomUUID().toString());
            event.put("detail-type", "Scheduled Event");
            event.put("source", "aws.events");
            event.put("account", ACCOUNT);
            event.put("time", at.toString());
            event.put("region", REGION);
            event.putArray("resources").add("arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + schedule.ruleName());
            event.putObject("detail");
            return EVENTS.fromJson(event.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Input of " + schedule.functionLogicalId() + " is not JSON", e);
        }
    }

    private void run() {
        Map<Schedule, Instant> due = new LinkedHashMap<>();
        Instant started = clock.instant();
        for (Schedule schedule : schedules) {
            Instant next = schedule.enabled() ? schedule.expression().nextAfter(started) : null;
            if (next != null) {
                due.put(schedule, next);
            }
        }
        while (!closing && !due.isEmpty()) {
            Instant now = clock.instant();
            for (Map.Entry<Schedule, Instant> entry : new ArrayList<>(due.entrySet())) {
                if (closing || entry.getValue().isAfter(now)) {
                    continue;
                }
                Schedule schedule = entry.getKey();
                try {
                    deliver(schedule, entry.getValue());
                } catch (RuntimeException e) {
                    // No async retries here: the jobs are written to be safe to run again by hand (POST /_local/schedules).
                    System.err.println("schedules: " + e.getMessage());
                }
                // After a long pause (a suspended laptop) it fires once, not once per missed time, as EventBridge would.
                Instant latest = clock.instant();
                Instant next = schedule.expression().nextAfter(latest.isAfter(entry.getValue()) ? latest : entry.getValue());
                if (next == null) {
                    due.remove(schedule);
                } else {
                    due.put(schedule, next);
                }
            }
            Instant earliest = due.values().stream().min(Instant::compareTo).orElse(null);
            long nap = earliest == null ? LONGEST_NAP_MILLIS
                    : Math.clamp(Duration.between(clock.instant(), earliest).toMillis(), 1, LONGEST_NAP_MILLIS);
            synchronized (wakeUp) {
                if (closing) {
                    return;
                }
                try {
                    wakeUp.wait(nap);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    // ---- schedule expressions -------------------------------------------------------------------------------------

    /** A parsed {@code cron(...)}, {@code rate(...)} or {@code at(...)} expression. */
    public abstract static sealed class Expression permits Cron, Rate, At {
        private final String text;

        Expression(String text) {
            this.text = text;
        }

        /**
         * Parses an EventBridge schedule expression, evaluated in UTC; IllegalArgumentException saying what is wrong
         * or not supported.
         */
        public static Expression parse(String expression) {
            return parse(expression, ZoneOffset.UTC, false);
        }

        static Expression parse(String expression, ZoneId zone, boolean allowAt) {
            String text = expression.trim();
            if (text.startsWith("cron(") && text.endsWith(")")) {
                return new Cron(text, text.substring(5, text.length() - 1).trim(), zone);
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
    }

    /** {@code rate(n minute|minutes|hour|hours|day|days)}: singular for 1, plural otherwise, as AWS insists. */
    static final class Rate extends Expression {
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
    static final class At extends Expression {
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

    /**
     * {@code cron(minutes hours day-of-month month day-of-week year)}, EventBridge's flavour: day-of-week 1-7 is
     * SUN-SAT, exactly one of the two day fields is {@code ?}. Fields take {@code *}, numbers, names (JAN-DEC,
     * SUN-SAT), lists, ranges and steps; day-of-month also {@code L}, {@code LW} and {@code nW}; day-of-week also
     * {@code nL} and {@code n#k}.
     */
    static final class Cron extends Expression {
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

        Cron(String text, String body, ZoneId zone) {
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
}
