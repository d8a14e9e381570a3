package com.aicredits.service;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Period;
import com.aicredits.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a reset stands, carried from one invocation to the next: the period it opens, the round (a full pass over the
 * workspace index; a later round redoes only what an earlier one could not finish), the index shard and the last
 * workspace done there, how many workspaces this round left pending, and two times: {@code retryAt}, when the
 * latest claim this round deferred to expires, and {@code notBefore}, when this round may start.
 */
public record ResetCursor(Period period, int round, int shard, String after, long pending, Instant retryAt, Instant notBefore) {
    private static final Set<String> FIELDS = Set.of("period", "round", "shard", "after", "pending", "retryAt", "notBefore");
    /**
     * The furthest ahead {@code retryAt} and {@code notBefore} may be: a claim's lease ends with its holder's invocation
     * (15 minutes at most, plus a margin), so anything beyond an hour is not a cursor this reset wrote.
     */
    public static final Duration MAX_WAIT = Duration.ofHours(1);
    /** More pending workspaces than any table holds, and far enough below {@code Long.MAX_VALUE} that adding cannot overflow. */
    static final long MAX_PENDING = 1_000_000_000_000L;

    public ResetCursor {
        if (round < 1 || shard < 0 || pending < 0) {
            throw new IllegalArgumentException("round >= 1, shard >= 0 and pending >= 0; got " + round + ", " + shard + ", " + pending);
        }
    }

    /** The first invocation of a reset of {@code period}. */
    public static ResetCursor start(Period period) {
        return new ResetCursor(period, 1, 0, null, 0, null, null);
    }

    /** After a page of {@code shard}: {@code last} is where the shard goes on, or null when it is done. */
    ResetCursor afterPage(String last, long pendingInPage, Instant heldUntil) {
        Instant retry = retryAt == null || (heldUntil != null && heldUntil.isAfter(retryAt)) ? heldUntil : retryAt;
        return new ResetCursor(period, round, last == null ? shard + 1 : shard, last, pending + pendingInPage, retry, notBefore);
    }

    /** The next round, from the first shard, not before {@code start}. */
    ResetCursor nextRound(Instant start) {
        return new ResetCursor(period, round + 1, 0, null, 0, null, start);
    }

    ResetCursor started() {
        return notBefore == null ? this : new ResetCursor(period, round, shard, after, pending, retryAt, null);
    }

    /** As carried in a continuation event's {@code detail.cursor}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("period", period.toString());
        map.put("round", round);
        map.put("shard", shard);
        if (after != null) {
            map.put("after", after);
        }
        map.put("pending", pending);
        if (retryAt != null) {
            map.put("retryAt", Timestamps.format(retryAt));
        }
        if (notBefore != null) {
            map.put("notBefore", Timestamps.format(notBefore));
        }
        return map;
    }

    /** Reads {@code toMap()}'s form back, at {@code now}; anything else is a 400 naming what is wrong. */
    public static ResetCursor fromMap(Object value, Instant now) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid("cursor must be an object; got " + value);
        }
        for (Object key : map.keySet()) {
            if (!FIELDS.contains(key)) {
                throw invalid("unknown field '" + key + "' in cursor; known: " + FIELDS);
            }
        }
        Period period = Period.parse(text(map, "period", true));
        int round = (int) number(map, "round", 1, 1_000);
        int shard = (int) number(map, "shard", 0, 1_000);
        String after = text(map, "after", false);
        if (after != null) {
            Ids.workspaceId(after);
        }
        long pending = number(map, "pending", 0, MAX_PENDING);
        return new ResetCursor(period, round, shard, after, pending, instant(map, "retryAt", now), instant(map, "notBefore", now));
    }

    private static String text(Map<?, ?> map, String field, boolean required) {
        Object value = map.get(field);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw invalid("cursor." + field + " must be a string; got " + value);
        }
        return text;
    }

    private static long number(Map<?, ?> map, String field, long min, long max) {
        Object value = map.get(field);
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw invalid("cursor." + field + " must be a whole number from " + min + " to " + max + "; got " + value);
        }
        return ((Number) value).longValue();
    }

    private static Instant instant(Map<?, ?> map, String field, Instant now) {
        String text = text(map, field, false);
        if (text == null) {
            return null;
        }
        Instant instant = Timestamps.parse("cursor." + field, text);
        if (instant.isAfter(now.plus(MAX_WAIT))) {
            throw invalid("cursor." + field + " may be at most " + MAX_WAIT.toMinutes() + " minutes ahead of now ("
                    + Timestamps.format(now) + "); got " + text);
        }
        return instant;
    }

    private static CreditsException invalid(String message) {
        return CreditsException.invalid("cursor", message);
    }
}
