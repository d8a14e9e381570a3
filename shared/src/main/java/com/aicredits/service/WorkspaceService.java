package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Period;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Workspace;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.port.WorkspaceStore.WorkspaceBalances;
import com.aicredits.port.WorkspaceStore;
import java.time.Clock;
import java.util.List;

/**
 * Creates, replaces and reads workspaces. A change applies in the same transaction to the balances of the current
 * period and of the next, which may be open early (allocation from the new tier, hard limit, Cases, pricing model), so
 * a debit never sees a workspace and a balance that disagree; the write is conditional on each balance as read, or on
 * its absence. Earlier periods keep the settings they closed with.
 */
public final class WorkspaceService {
    private final WorkspaceStore store;
    private final Clock clock;
    private final Retries retries;

    public WorkspaceService(WorkspaceStore store, Clock clock, Retries retries) {
        this.store = store;
        this.clock = clock;
        this.retries = retries;
    }

    /** The saved workspace and whether it was created. */
    public record Saved(Workspace workspace, boolean created) {
    }

    public Saved put(String workspaceId, WorkspaceSpec spec) {
        Workspace requested = Workspace.fromSpec(workspaceId, spec);
        Retries.Deadline deadline = retries.start();
        for (boolean again = true; again; ) {
            List<Period> periods = Allocation.changedAt(clock.instant());
            WorkspaceBalances view = store.readBalances(workspaceId, periods);
            Workspace existing = view.workspace();
            if (existing != null && !existing.organizationId().equals(requested.organizationId())) {
                throw new CreditsException(Refusal.ORGANIZATION_IMMUTABLE, "workspace " + workspaceId
                        + " belongs to organization " + existing.organizationId() + "; it cannot move to " + requested.organizationId());
            }
            // The add-on packages bought so far are not part of the PUT body: they stay.
            Workspace candidate = existing == null ? requested : requested.withAddons(existing.addons());
            if (existing != null && existing.sameSettingsAs(candidate)) {
                return new Saved(existing, false);
            }
            long expectedVersion = existing == null ? 0 : existing.version();
            Workspace saved = candidate.withVersion(expectedVersion + 1);
            WorkspaceStore.SaveResult result = store.saveWorkspace(saved, expectedVersion,
                    view.moved(periods, balance -> balance.withSettingsOf(saved)),
                    PoolAllocations.following(store, existing, saved, periods, view));
            if (result == WorkspaceStore.SaveResult.SAVED) {
                return new Saved(saved, existing == null);
            }
            again = retryAfter(result, deadline);
        }
        throw new CreditsException(Refusal.CONTENTION, "workspace " + workspaceId + " is changing concurrently; retry");
    }

    /**
     * After a workspace write that wrote nothing: something read moved on (a debit committed on the balance), read again
     * at once, as a debit does after a lost race, since debits do not wait either; a conflict with a write in flight or
     * a throttle, back off first. False once the deadline is spent.
     */
    static boolean retryAfter(WorkspaceStore.SaveResult result, Retries.Deadline deadline) {
        return result == WorkspaceStore.SaveResult.STALE ? deadline.timeLeft() : deadline.backOff();
    }

    /** Read consistently: an admin reads what they just wrote (a rare call, so the full read unit is no cost). */
    public Workspace get(String workspaceId) {
        Ids.workspaceId(workspaceId);
        return store.findWorkspace(workspaceId, true)
                .orElseThrow(() -> new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " does not exist"));
    }
}
