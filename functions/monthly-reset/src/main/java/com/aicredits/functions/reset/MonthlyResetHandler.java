package com.aicredits.functions.reset;

import com.aicredits.app.Configuration;
import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.app.http.Refusals;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.observability.Log;
import com.aicredits.observability.Metrics;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.ResetCursor;
import com.aicredits.service.ResetProgress;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The monthly reset, on the EventBridge schedule {@code cron(0 0 1 * ? *)}: opens the period of the event's time for
 * every workspace and emails the summary of the month before. The scheduled event starts a reset; a reset that runs
 * out of time hands the same event on with its cursor in {@code detail.cursor} (see {@link Continuation}). An event
 * it cannot act on (no time, a time more than 5 minutes ahead or before the previous period, a malformed cursor) is
 * refused without a retry.
 */
public final class MonthlyResetHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    static final String CURSOR = "cursor";

    private final MonthlyReset reset;
    private final Continuation continuation;
    private final Clock clock;

    /** On Lambda: the container's services, {@code RESET_CONCURRENCY}, and the function invoking itself to go on. */
    public MonthlyResetHandler() {
        this(Production.services(), settings(Production.configuration()), LambdaSelfInvocation.on(Production.configuration()));
    }

    /** The reset on {@code services} with {@code settings}, going on through {@code continuation} when out of time. */
    public MonthlyResetHandler(Services services, MonthlyReset.Settings settings, Continuation continuation) {
        this(services.monthlyReset(settings, Thread::sleep), continuation, services.clock());
    }

    public MonthlyResetHandler(MonthlyReset reset, Continuation continuation, Clock clock) {
        this.reset = reset;
        this.continuation = continuation;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        try (Log.Scope ignored = Log.invocation(context, null)) {
            return reset(event, context);
        }
    }

    private Map<String, Object> reset(ScheduledEvent event, Context context) {
        Instant now = clock.instant();
        ResetCursor cursor;
        try {
            cursor = cursor(event, now);
            reset.check(cursor);
        } catch (CreditsException refused) {
            // Bad input: retrying it would not help, so it is answered, not thrown.
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", "REFUSED");
            answer.put("error", Map.of("code", Refusals.code(refused), "message", refused.getMessage()));
            Log.warn("reset refused", "answer", answer);
            return answer;
        }
        Duration budget = Duration.ofMillis(context.getRemainingTimeInMillis());
        ResetProgress progress = reset.run(cursor, now.plus(budget), context.getAwsRequestId());
        Metrics.resetProgress(cursor.period().toString(), progress.countsByName(), progress.poolCountsByName());
        switch (progress.status()) {
            case CONTINUE -> continuation.submit(ScheduledEvents.withDetail(event, Map.of(CURSOR, progress.next().toMap())),
                    context, budget);
            case INCOMPLETE -> throw new IllegalStateException("the reset of " + cursor.period() + " left "
                    + progress.next().pending() + " workspaces pending after " + progress.next().round()
                    + " rounds (see the log); fire it again once the cause is fixed, it is idempotent");
            case DONE -> {
            }
        }
        return progress.toMap();
    }

    static MonthlyReset.Settings settings(Configuration configuration) {
        MonthlyReset.Settings settings = MonthlyReset.Settings.defaults();
        return configuration.resetConcurrency().isPresent()
                ? settings.withPaging(settings.pageSize(), configuration.resetConcurrency().getAsInt()) : settings;
    }

    /** Where this event starts: a fresh reset of its time's month, or the cursor a previous invocation handed on. */
    static ResetCursor cursor(ScheduledEvent event, Instant now) {
        Instant time = event == null ? null : ScheduledEvents.time(event);
        if (time == null) {
            throw CreditsException.invalid("time", "the event has no time");
        }
        Period period = MonthlyReset.periodToOpen(time, now);
        Map<String, Object> detail = event.getDetail();
        if (detail == null || detail.isEmpty()) {
            return ResetCursor.start(period);
        }
        for (String key : detail.keySet()) {
            if (!key.equals(CURSOR)) {
                throw CreditsException.invalid("detail", "unknown field '" + key + "' in detail; a reset's detail"
                        + " is empty (a new reset) or holds only its cursor");
            }
        }
        ResetCursor cursor = ResetCursor.fromMap(detail.get(CURSOR), now);
        if (!cursor.period().equals(period)) {
            throw CreditsException.invalid("cursor", "the cursor resets " + cursor.period()
                    + " but the event's time is in " + period);
        }
        return cursor;
    }
}
