package com.aicredits.domain;

import java.util.List;

/**
 * The body of {@code PUT /v1/workspaces/{workspaceId}}: what an admin asks for, before validation.
 * Boxed fields so that "absent" and "given" stay distinguishable.
 */
public record WorkspaceSpec(
        String workspaceId,
        String organizationId,
        String name,
        String tier,
        String pricingModel,
        Boolean casesEnabled,
        Long monthlyCredits,
        Integer agentInstanceLimit,
        List<String> notificationEmails,
        List<Integer> thresholds,
        Integer hardLimitPercent,
        Byos.Spec byos) {

    /** A spec without a BYOS setting. */
    public WorkspaceSpec(String workspaceId, String organizationId, String name, String tier, String pricingModel,
                         Boolean casesEnabled, Long monthlyCredits, Integer agentInstanceLimit,
                         List<String> notificationEmails, List<Integer> thresholds, Integer hardLimitPercent) {
        this(workspaceId, organizationId, name, tier, pricingModel, casesEnabled, monthlyCredits, agentInstanceLimit,
                notificationEmails, thresholds, hardLimitPercent, null);
    }
}
