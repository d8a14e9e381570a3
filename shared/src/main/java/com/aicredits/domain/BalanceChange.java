package com.aicredits.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One write of a balance as the stream shows it: the balance after it, whether it debited (usage grew) and when.
 *
 * @param debited only a debit fires alerts: a tier change, an add-on or a refund alone fires nothing
 * @param blocked this write marked the balance blocked at its hard limit ({@link Balance#blockedAt()}): it fires the
 *                hard limit's threshold, whether or not the workspace's thresholds list it
 */
public record BalanceChange(Balance balance, boolean debited, Instant at, boolean blocked) {

    /** A change that does not block the balance. */
    public BalanceChange(Balance balance, boolean debited, Instant at) {
        this(balance, debited, at, false);
    }

    /**
     * The alerts some change of one balance reached, each with the first change that reached it, in that order. Every
     * debit's image counts, not only the last one: a crossing followed by a refund or an add-on still fires, so what
     * fires does not depend on how the stream batched the records.
     */
    public static Map<Alert, BalanceChange> due(List<BalanceChange> changes, List<Integer> thresholds) {
        Map<Alert, BalanceChange> due = new LinkedHashMap<>();
        for (BalanceChange change : changes) {
            if (change.blocked()) {
                due.putIfAbsent(Alert.threshold(change.balance().hardLimitPercent()), change);
            }
            if (!change.debited()) {
                continue;
            }
            for (int threshold : Thresholds.reached(change.balance(), thresholds)) {
                due.putIfAbsent(Alert.threshold(threshold), change);
            }
            if (Forecast.runsOutBeforePeriodEnd(change.balance(), change.at())) {
                due.putIfAbsent(Alert.forecast(), change);
            }
        }
        return due;
    }
}
