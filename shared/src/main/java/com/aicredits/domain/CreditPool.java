package com.aicredits.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An organization's credit pool (the source's "organization level" mode): while {@code enabled}, every workspace of
 * the organization draws from one balance per period. {@code monthlyCredits} null: the sum of the workspaces'
 * allocations; {@code hardLimitPercent} and {@code thresholds} null: the defaults (LEGACY's when every workspace is
 * LEGACY).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreditPool(boolean enabled, Long monthlyCredits, Integer hardLimitPercent, List<Integer> thresholds,
                         List<String> notificationEmails) {

    public CreditPool {
        thresholds = thresholds == null ? null : List.copyOf(thresholds);
        notificationEmails = notificationEmails == null ? List.of() : List.copyOf(notificationEmails);
    }

    /** The body's {@code creditPool}, before validation; boxed so that "absent" stays distinguishable. */
    public record Spec(Boolean enabled, Long monthlyCredits, Integer hardLimitPercent, List<Integer> thresholds,
                       List<String> notificationEmails) {
    }

    /** Validates a spec (every refusal a 400 naming the field, prefixed {@code creditPool.}). */
    public static CreditPool fromSpec(Spec spec) {
        if (spec == null) {
            return null;
        }
        if (spec.enabled() == null) {
            throw CreditsException.invalid("creditPool.enabled", "creditPool.enabled is required (true or false)");
        }
        Long monthlyCredits = spec.monthlyCredits();
        if (monthlyCredits != null && (monthlyCredits < 1 || monthlyCredits > Workspace.MAX_MONTHLY_CREDITS)) {
            throw CreditsException.invalid("creditPool.monthlyCredits",
                    "creditPool.monthlyCredits must be between 1 and " + Workspace.MAX_MONTHLY_CREDITS);
        }
        Integer hardLimitPercent = spec.hardLimitPercent();
        if (hardLimitPercent != null && (hardLimitPercent < Workspace.MIN_HARD_LIMIT_PERCENT
                || hardLimitPercent > Workspace.MAX_HARD_LIMIT_PERCENT)) {
            throw CreditsException.invalid("creditPool.hardLimitPercent", "creditPool.hardLimitPercent must be between "
                    + Workspace.MIN_HARD_LIMIT_PERCENT + " and " + Workspace.MAX_HARD_LIMIT_PERCENT);
        }
        return new CreditPool(spec.enabled(), monthlyCredits, hardLimitPercent,
                Workspace.validThresholds("creditPool.thresholds", spec.thresholds()),
                Workspace.validEmails("creditPool.notificationEmails", spec.notificationEmails()));
    }

    /** The hard limit in force: the one set, else 100% when every workspace is LEGACY, else 200%. */
    @JsonIgnore
    public int effectiveHardLimitPercent(boolean allLegacy) {
        return hardLimitPercent != null ? hardLimitPercent
                : allLegacy ? Workspace.LEGACY_HARD_LIMIT_PERCENT : Workspace.DEFAULT_HARD_LIMIT_PERCENT;
    }

    /** The thresholds in force: the ones set, else LEGACY's when every workspace is LEGACY, else the defaults. */
    @JsonIgnore
    public List<Integer> effectiveThresholds(boolean allLegacy) {
        return thresholds != null ? thresholds : allLegacy ? Workspace.LEGACY_THRESHOLDS : Workspace.DEFAULT_THRESHOLDS;
    }
}
