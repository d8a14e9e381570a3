package com.aicredits.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An organization as an admin sets it: its name and, opt-in, its credit pool (null: none, every workspace on its own
 * allocation). {@code addons}: the packages bought for the pool. {@code version} grows with every change; every pool
 * switch is conditional on it. {@code workspaceCount}: how many workspaces the organization has (counted from the index
 * when it was created, then one more by each workspace's creation, in the same transaction), so that a switch knows
 * when the eventually consistent index has not listed them all yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Organization(String organizationId, String name, CreditPool creditPool,
                           @JsonIgnore List<AddonPackage> addons, @JsonIgnore long version, @JsonIgnore long workspaceCount) {

    public Organization {
        addons = addons == null ? List.of() : List.copyOf(addons);
    }

    /** An organization whose workspaces are not counted yet. */
    public Organization(String organizationId, String name, CreditPool creditPool, List<AddonPackage> addons, long version) {
        this(organizationId, name, creditPool, addons, version, 0);
    }

    /** Validates a spec into the organization it describes (version 0); every refusal is a 400 naming the field. */
    public static Organization fromSpec(String organizationId, OrganizationSpec spec) {
        Ids.organizationId(organizationId);
        if (spec.organizationId() != null && !spec.organizationId().equals(organizationId)) {
            throw CreditsException.invalid("organizationId", "organizationId in the body ("
                    + CreditsException.quote(spec.organizationId()) + ") differs from the path ('" + organizationId + "')");
        }
        return new Organization(organizationId, Workspace.validName(spec.name()), CreditPool.fromSpec(spec.creditPool()),
                List.of(), 0);
    }

    /** Whether the organization's workspaces draw from its pool. */
    @JsonIgnore
    public boolean pooled() {
        return creditPool != null && creditPool.enabled();
    }

    public Organization withVersion(long newVersion) {
        return new Organization(organizationId, name, creditPool, addons, newVersion, workspaceCount);
    }

    public Organization withAddons(List<AddonPackage> newAddons) {
        return new Organization(organizationId, name, creditPool, newAddons, version, workspaceCount);
    }

    public Organization withWorkspaceCount(long count) {
        return new Organization(organizationId, name, creditPool, addons, version, count);
    }

    /** The add-on credits of the pool's packages active in {@code period}. */
    @JsonIgnore
    public Credits addonCredits(Period period) {
        return Credits.of(addons.stream().filter(addon -> addon.activeIn(period)).mapToLong(AddonPackage::monthlyCredits).sum());
    }
}
