package com.aicredits.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A workspace's balance for one period: the allocation, the running ledger's head (used, sequence) and the
 * counters by feature and by day (and BYOS runs by feature). It also carries the workspace settings a debit needs (hard
 * limit, Cases, pricing model, the features enabled for BYOS), so a debit reads and writes this one item. {@code revision} grows with every write: it is
 * the compare-and-set token of the debit transaction.
 *
 * <p>{@code blockedAt}: when the period's first debit refused for the hard limit was refused (null until then; set
 * once, by a write of its own that leaves the ledger and {@code revision} as they are, so no debit loses a race to it).
 *
 * <p>{@code pooled}: this period the workspace draws from its organization's pool ({@link PoolBalance}), not from this
 * allocation: its debits move both, this balance counting what the workspace used. Set and cleared only by the pool's
 * switch, at a revision, so a debit never moves the wrong balance.
 */
public record Balance(
        String workspaceId,
        String organizationId,
        Period period,
        Credits baseCredits,
        Credits addonCredits,
        int hardLimitPercent,
        boolean casesEnabled,
        PricingModel pricingModel,
        Set<Feature> byosFeatures,
        Credits used,
        long sequence,
        long revision,
        Map<Feature, Credits> usedByFeature,
        List<Credits> dailyCredits,
        long freeExecutions,
        long casesCounted,
        Map<Feature, Long> byosExecutions,
        Instant blockedAt,
        boolean pooled) {

    public Balance {
        EnumMap<Feature, Credits> features = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.CHARGEABLE) {
            features.put(feature, usedByFeature.getOrDefault(feature, Credits.ZERO));
        }
        usedByFeature = Collections.unmodifiableMap(features);
        if (dailyCredits.size() != period.lengthInDays()) {
            throw new IllegalArgumentException("expected " + period.lengthInDays() + " daily counters, got " + dailyCredits.size());
        }
        dailyCredits = List.copyOf(dailyCredits);
        byosFeatures = byosFeatures.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(byosFeatures));
        EnumMap<Feature, Long> byos = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            byos.put(feature, byosExecutions.getOrDefault(feature, 0L));
        }
        byosExecutions = Collections.unmodifiableMap(byos);
    }

    /** A balance of the workspace's own allocation (not drawing from a pool). */
    public Balance(String workspaceId, String organizationId, Period period, Credits baseCredits, Credits addonCredits,
                   int hardLimitPercent, boolean casesEnabled, PricingModel pricingModel, Set<Feature> byosFeatures, Credits used,
                   long sequence, long revision, Map<Feature, Credits> usedByFeature, List<Credits> dailyCredits,
                   long freeExecutions, long casesCounted, Map<Feature, Long> byosExecutions, Instant blockedAt) {
        this(workspaceId, organizationId, period, baseCredits, addonCredits, hardLimitPercent, casesEnabled, pricingModel,
                byosFeatures, used, sequence, revision, usedByFeature, dailyCredits, freeExecutions, casesCounted,
                byosExecutions, blockedAt, false);
    }

    /** A balance never blocked at its hard limit. */
    public Balance(String workspaceId, String organizationId, Period period, Credits baseCredits, Credits addonCredits,
                   int hardLimitPercent, boolean casesEnabled, PricingModel pricingModel, Set<Feature> byosFeatures, Credits used,
                   long sequence, long revision, Map<Feature, Credits> usedByFeature, List<Credits> dailyCredits,
                   long freeExecutions, long casesCounted, Map<Feature, Long> byosExecutions) {
        this(workspaceId, organizationId, period, baseCredits, addonCredits, hardLimitPercent, casesEnabled, pricingModel,
                byosFeatures, used, sequence, revision, usedByFeature, dailyCredits, freeExecutions, casesCounted,
                byosExecutions, null);
    }

    /** A balance without BYOS (no feature enabled for it, no BYOS run counted). */
    public Balance(String workspaceId, String organizationId, Period period, Credits baseCredits, Credits addonCredits,
                   int hardLimitPercent, boolean casesEnabled, PricingModel pricingModel, Credits used, long sequence,
                   long revision, Map<Feature, Credits> usedByFeature, List<Credits> dailyCredits, long freeExecutions,
                   long casesCounted) {
        this(workspaceId, organizationId, period, baseCredits, addonCredits, hardLimitPercent, casesEnabled, pricingModel,
                Set.of(), used, sequence, revision, usedByFeature, dailyCredits, freeExecutions, casesCounted, Map.of());
    }

    /** The full shape of a period nobody has debited yet. */
    public static Balance open(Workspace workspace, Period period, Credits addonCredits) {
        return open(workspace, period, addonCredits, false);
    }

    /** As above, drawing from the organization's pool ({@code pooled}) or not. */
    public static Balance open(Workspace workspace, Period period, Credits addonCredits, boolean pooled) {
        return new Balance(workspace.workspaceId(), workspace.organizationId(), period, workspace.baseMonthlyCredits(),
                addonCredits, workspace.hardLimitPercent(), workspace.casesEnabled(), workspace.pricingModel(),
                workspace.byosFeatures(), Credits.ZERO, 0, 0, Map.of(), Collections.nCopies(period.lengthInDays(), Credits.ZERO),
                0, 0, Map.of(), null, pooled);
    }

    public Credits allocated() {
        return baseCredits.plus(addonCredits);
    }

    public Credits remaining() {
        return allocated().minus(used);
    }

    /** The most credits this period may use: the hard-limit percentage of the allocation, rounded down to the hundredth. */
    public Credits hardLimitCredits() {
        return allocated().percent(hardLimitPercent);
    }

    /** BYOS runs in this period, all features together. */
    public long byosExecutionsTotal() {
        return byosExecutions.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Why this balance refuses the charge (403 without Cases or BYOS for its feature, 402 above the hard limit), if it
     * does.
     */
    public Optional<CreditsException> refusal(Charge charge) {
        return accessRefusal(charge).or(() -> limitRefusal(charge));
    }

    /** Why the workspace refuses the charge whatever its credits: 403 without Cases, or without BYOS for its feature. */
    public Optional<CreditsException> accessRefusal(Charge charge) {
        if (charge.feature().isCaseFeature() && !casesEnabled) {
            return Optional.of(new CreditsException(Refusal.CASES_DISABLED, "workspace " + workspaceId
                    + " does not have Cases enabled; activity '" + charge.price().activity().key() + "' is not available"));
        }
        if (charge.byos() && !byosFeatures.contains(charge.feature())) {
            return Optional.of(new CreditsException(Refusal.BYOS_NOT_ENABLED, "workspace " + workspaceId
                    + " has not enabled BYOS (its own model subscription) for " + charge.feature() + "; activity '"
                    + charge.price().activity().key() + "' cannot run with model BYOS"));
        }
        return Optional.empty();
    }

    /** Why the charge would take usage above the hard limit (402), if it would. */
    public Optional<CreditsException> limitRefusal(Charge charge) {
        Credits after = used.plus(charge.credits());
        if (charge.credits().isPositive() && after.isGreaterThan(hardLimitCredits())) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("period", period.toString());
            detail.put("credits", charge.credits());
            detail.put("creditsUsed", used);
            detail.put("usageAfter", after);
            detail.put("hardLimitPercent", hardLimitPercent);
            detail.put("creditsAllocated", allocated());
            detail.put("hardLimitCredits", hardLimitCredits());
            return Optional.of(new CreditsException(Refusal.HARD_LIMIT, String.format(
                    "recording %s credits would bring %s usage to %s credits, above the hard limit of %d%% of %s"
                            + " allocated (%s credits); buy an add-on package or raise the limit",
                    charge.credits(), period, after, hardLimitPercent, allocated(), hardLimitCredits()), detail));
        }
        return Optional.empty();
    }

    /** The balance after one more ledger line. Callers check {@link #refusal} first. */
    public Balance debit(Charge charge, Instant occurredAt) {
        int day = occurredAt.atOffset(ZoneOffset.UTC).getDayOfMonth();
        if (!Period.of(occurredAt).equals(period)) {
            throw new IllegalArgumentException(occurredAt + " is outside " + period);
        }
        EnumMap<Feature, Credits> features = new EnumMap<>(usedByFeature);
        List<Credits> daily = new ArrayList<>(dailyCredits);
        if (charge.credits().isPositive()) {
            features.merge(charge.feature(), charge.credits(), Credits::plus);
            daily.set(day - 1, daily.get(day - 1).plus(charge.credits()));
        }
        Map<Feature, Long> byos = byosExecutions;
        if (charge.byos()) {
            byos = new EnumMap<>(byosExecutions);
            byos.merge(charge.feature(), 1L, Long::sum);
        }
        return new Balance(workspaceId, organizationId, period, baseCredits, addonCredits, hardLimitPercent, casesEnabled,
                pricingModel, byosFeatures, used.plus(charge.credits()), sequence + 1, revision + 1, features, daily,
                freeExecutions + (charge.free() ? 1 : 0), casesCounted + (charge.countedAsCase() ? 1 : 0), byos,
                blockedAt, pooled);
    }

    /**
     * The balance after a refund line: the record's credits leave {@code used}, its feature and the day it occurred
     * (so the daily chart shows net usage by the day of the run). Counts of runs (free, cases, BYOS) stay: the runs
     * happened.
     */
    public Balance refund(UsageRecord refunded) {
        if (!refunded.period().equals(period.toString())) {
            throw new IllegalArgumentException(refunded.executionId() + " belongs to " + refunded.period() + ", not " + period);
        }
        Credits credits = refunded.creditsConsumed();
        EnumMap<Feature, Credits> features = new EnumMap<>(usedByFeature);
        List<Credits> daily = new ArrayList<>(dailyCredits);
        if (credits.isPositive()) {
            int day = Timestamps.parse("occurredAt", refunded.occurredAt()).atOffset(ZoneOffset.UTC).getDayOfMonth();
            features.merge(refunded.feature(), credits.negated(), Credits::plus);
            daily.set(day - 1, daily.get(day - 1).minus(credits));
        }
        return new Balance(workspaceId, organizationId, period, baseCredits, addonCredits, hardLimitPercent, casesEnabled,
                pricingModel, byosFeatures, used.minus(credits), sequence + 1, revision + 1, features, daily, freeExecutions,
                casesCounted, byosExecutions, blockedAt, pooled);
    }

    /** The same ledger under the workspace's new settings (tier, hard limit, Cases, pricing model, BYOS). */
    public Balance withSettingsOf(Workspace workspace) {
        return new Balance(workspaceId, workspace.organizationId(), period, workspace.baseMonthlyCredits(), addonCredits,
                workspace.hardLimitPercent(), workspace.casesEnabled(), workspace.pricingModel(), workspace.byosFeatures(),
                used, sequence, revision + 1, usedByFeature, dailyCredits, freeExecutions, casesCounted, byosExecutions,
                blockedAt, pooled);
    }

    /** The same ledger with {@code credits} more add-on credits this period (a purchase). */
    public Balance withMoreAddonCredits(Credits credits) {
        return new Balance(workspaceId, organizationId, period, baseCredits, addonCredits.plus(credits), hardLimitPercent,
                casesEnabled, pricingModel, byosFeatures, used, sequence, revision + 1, usedByFeature, dailyCredits,
                freeExecutions, casesCounted, byosExecutions, blockedAt, pooled);
    }

    /** The same ledger with {@code credits} more (or fewer) monthly credits before add-ons (a pool's, as a workspace moves). */
    public Balance withMoreBaseCredits(Credits credits) {
        return new Balance(workspaceId, organizationId, period, baseCredits.plus(credits), addonCredits, hardLimitPercent,
                casesEnabled, pricingModel, byosFeatures, used, sequence, revision + 1, usedByFeature, dailyCredits,
                freeExecutions, casesCounted, byosExecutions, blockedAt, pooled);
    }

    /** The same ledger, drawing from the organization's pool from now on ({@code true}) or from its own allocation. */
    public Balance withPooled(boolean drawsFromPool) {
        return new Balance(workspaceId, organizationId, period, baseCredits, addonCredits, hardLimitPercent, casesEnabled,
                pricingModel, byosFeatures, used, sequence, revision + 1, usedByFeature, dailyCredits, freeExecutions,
                casesCounted, byosExecutions, blockedAt, drawsFromPool);
    }

    public boolean hasSettingsOf(Workspace workspace) {
        return baseCredits.equals(workspace.baseMonthlyCredits()) && hardLimitPercent == workspace.hardLimitPercent()
                && casesEnabled == workspace.casesEnabled() && pricingModel == workspace.pricingModel()
                && byosFeatures.equals(workspace.byosFeatures()) && organizationId.equals(workspace.organizationId());
    }
}
