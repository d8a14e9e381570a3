package com.aicredits.domain;

/** The body of {@code PUT /v1/organizations/{orgId}}: what an admin asks for, before validation. */
public record OrganizationSpec(String organizationId, String name, CreditPool.Spec creditPool) {
}
