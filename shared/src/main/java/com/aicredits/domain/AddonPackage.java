package com.aicredits.domain;

import java.util.List;

/**
 * An add-on package bought for a workspace: {@code monthlyCredits} more every month of its term, MONTHLY (the
 * calendar month of purchase) or ANNUAL (12 calendar months from the month of purchase). Credits never roll over.
 */
public record AddonPackage(String purchaseId, long monthlyCredits, Term term, String startPeriod, String endPeriod,
                           String purchasedAt) {
    public enum Term { MONTHLY, ANNUAL }

    public static final List<Long> SIZES = List.of(10_000L, 25_000L, 50_000L, 100_000L);

    public static AddonPackage bought(String purchaseId, long monthlyCredits, Term term, java.time.Instant at) {
        Period start = Period.of(at);
        Period end = term == Term.MONTHLY ? start : new Period(start.month().plusMonths(11));
        return new AddonPackage(purchaseId, monthlyCredits, term, start.toString(), end.toString(), Timestamps.format(at));
    }

    public boolean activeIn(Period period) {
        return period.compareTo(Period.parse(startPeriod)) >= 0 && period.compareTo(Period.parse(endPeriod)) <= 0;
    }

    /** What the whole term adds: 10,000 a month bought ANNUAL is 120,000. */
    public long totalCredits() {
        return monthlyCredits * (term == Term.MONTHLY ? 1 : 12);
    }

    /** What the package adds to each month of its term. */
    public Credits credits() {
        return Credits.of(monthlyCredits);
    }
}
