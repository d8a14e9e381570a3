package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Organization;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Workspace;
import com.aicredits.port.OrganizationStore;
import com.aicredits.port.OrganizationStore.OrganizationWrite;
import com.aicredits.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Creates, replaces and reads organizations. Switching the credit pool on or off moves, in the one transaction of the
 * organization's write, every open balance of its workspaces and the pool's balance ({@link PoolSwitch}); a debit that
 * commits meanwhile cancels it and it is redone from a fresh read, so the switch is exact under concurrent debits.
 */
public final class OrganizationService {
    private final OrganizationStore store;
    private final Clock clock;
    private final Retries retries;

    public OrganizationService(OrganizationStore store, Clock clock, Retries retries) {
        this.store = store;
        this.clock = clock;
        this.retries = retries;
    }

    /** The saved organization and whether it was created. */
    public record Saved(Organization organization, boolean created) {
    }

    public Saved put(String organizationId, OrganizationSpec spec) {
        return put(organizationId, spec, null);
    }

    /**
     * As above, giving up on contention (503) by the time the caller said it waits ({@code within}, from now; null: it
     * did not say), and within the service's own budget.
     */
    public Saved put(String organizationId, OrganizationSpec spec, Duration within) {
        Organization requested = Organization.fromSpec(organizationId, spec);
        Retries.Deadline deadline = retries.start(within);
        for (boolean again = true; again; ) {
            Organization existing = store.findOrganization(organizationId, true).orElse(null);
            // The pool's add-on packages are not part of the PUT body: they stay.
            Organization candidate = existing == null ? requested : requested.withAddons(existing.addons());
            if (existing != null && PoolSwitch.sameSettings(existing, candidate)) {
                return new Saved(existing, false);
            }
            Organization saved = candidate.withVersion(existing == null ? 1 : existing.version() + 1);
            OrganizationStore.Members members = store.members(organizationId);
            var periods = Allocation.changedAt(clock.instant());
            OrganizationWrite write = PoolSwitch.plan(existing, saved, members, periods,
                    store.readPoolState(organizationId, members.ids(), periods));
            if (write.writes() > OrganizationStore.MAX_SWITCH_WRITES) {
                throw new CreditsException(Refusal.POOL_TOO_LARGE, "organization " + organizationId + " has "
                        + members.workspaces().size() + " workspaces: switching its credit pool moves them in one transaction of at most "
                        + OrganizationStore.MAX_SWITCH_WRITES + " writes (about " + (OrganizationStore.MAX_SWITCH_WRITES - 3) / 2
                        + " workspaces)");
            }
            WorkspaceStore.SaveResult result = store.saveOrganization(write);
            if (result == WorkspaceStore.SaveResult.SAVED) {
                return new Saved(saved, existing == null);
            }
            again = WorkspaceService.retryAfter(result, deadline);
        }
        throw new CreditsException(Refusal.CONTENTION, "organization " + organizationId + " is changing concurrently; retry");
    }

    /** Read consistently: an admin reads what they just wrote. */
    public Organization get(String organizationId) {
        Ids.organizationId(organizationId);
        return store.findOrganization(organizationId, true).orElseThrow(() -> new CreditsException(
                Refusal.UNKNOWN_ORGANIZATION, "organization " + organizationId + " does not exist"));
    }
}
