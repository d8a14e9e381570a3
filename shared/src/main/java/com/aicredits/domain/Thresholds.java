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
        // Integer arithmetic on hundredths: 80% of 333 credits is reached at 266.4, 90% of 0.25 x 4 at 0.9, never by a
        // rounding error.
        return balance.allocated().isPositive()
                && balance.used().hundredths() * 100 >= (long) threshold * balance.allocated().hundredths();
    }

    /** Usage as a percentage of the allocation, one decimal (e.g. 81.3). */
    public static java.math.BigDecimal percentUsed(Balance balance) {
        return balance.used().percentOf(balance.allocated());
    }
}
