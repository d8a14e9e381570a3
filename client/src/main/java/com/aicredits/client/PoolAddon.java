package com.aicredits.client;

/**
 * An add-on package of an organization's credit pool ({@code POST} and {@code GET /v1/organizations/{orgId}/addons}):
 * {@code monthlyCredits} more for the pool in every month from {@code startPeriod} to {@code endPeriod} ({@code term}
 * MONTHLY or ANNUAL); {@code purchasedAt} as the API wrote it.
 */
public record PoolAddon(String purchaseId, String organizationId, long monthlyCredits, String term, String startPeriod,
                        String endPeriod, long totalCredits, String purchasedAt) {
    /** How long a package lasts: the calendar month of purchase, or 12 calendar months from it. */
    public enum Term {
        MONTHLY, ANNUAL
    }
}
