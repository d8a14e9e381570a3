package com.aicredits.functions.reset;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.app.InvocationContext;
import com.aicredits.app.Services.Notifications;
import com.aicredits.port.EventPublisher;
import com.aicredits.service.MonthlyReset;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every event the reset cannot act on is answered REFUSED (a return, not a throw: Lambda would retry a throw twice
 * and then park it in the failure queue), and nothing is written or handed on.
 */
class MonthlyResetRefusalsIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:03Z");

    private final CreditsTable table = new CreditsTable("reset-refusals");
    private final List<ScheduledEvent> continued = new ArrayList<>();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MonthlyResetHandler handler = new MonthlyResetHandler(
            table.services(clock).withNotifications(new Notifications(email -> {
                throw new AssertionError("no summary may be sent");
            }, EventPublisher.LOG_ONLY, "https://credits.example.com", null)).monthlyReset(MonthlyReset.Settings.defaults(), duration -> { }),
            (next, current, budget) -> continued.add(next), clock);

    @Test
    void aMalformedCursorIsRefusedWithoutARetry() {
        assertRefused(withCursor("shard", 16 + 1), "cursor.shard must be at most 16");
        assertRefused(withCursor("shard", 999), "cursor.shard must be at most 16");
        assertRefused(withCursor("round", 5), "cursor.round must be at most 4");
        assertRefused(withCursor("pending", Long.MAX_VALUE), "cursor.pending must be a whole number from 0 to");
        assertRefused(withCursor("notBefore", "9999-01-01T00:00:00Z"), "cursor.notBefore may be at most");
        assertThat(continued).isEmpty();
        assertThat(table.itemCount()).isZero();
    }

    @Test
    void anEventFromYearsAgoIsRefusedWithoutARetry() {
        ScheduledEvent old = sample();
        old.setTime(new org.joda.time.DateTime(Instant.parse("2020-09-30T00:00:00Z").toEpochMilli()));

        assertRefused(old, "no earlier than 2026-11-01T00:00:00.000Z");
        assertThat(table.itemCount()).isZero();
    }

    private static ScheduledEvent sample() {
        return EventLoader.loadScheduledEvent(ApiEvents.eventsDirectory().resolve("monthly-reset.json").toString());
    }

    private static ScheduledEvent withCursor(String field, Object value) {
        Map<String, Object> cursor = new HashMap<>(Map.of("period", "2026-12", "round", 1, "shard", 3, "pending", 0));
        cursor.put(field, value);
        ScheduledEvent event = sample();
        event.setDetail(Map.of(MonthlyResetHandler.CURSOR, cursor));
        return event;
    }

    @SuppressWarnings("unchecked")
    private void assertRefused(ScheduledEvent event, String message) {
        InvocationContext context = new InvocationContext("request-1", "aicredits-monthly-reset", "1",
                "arn:aws:lambda:eu-west-1:123456789012:function:aicredits-monthly-reset", 1024, null,
                System.currentTimeMillis() + 60_000);
        Map<String, Object> answer = handler.handleRequest(event, context);
        assertThat(answer.get("status")).isEqualTo("REFUSED");
        assertThat(((Map<String, Object>) answer.get("error")).get("message").toString()).contains(message);
    }
}
