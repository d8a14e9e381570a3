package com.aicredits.domain;

import java.util.List;

/**
 * What a monthly summary tells beside the closed month's balance: the balance of the month before it (null when that
 * month has none) and the thresholds that fired in the closed month, lowest first.
 */
public record SummaryHistory(Balance monthBefore, List<Integer> thresholdsReached) {
    public SummaryHistory {
        thresholdsReached = thresholdsReached.stream().sorted().toList();
    }

    public static SummaryHistory none() {
        return new SummaryHistory(null, List.of());
    }
}
