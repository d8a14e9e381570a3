package com.aicredits.domain;

import java.time.Instant;
import java.util.List;

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
        return opening(workspace, period, false);
    }

    /** As above, drawing from the organization's pool ({@code pooled}) or from its own allocation. */
    public static Balance opening(Workspace workspace, Period period, boolean pooled) {
        return Balance.open(workspace, period, addonCredits(workspace, period), pooled);
    }

    /**
     * The periods whose balances a workspace change at {@code now} applies to: the current one and the next, which a
     * debit (occurredAt up to 5 minutes ahead) or an early reset may have opened before the clock reaches it. Earlier
     * periods keep the settings they closed with.
     */
    public static List<Period> changedAt(Instant now) {
        Period current = Period.of(now);
        return List.of(current, current.next());
    }

    /** The credits of the workspace's add-on packages whose term covers {@code period}. */
    static Credits addonCredits(Workspace workspace, Period period) {
        return workspace.addonCredits(period);
    }
}
