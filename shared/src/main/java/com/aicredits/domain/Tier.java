package com.aicredits.domain;

/** A workspace's tier: its monthly credit allocation (EXTEND's, and LEGACY's) and its AI agent instance limit. */
public enum Tier {
    DEV(500, 50, 10),
    ESSENTIAL(2_000, 50, 20),
    PRO(5_000, 100, 30),
    ELITE(10_000, 250, 50),
    ELITE_PLUS(20_000, 500, 50),
    /** Partner tier: the allocation is the workspace's own {@code monthlyCredits}. */
    M_PARTNER(0, 0, 30);

    private final long monthlyCredits;
    /** The source's older AI Task model gives each plan its own, smaller, monthly credits. */
    private final long legacyMonthlyCredits;
    private final int agentInstanceLimit;

    Tier(long monthlyCredits, long legacyMonthlyCredits, int agentInstanceLimit) {
        this.monthlyCredits = monthlyCredits;
        this.legacyMonthlyCredits = legacyMonthlyCredits;
        this.agentInstanceLimit = agentInstanceLimit;
    }

    public boolean takesMonthlyCreditsFromWorkspace() {
        return this == M_PARTNER;
    }

    /** The tier's fixed allocation; meaningless for {@link #M_PARTNER}. */
    public Credits monthlyCredits() {
        return Credits.of(monthlyCredits);
    }

    /** The tier's fixed allocation under {@code pricingModel}; meaningless for {@link #M_PARTNER}. */
    public Credits monthlyCredits(PricingModel pricingModel) {
        return Credits.of(pricingModel == PricingModel.LEGACY ? legacyMonthlyCredits : monthlyCredits);
    }

    public int agentInstanceLimit() {
        return agentInstanceLimit;
    }
}
