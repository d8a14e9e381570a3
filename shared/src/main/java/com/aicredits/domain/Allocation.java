package com.aicredits.domain;

/**
 * A period's allocation: the tier's monthly credits plus the add-on packages active in that month. The one place a
 * new period's allocation is computed, for a debit that opens it lazily and for the monthly reset alike, so the two
 * can never disagree.
 */
public final class Allocation {
    private Allocation() {
    }

    /** The full shape of {@code period} for {@code workspace} before anyone debits it. */
    public static Balance opening(Workspace workspace, Period period) {
        return Balance.open(workspace, period, addonCredits(workspace, period));
    }

    /** The credits of the workspace's add-on packages whose term covers {@code period}. */
    static long addonCredits(Workspace workspace, Period period) {
        return workspace.addonCredits(period);
    }
}
