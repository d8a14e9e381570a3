package com.aicredits.client;

import java.util.List;

/**
 * An organization as the API returns it ({@code PUT} and {@code GET /v1/organizations/{orgId}}, admin scope): its name
 * and, opt-in, its credit pool (null: none, every workspace on its own allocation). Fields a newer server adds are
 * ignored.
 */
public record Organization(String organizationId, String name, CreditPool creditPool) {
    /**
     * The organization's credit pool: while {@code enabled}, every workspace of the organization draws from one balance
     * per period. Null {@code monthlyCredits}: the sum of the workspaces' allocations; null {@code hardLimitPercent} and
     * {@code thresholds}: the defaults. {@code notificationEmails}: who the pool's alerts and monthly summary go to.
     */
    public record CreditPool(boolean enabled, Long monthlyCredits, Integer hardLimitPercent, List<Integer> thresholds,
                             List<String> notificationEmails) {
        public CreditPool {
            thresholds = thresholds == null ? null : List.copyOf(thresholds);
            notificationEmails = notificationEmails == null ? List.of() : List.copyOf(notificationEmails);
        }

        /** A pool switched on or off with the defaults (allocation, hard limit, thresholds) and these recipients. */
        public static CreditPool of(boolean enabled, List<String> notificationEmails) {
            return new CreditPool(enabled, null, null, null, notificationEmails);
        }
    }
}
