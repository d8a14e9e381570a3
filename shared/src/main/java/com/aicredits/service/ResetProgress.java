package com.aicredits.service;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one invocation of the reset did: how many workspaces came out how ({@code counts}), how many organizations'
 * credit pools came out how ({@code poolCounts}: a pool's opening and summary), and whether the reset is done, goes on
 * from {@code next} (in another invocation), or gave up with workspaces or pools still pending.
 */
public record ResetProgress(ResetCursor from, Status status, ResetCursor next, int pages, Map<Outcome, Long> counts,
                            Map<Outcome, Long> poolCounts) {

    public enum Status {
        /** Every workspace's period is open and every summary sent (or not due). */
        DONE,
        /** Out of time, or waiting for a round to start: continue from {@code next}. */
        CONTINUE,
        /** Workspaces were still pending after the last round. */
        INCOMPLETE
    }

    /** How one step of one workspace ended. */
    public enum Outcome {
        OPENED,
        ALREADY_OPEN,
        SENT,
        /** SES refuses the summary for good to every recipient: parked (logged, metered), not retried; done. */
        PARKED,
        ALREADY_SENT,
        /** The workspace has no notification recipients. */
        NO_RECIPIENTS,
        /** No balance for the closed period: the workspace had nothing in that month to summarize. */
        NOTHING_TO_SUMMARIZE,
        /** The workspace drew from its organization's pool in the closed period: the pool's summary covers it. */
        POOLED,
        /** Another run holds the summary's claim; a later round looks again once its lease is over. */
        DEFERRED,
        /** Failed (the mail was not accepted, the table was unavailable); a later round tries again. */
        FAILED,
        /**
         * SES may have accepted the summary (the call timed out, say): the claim is kept, and a round after
         * {@link MonthlyReset#UNCERTAIN_RESEND_WAIT} sends it again (at worst a second copy).
         */
        UNCERTAIN
    }

    public ResetProgress {
        counts = new EnumMap<>(counts);
        poolCounts = new EnumMap<>(poolCounts);
    }

    public long count(Outcome outcome) {
        return counts.getOrDefault(outcome, 0L);
    }

    /** How many organizations' pools came out {@code outcome} (their opening and their summary each count). */
    public long poolCount(Outcome outcome) {
        return poolCounts.getOrDefault(outcome, 0L);
    }

    /** Every outcome by name, zeros included, in the enum's order. */
    public Map<String, Long> countsByName() {
        Map<String, Long> byName = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            byName.put(outcome.name(), count(outcome));
        }
        return byName;
    }

    /** How many organizations' pools came out each outcome, by name (only those counted). */
    public Map<String, Long> poolCountsByName() {
        Map<String, Long> byName = new LinkedHashMap<>();
        poolCounts.forEach((outcome, count) -> byName.put(outcome.name(), count));
        return byName;
    }

    /** For the invocation's result and its log line. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("period", from.period().toString());
        map.put("status", status.name());
        map.put("round", from.round());
        map.put("pages", pages);
        map.put("outcomes", countsByName());
        map.put("poolOutcomes", poolCountsByName());
        if (next != null) {
            map.put("next", next.toMap());
        }
        return map;
    }
}
