package com.aicredits.service;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResetCursorTest {
    private static final Period DECEMBER = Period.parse("2026-12");
    private static final Instant NOW = Instant.parse("2026-12-01T00:04:00Z");

    @Test
    void aCursorSurvivesTheTripThroughAnEventsDetail() {
        ResetCursor cursor = new ResetCursor(DECEMBER, 2, 7, "ws-acme-prod", 3, Instant.parse("2026-12-01T00:04:30Z"),
                Instant.parse("2026-12-01T00:05:00Z"));

        assertThat(cursor.toMap()).isEqualTo(Map.of("period", "2026-12", "round", 2, "shard", 7, "after", "ws-acme-prod",
                "pending", 3L, "retryAt", "2026-12-01T00:04:30.000Z", "notBefore", "2026-12-01T00:05:00.000Z"));
        assertThat(ResetCursor.fromMap(cursor.toMap(), NOW)).isEqualTo(cursor);
        assertThat(ResetCursor.fromMap(ResetCursor.start(DECEMBER).toMap(), NOW)).isEqualTo(ResetCursor.start(DECEMBER));
    }

    @Test
    void aPageMovesWithinItsShardOrOnToTheNextAndKeepsTheLatestLease() {
        Instant early = Instant.parse("2026-12-01T00:02:00Z");
        Instant late = Instant.parse("2026-12-01T00:03:00Z");
        ResetCursor cursor = ResetCursor.start(DECEMBER).afterPage("ws-b", 1, late).afterPage(null, 2, early);

        assertThat(cursor).isEqualTo(new ResetCursor(DECEMBER, 1, 1, null, 3, late, null));
        assertThat(cursor.nextRound(late)).isEqualTo(new ResetCursor(DECEMBER, 2, 0, null, 0, null, late));
    }

    @Test
    void aMalformedCursorIsA400NamingWhatIsWrong() {
        Map<String, Object> good = ResetCursor.start(DECEMBER).toMap();
        assertRefused("not a map", "cursor must be an object");
        assertRefused(with(good, "extra", 1), "unknown field 'extra'");
        assertRefused(with(good, "period", "2026-13"), "period must be YYYY-MM");
        assertRefused(with(good, "round", 0), "cursor.round must be a whole number from 1");
        assertRefused(with(good, "shard", "3"), "cursor.shard must be a whole number");
        assertRefused(with(good, "shard", 1.5), "cursor.shard must be a whole number");
        assertRefused(with(good, "pending", -1), "cursor.pending must be a whole number from 0");
        assertRefused(with(good, "after", "ws#1"), "workspaceId must be");
        assertRefused(with(good, "notBefore", "tomorrow"), "ISO-8601");
    }

    @Test
    void aCounterThatWouldOverflowOrATimeFarAheadIsRefused() {
        Map<String, Object> good = ResetCursor.start(DECEMBER).toMap();
        assertRefused(with(good, "pending", Long.MAX_VALUE - 5), "cursor.pending must be a whole number from 0 to");
        // notBefore and retryAt are at most a claim's lease ahead; year 9999 would chain self-invocations for ever.
        assertRefused(with(good, "notBefore", "9999-12-31T00:00:00Z"), "cursor.notBefore may be at most");
        assertRefused(with(good, "retryAt", "9999-12-31T00:00:00Z"), "cursor.retryAt may be at most");
        Map<String, Object> soon = with(good, "notBefore", NOW.plus(ResetCursor.MAX_WAIT).toString());
        assertThat(ResetCursor.fromMap(soon, NOW).notBefore()).isEqualTo(NOW.plus(ResetCursor.MAX_WAIT));
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static void assertRefused(Object cursor, String message) {
        assertThatThrownBy(() -> ResetCursor.fromMap(cursor, NOW)).isInstanceOf(CreditsException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(Refusals.status((CreditsException) e)).isEqualTo(400));
    }
}
