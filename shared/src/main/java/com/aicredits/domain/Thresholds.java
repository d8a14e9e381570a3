package com.aicredits.domain;

import java.util.List;

/** Usage thresholds: percentages of a period's allocation that fire an alert once, when usage first reaches them. */
public final class Thresholds {
    private Thresholds() {
    }

    /** The thresholds {@code balance} has reached (used >= t% of allocated), lowest first. */
    public static List<Integer> reached(Balance balance, List<Integer> thresholds) {
        return thresholds.stream().filter(t -> reached(balance, t)).sorted().toList();
    }

    /**
     * The thresholds {@code balance} reached, and the hard limit's threshold when the balance was blocked there (see
     * {@link Balance#blockedAt()}): what its alerts fired, read from the balance alone. Lowest first.
     */
    public static List<Integer> reachedOrBlocked(Balance balance, List<Integer> thresholds) {
        List<Integer> reached = new java.util.ArrayList<>(reached(balance, thresholds));
        if (balance.blockedAt() != null && !reached.contains(balance.hardLimitPercent())) {
            reached.add(balance.hardLimitPercent());
        }
        return reached.stream().sorted().toList();
    }

    public static boolean reached(Balance balance, int threshold) {
        // Integer arithmetic: 80% of 333 credits is reached at 267 (266.4 rounded up), never by a rounding error.
        return balance.allocated() > 0 && balance.used() * 100 >= (long) threshold * balance.allocated();
    }

    /** Usage as a percentage of the allocation, one decimal (e.g. 81.3). */
    public static double percentUsed(Balance balance) {
        if (balance.allocated() <= 0) {
            return 0;
        }
        return Math.round(balance.used() * 1000.0 / balance.allocated()) / 10.0;
    }
}
