package com.aicredits.domain;

/** A workspace's tier: its monthly credit allocation and its AI agent instance limit. */
public enum Tier {
    DEV(500, 10),
    ESSENTIAL(2_000, 20),
    PRO(5_000, 30),
    ELITE(10_000, 50),
    ELITE_PLUS(20_000, 50),
    /** Partner tier: the allocation is the workspace's own {@code monthlyCredits}. */
    M_PARTNER(0, 30);

    private final long monthlyCredits;
    private final int agentInstanceLimit;

    Tier(long monthlyCredits, int agentInstanceLimit) {
        this.monthlyCredits = monthlyCredits;
        this.agentInstanceLimit = agentInstanceLimit;
    }

    public boolean takesMonthlyCreditsFromWorkspace() {
        return this == M_PARTNER;
    }

    /** The tier's fixed allocation; meaningless for {@link #M_PARTNER}. */
    public long monthlyCredits() {
        return monthlyCredits;
    }

    public int agentInstanceLimit() {
        return agentInstanceLimit;
    }
}
