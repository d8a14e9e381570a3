package com.aicredits.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An organization's pool for one period: one running ledger for all its workspaces ({@code ledger}, a {@link Balance}
 * whose workspaceId is the organization's id: the same allocation, counters, hard limit and revision), and whether the
 * pool is {@code enabled}. A pooled debit moves this and the workspace's own balance in one transaction, both by
 * compare-and-set, the hard limit checked here. Kept when the pool is disabled, so that re-enabling it in the same
 * period continues its sequence.
 */
public record PoolBalance(boolean enabled, Balance ledger) {
    /** What a pooled record says in its {@code pool} field. */
    public static final String ORGANIZATION = "organization";

    public String organizationId() {
        return ledger.organizationId();
    }

    public Period period() {
        return ledger.period();
    }

    /**
     * The pool's opening as it is enabled: the allocation and hard limit given, and the usage its workspaces brought
     * (used, by feature, by day and the run counts summed); sequence 0, so its first pooled run is line 1.
     */
    public static PoolBalance opening(String organizationId, Period period, Credits baseCredits, Credits addonCredits,
                                      int hardLimitPercent, Collection<Balance> members) {
        return new PoolBalance(true, withMembers(new Balance(organizationId, organizationId, period, baseCredits, addonCredits,
                hardLimitPercent, true, PricingModel.EXTEND, EnumSet.noneOf(Feature.class), Credits.ZERO, 0, 0, Map.of(),
                Collections.nCopies(period.lengthInDays(), Credits.ZERO), 0, 0, Map.of()), members));
    }

    /**
     * This pool enabled again (or re-allocated) with the usage its workspaces hold now: what they used while pooled
     * and on their own since; the sequence runs on.
     */
    public PoolBalance reopened(Credits baseCredits, Credits addonCredits, int hardLimitPercent, Collection<Balance> members) {
        Balance moved = withMembers(new Balance(ledger.workspaceId(), ledger.organizationId(), period(), baseCredits,
                addonCredits, hardLimitPercent, true, PricingModel.EXTEND, EnumSet.noneOf(Feature.class), Credits.ZERO,
                ledger.sequence(), ledger.revision() + 1, Map.of(), Collections.nCopies(period().lengthInDays(), Credits.ZERO),
                0, 0, Map.of(), ledger.blockedAt()), members);
        return new PoolBalance(true, moved);
    }

    /** The same ledger with {@code credits} more add-on credits this period (a package bought for the pool). */
    public PoolBalance withMoreAddonCredits(Credits credits) {
        return new PoolBalance(enabled, ledger.withMoreAddonCredits(credits));
    }

    /** The same ledger with {@code credits} more (or, negative, fewer) monthly credits: a workspace's allocation moved. */
    public PoolBalance withMoreBaseCredits(Credits credits) {
        return new PoolBalance(enabled, ledger.withMoreBaseCredits(credits));
    }

    /** The pool switched off: its ledger stays as it stands (the workspaces go on alone). */
    public PoolBalance disabled() {
        return new PoolBalance(false, ledger.withMoreAddonCredits(Credits.ZERO));
    }

    /** Why the pool refuses the charge: 402 above its hard limit (Cases and BYOS are the workspace's to refuse). */
    public Optional<CreditsException> refusal(Charge charge) {
        return ledger.limitRefusal(charge).map(refused -> {
            Map<String, Object> detail = new LinkedHashMap<>(refused.detail());
            detail.put("pool", ORGANIZATION);
            detail.put("organizationId", organizationId());
            return new CreditsException(refused.refusal(), "the credit pool of organization " + organizationId() + ": "
                    + refused.getMessage(), detail);
        });
    }

    /** The pool after one more ledger line. Callers check {@link #refusal} first. */
    public PoolBalance debit(Charge charge, java.time.Instant occurredAt) {
        return new PoolBalance(enabled, ledger.debit(charge, occurredAt));
    }

    private static Balance withMembers(Balance empty, Collection<Balance> members) {
        Credits used = Credits.ZERO;
        EnumMap<Feature, Credits> features = new EnumMap<>(Feature.class);
        List<Credits> daily = new ArrayList<>(empty.dailyCredits());
        long free = 0;
        long cases = 0;
        EnumMap<Feature, Long> byos = new EnumMap<>(Feature.class);
        for (Balance member : members) {
            used = used.plus(member.used());
            member.usedByFeature().forEach((feature, credits) -> features.merge(feature, credits, Credits::plus));
            for (int day = 0; day < daily.size(); day++) {
                daily.set(day, daily.get(day).plus(member.dailyCredits().get(day)));
            }
            free += member.freeExecutions();
            cases += member.casesCounted();
            member.byosExecutions().forEach((feature, count) -> byos.merge(feature, count, Long::sum));
        }
        return new Balance(empty.workspaceId(), empty.organizationId(), empty.period(), empty.baseCredits(),
                empty.addonCredits(), empty.hardLimitPercent(), true, PricingModel.EXTEND, empty.byosFeatures(), used,
                empty.sequence(), empty.revision(), features, daily, free, cases, byos, empty.blockedAt());
    }
}
