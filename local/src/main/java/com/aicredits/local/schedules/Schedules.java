package com.aicredits.local.schedules;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The scheduled events of template.yaml, played locally: every function event of Type {@code Schedule} (an
 * EventBridge rule, delivering a {@link ScheduledEvent}) or {@code ScheduleV2} (EventBridge Scheduler, delivering
 * only its {@code Input}) fires at its due times on a daemon thread, and {@link #fire} fires one on demand, as if
 * at a given time (behind {@code POST /_local/schedules/{FunctionLogicalId}?at=...}).
 *
 * <p>Expressions are {@code cron(...)} in EventBridge's six-field syntax and {@code rate(n unit)}, in UTC (a
 * ScheduleV2's {@code ScheduleExpressionTimezone} is honoured), plus {@code at(...)} for ScheduleV2. A rate is
 * anchored at the epoch (rate(5 minutes) fires at :00, :05, ...), where AWS anchors it at the rule's creation.
 * {@link Schedule} reads the template's events, {@link ScheduleExpression} and {@link CronExpression} the expressions.
 */
public final class Schedules implements AutoCloseable {
    /** The scheduler re-reads the clock at least this often, so a suspended laptop or a moved test clock is noticed. */
    private static final long LONGEST_NAP_MILLIS = 250;

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
        return fromTemplate(template, invoker, Clock.systemUTC());
    }

    public static Schedules fromTemplate(CloudFormationTemplate template, BiFunction<String, Object, Object> invoker, Clock clock) {
        return new Schedules(Schedule.fromTemplate(template), invoker, clock);
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
        Object event = schedule.event(at);
        try {
            return invoker.apply(schedule.functionLogicalId(), event);
        } catch (RuntimeException e) {
            throw new IllegalStateException(schedule.functionLogicalId() + " failed on its " + schedule.eventName()
                    + " event at " + at + ": " + e.getMessage(), e);
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
}
