package com.aicredits.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An organization as an admin sets it: its name and, opt-in, its credit pool (null: none, every workspace on its own
 * allocation). {@code addons}: the packages bought for the pool. {@code version} grows with every change; every pool
 * switch, and every opening of a pool's period, is conditional on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Organization(String organizationId, String name, CreditPool creditPool,
                           @JsonIgnore List<AddonPackage> addons, @JsonIgnore long version) {

    public Organization {
        addons = addons == null ? List.of() : List.copyOf(addons);
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
        return new Organization(organizationId, name, creditPool, addons, newVersion);
    }

    public Organization withAddons(List<AddonPackage> newAddons) {
        return new Organization(organizationId, name, creditPool, newAddons, version);
    }

    /** The add-on credits of the pool's packages active in {@code period}. */
    @JsonIgnore
    public Credits addonCredits(Period period) {
        return Credits.of(addons.stream().filter(addon -> addon.activeIn(period)).mapToLong(AddonPackage::monthlyCredits).sum());
    }
}
