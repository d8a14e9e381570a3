package com.aicredits.service;

import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.Allocation;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Refusal;
import com.aicredits.port.OrganizationStore;
import com.aicredits.port.OrganizationStore.OrganizationWrite;
import com.aicredits.port.OrganizationStore.PoolStep;
import com.aicredits.port.WorkspaceStore;
import com.aicredits.service.AddonService.Purchase;
import com.aicredits.service.AddonService.Purchased;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Add-on packages bought for an organization's credit pool: the same body, sizes, terms and idempotency by
 * {@code purchaseId} as a workspace's ({@link AddonService}). A purchase is kept on the organization item (so a pool
 * that opens later, by a debit, the monthly reset or a switch, counts it through {@code Organization.addonCredits}) and
 * raises, in the same transaction, the pool's balance of each period its term covers among the current one and the
 * next (which a debit may have opened early). The write is conditional on the organization's version and on each pool
 * balance's revision, so a purchase racing a pooled debit or a switch of the pool is redone from a fresh read.
 *
 * <p>A pool not open yet is opened by the purchase itself when the organization pools and a debit could open it right
 * now (its period has begun, or begins within {@link Period#MAX_FUTURE_SKEW}): a debit opens the pool from the
 * organization as it read it, so a purchase committed between that read and the debit's write would otherwise be left
 * out of the period. Opened here, the debit's own opening fails as already done and takes the pool as stored. A pool
 * whose period starts later, or of an organization that does not pool, picks the package up when it opens.
 */
public final class PoolAddonService {
    private final OrganizationStore store;
    private final Clock clock;
    private final Retries retries;

    public PoolAddonService(OrganizationStore store, Clock clock, Retries retries) {
        this.store = store;
        this.clock = clock;
        this.retries = retries;
    }

    /** Buys {@code request} for the pool of {@code organizationId}: 201 new, 200 the original for a known purchaseId. */
    public Purchased purchase(String organizationId, Purchase request) {
        return purchase(organizationId, request, null);
    }

    /**
     * As above, giving up on contention (503) by the time the caller said it waits ({@code within}, from now; null: it
     * did not say), and within the service's own budget.
     */
    public Purchased purchase(String organizationId, Purchase request, Duration within) {
        Ids.organizationId(organizationId);
        String purchaseId = Ids.purchaseId(request.purchaseId());
        AddonPackage.Term term = AddonService.validTerm(request);
        Retries.Deadline deadline = retries.start(within);
        for (boolean again = true; again; ) {
            Instant now = clock.instant();
            Organization organization = find(organizationId);
            Optional<AddonPackage> known = organization.addons().stream()
                    .filter(addon -> addon.purchaseId().equals(purchaseId)).findFirst();
            if (known.isPresent()) {
                return new Purchased(known.get(), false);
            }
            AddonPackage addon = AddonPackage.bought(purchaseId, request.monthlyCredits(), term, now);
            List<AddonPackage> addons = new ArrayList<>(organization.addons());
            addons.add(addon);
            Organization saved = organization.withAddons(addons).withVersion(organization.version() + 1);
            // A MONTHLY package bought before midnight leaves a next period's pool as it is.
            List<Period> covered = Allocation.changedAt(now).stream().filter(addon::activeIn).toList();
            Map<Period, PoolBalance> pools = store.readPoolState(organizationId, List.of(), covered).pools();
            List<PoolStep> steps = new ArrayList<>();
            Long membersRevision = null;
            for (Period period : covered) {
                PoolBalance before = pools.get(period);
                if (before != null) {
                    steps.add(new PoolStep(before, before.withMoreAddonCredits(addon.credits())));
                } else if (saved.pooled() && debitsMayOpen(period, now)) {
                    OrganizationStore.PoolOpening opening = PoolSwitch.openingFor(store, saved, period);
                    steps.add(new PoolStep(null, opening.pool()));
                    membersRevision = opening.basis().membersRevision();
                }
            }
            WorkspaceStore.SaveResult result = store.saveOrganization(
                    new OrganizationWrite(saved, organization.version(), List.of(), steps, membersRevision));
            if (result == WorkspaceStore.SaveResult.SAVED) {
                return new Purchased(addon, true);
            }
            again = WorkspaceService.retryAfter(result, deadline);
        }
        throw new CreditsException(Refusal.CONTENTION, "organization " + organizationId + " is changing concurrently; retry");
    }

    /** Every package bought for the pool, oldest first; read consistently: the list right after a purchase shows it. */
    public List<AddonPackage> list(String organizationId) {
        Ids.organizationId(organizationId);
        return find(organizationId).addons();
    }

    private Organization find(String organizationId) {
        return store.findOrganization(organizationId, true).orElseThrow(() -> new CreditsException(
                Refusal.UNKNOWN_ORGANIZATION, "organization " + organizationId + " does not exist"));
    }

    /** Whether a debit accepted now may open {@code period} (a run's occurredAt runs up to the skew ahead of the clock). */
    private static boolean debitsMayOpen(Period period, Instant now) {
        return !period.start().isAfter(now.plus(Period.MAX_FUTURE_SKEW));
    }
}
