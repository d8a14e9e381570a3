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
