package com.aicredits.service;

import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.Allocation;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Period;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Workspace;
import com.aicredits.port.WorkspaceStore.WorkspaceBalances;
import com.aicredits.port.WorkspaceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Add-on packages. A purchase is kept on the workspace item (so every later period's opening, lazy or scheduled,
 * counts it through {@code Allocation}) and raises, in the same transaction, the balances of the current period and
 * of the next (which may be open early) that its term covers. Every write is conditional on what was read (workspace
 * version, balance revision, or the balance's absence), so a purchase racing with a period's opening is never lost:
 * whichever commits second sees the first and is recomputed. Idempotent by {@code purchaseId}: a known id returns the
 * original purchase and adds nothing.
 */
public final class AddonService {
    private final WorkspaceStore store;
    private final Clock clock;
    private final Retries retries;

    public AddonService(WorkspaceStore store, Clock clock, Retries retries) {
        this.store = store;
        this.clock = clock;
        this.retries = retries;
    }

    /** The body of {@code POST /v1/workspaces/{workspaceId}/addons} (and of an organization's, {@link PoolAddonService}). */
    public record Purchase(String purchaseId, Long monthlyCredits, String term) {
    }

    /** The purchase as stored, and whether this call made it (201) or found it (200). */
    public record Purchased(AddonPackage addon, boolean created) {
    }

    public Purchased purchase(String workspaceId, Purchase request) {
        Ids.workspaceId(workspaceId);
        String purchaseId = Ids.purchaseId(request.purchaseId());
        AddonPackage.Term term = validTerm(request);
        Retries.Deadline deadline = retries.start();
        for (boolean again = true; again; ) {
            Instant now = clock.instant();
            List<Period> periods = Allocation.changedAt(now);
            WorkspaceBalances view = store.readBalances(workspaceId, periods);
            Workspace workspace = view.workspace();
            if (workspace == null) {
                throw new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " does not exist");
            }
            Optional<AddonPackage> known = workspace.addons().stream().filter(a -> a.purchaseId().equals(purchaseId)).findFirst();
            if (known.isPresent()) {
                return new Purchased(known.get(), false);
            }
            AddonPackage addon = AddonPackage.bought(purchaseId, request.monthlyCredits(), term, now);
            List<AddonPackage> addons = new ArrayList<>(workspace.addons());
            addons.add(addon);
            // A MONTHLY package bought before midnight leaves a next period opened early as it is.
            List<Period> covered = periods.stream().filter(addon::activeIn).toList();
            Workspace saved = workspace.withAddons(addons).withVersion(workspace.version() + 1);
            WorkspaceStore.SaveResult result = store.saveWorkspace(saved, workspace.version(),
                    view.moved(covered, balance -> balance.withMoreAddonCredits(addon.credits())),
                    PoolAllocations.following(store, workspace, saved, covered, view));
            if (result == WorkspaceStore.SaveResult.SAVED) {
                return new Purchased(addon, true);
            }
            again = WorkspaceService.retryAfter(result, deadline);
        }
        throw new CreditsException(Refusal.CONTENTION, "workspace " + workspaceId + " is changing concurrently; retry");
    }

    /**
     * The term of a purchase whose size is one of {@link AddonPackage#SIZES}; every refusal a 400 naming the field. Shared
     * with the organization pool's purchases ({@link PoolAddonService}), whose body is the same.
     */
    static AddonPackage.Term validTerm(Purchase request) {
        if (request.monthlyCredits() == null || !AddonPackage.SIZES.contains(request.monthlyCredits())) {
            throw CreditsException.invalid("monthlyCredits", "monthlyCredits must be one of 10000, 25000, 50000, 100000");
        }
        try {
            return AddonPackage.Term.valueOf(String.valueOf(request.term()));
        } catch (IllegalArgumentException e) {
            throw CreditsException.invalid("term", "term must be MONTHLY or ANNUAL; got " + CreditsException.quote(request.term()));
        }
    }

    /** Read consistently, like the workspace itself: the list right after a purchase shows it. */
    public List<AddonPackage> list(String workspaceId) {
        Ids.workspaceId(workspaceId);
        return store.findWorkspace(workspaceId, true)
                .orElseThrow(() -> new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " does not exist"))
                .addons();
    }
}
