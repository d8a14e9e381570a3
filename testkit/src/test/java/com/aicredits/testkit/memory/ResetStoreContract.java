package com.aicredits.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Credits;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.port.CreditStore;
import com.aicredits.port.OrganizationStore;
import com.aicredits.port.ResetStore.Claim;
import com.aicredits.port.ResetStore.PeriodStates;
import com.aicredits.port.ResetStore.PoolStates;
import com.aicredits.port.ResetStore.SummaryMarker;
import com.aicredits.port.ResetStore.WorkspacePage;
import com.aicredits.port.ResetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The monthly reset's store contract, run on the DynamoDB adapter ({@code DynamoDbResetStoreContractIntegrationTest})
 * and in memory ({@code InMemoryResetStoreTest}): the workspace index paged by shard, the states, the summary's claim
 * and the recipients it served.
 */
abstract class ResetStoreContract {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:30Z");
    private static final Period DECEMBER = Period.of(NOW);
    private static final Period NOVEMBER = DECEMBER.previous();

    protected abstract CreditStore credits();

    protected abstract ResetStore resets();

    private final String prefix = "ws-" + UUID.randomUUID().toString().substring(0, 6) + "-";

    private Workspace workspace(String id) {
        Workspace workspace = new Workspace(prefix + id, "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of("a@example.com"), null, 200, List.of(), 1);
        credits().saveWorkspace(workspace, 0, List.of());
        return workspace;
    }

    @Test
    void theIndexListsEveryWorkspaceOnceByShardInIdOrderPageByPage() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(workspace("%02d".formatted(i)).workspaceId());
        }
        List<String> listed = new ArrayList<>();
        for (int shard = 0; shard < resets().workspaceShards(); shard++) {
            String after = null;
            List<String> ofShard = new ArrayList<>();
            do {
                WorkspacePage page = resets().workspaces(shard, after, 2);
                assertThat(page.workspaces()).hasSizeLessThanOrEqualTo(2);
                page.workspaces().forEach(workspace -> ofShard.add(workspace.workspaceId()));
                after = page.last();
            } while (after != null);
            assertThat(ofShard).isSorted();
            ofShard.stream().filter(id -> id.startsWith(prefix)).forEach(listed::add);
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void statesHoldBothBalancesAndTheSummaryMarker() {
        Workspace workspace = workspace("a");
        workspace("b");
        credits().open(Allocation.opening(workspace, NOVEMBER), 1);
        resets().claimSummary(LedgerOwner.workspace(workspace.workspaceId()), NOVEMBER, "run-1", NOW, NOW.plusSeconds(60));
        Map<String, PeriodStates> states = resets().states(List.of(prefix + "a", prefix + "b"), DECEMBER, NOVEMBER);

        assertThat(states.get(prefix + "a").opening()).isNull();
        assertThat(states.get(prefix + "a").closing()).isEqualTo(Allocation.opening(workspace, NOVEMBER));
        assertThat(states.get(prefix + "a").summary().sent()).isFalse();
        assertThat(states.get(prefix + "a").summary().owner()).isEqualTo("run-1");
        assertThat(states.get(prefix + "b")).isEqualTo(new PeriodStates(null, null, null));
    }

    @Test
    void aSummaryIsClaimedByOneRunUntilItsLeaseIsOverAndMarkedSentByItsHolderOnly() {
        String id = workspace("a").workspaceId();
        Instant lease = NOW.plus(Duration.ofMinutes(5));
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-1", NOW, lease)).isEqualTo(new Claim.Claimed());
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-1", NOW.plusSeconds(1), lease)).isEqualTo(new Claim.Claimed());
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-2", NOW.plusSeconds(1), lease)).isEqualTo(new Claim.HeldUntil(lease));
        assertThat(resets().markSummarySent(LedgerOwner.workspace(id), NOVEMBER, "run-2", "m-2", NOW)).isFalse();

        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-2", lease, lease.plusSeconds(300))).isEqualTo(new Claim.Claimed());
        assertThat(resets().markSummarySent(LedgerOwner.workspace(id), NOVEMBER, "run-1", "m-1", lease)).isFalse();
        assertThat(resets().markSummarySent(LedgerOwner.workspace(id), NOVEMBER, "run-2", "m-2", lease)).isTrue();
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-3", lease.plus(Duration.ofDays(1)), lease.plus(Duration.ofDays(2))))
                .isEqualTo(new Claim.AlreadySent());
        assertThat(resets().states(List.of(id), DECEMBER, NOVEMBER).get(id).summary().sent()).isTrue();
    }

    @Test
    void aReleasedClaimIsNobodysOwnAndClaimableFromTheGivenTime() {
        String id = workspace("a").workspaceId();
        resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-1", NOW, NOW.plusSeconds(300));
        Instant from = NOW.plusSeconds(60);
        resets().releaseSummary(LedgerOwner.workspace(id), NOVEMBER, "run-2", NOW);
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-2", NOW, NOW.plusSeconds(300)))
                .isEqualTo(new Claim.HeldUntil(NOW.plusSeconds(300)));
        resets().releaseSummary(LedgerOwner.workspace(id), NOVEMBER, "run-1", from);
        assertThat(resets().markSummarySent(LedgerOwner.workspace(id), NOVEMBER, "run-1", "m-1", NOW)).isFalse();
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-1", NOW.plusSeconds(1), NOW.plusSeconds(300)))
                .isEqualTo(new Claim.HeldUntil(from));
        assertThat(resets().claimSummary(LedgerOwner.workspace(id), NOVEMBER, "run-2", from, from.plusSeconds(300))).isEqualTo(new Claim.Claimed());
        assertThat(resets().states(List.of(id), DECEMBER, NOVEMBER).get(id).summary().claims()).isEqualTo(2);
    }

    @Test
    void theRecipientsServedAreMarkedByTheHolderOnlyAndToldToEveryLaterClaimOfTheSummary() {
        LedgerOwner whose = LedgerOwner.workspace(workspace("a").workspaceId());
        assertThat(resets().markSummaryRecipientSent(whose, NOVEMBER, "run-1", "a@example.com", "m-1")).isFalse();
        Instant lease = NOW.plusSeconds(60);
        assertThat(resets().claimSummary(whose, NOVEMBER, "run-1", NOW, lease)).isEqualTo(new Claim.Claimed(Set.of(), null));
        assertThat(resets().markSummaryRecipientSent(whose, NOVEMBER, "run-1", "a@example.com", "m-1")).isTrue();
        assertThat(resets().markSummaryRecipientParked(whose, NOVEMBER, "run-1", "bad@example.com", "address rejected", NOW)).isTrue();
        assertThat(resets().markSummaryRecipientSent(whose, NOVEMBER, "run-2", "c@example.com", "m-2")).isFalse();
        assertThat(resets().markSummaryRecipientParked(whose, NOVEMBER, "run-2", "c@example.com", "address rejected", NOW)).isFalse();
        Claim.Claimed served = new Claim.Claimed(Set.of("a@example.com", "bad@example.com"), "m-1");
        // The holder's own claim again, a lease taken over, a released claim taken: each is told who was served.
        assertThat(resets().claimSummary(whose, NOVEMBER, "run-1", NOW.plusSeconds(1), lease)).isEqualTo(served);
        assertThat(resets().claimSummary(whose, NOVEMBER, "run-2", lease, lease.plusSeconds(60))).isEqualTo(served);
        assertThat(resets().markSummaryRecipientSent(whose, NOVEMBER, "run-1", "c@example.com", "m-2")).isFalse();
        resets().releaseSummary(whose, NOVEMBER, "run-2", lease);
        assertThat(resets().claimSummary(whose, NOVEMBER, "run-3", lease, lease.plusSeconds(60))).isEqualTo(served);

        assertThat(resets().markSummaryRecipientSent(whose, NOVEMBER, "run-3", "c@example.com", "m-3")).isTrue();
        assertThat(resets().states(List.of(whose.id()), DECEMBER, NOVEMBER).get(whose.id()).summary())
                .isEqualTo(new SummaryMarker(false, "run-3", lease.plusSeconds(60), 3));
        assertThat(resets().markSummarySent(whose, NOVEMBER, "run-3", "m-3", lease)).isTrue();
        assertThat(resets().markSummaryRecipientSent(whose, NOVEMBER, "run-3", "d@example.com", "m-4")).isFalse();
        assertThat(resets().claimSummary(whose, NOVEMBER, "run-4", lease.plus(Duration.ofDays(1)), lease.plus(Duration.ofDays(2))))
                .isEqualTo(new Claim.AlreadySent());
    }

    @Test
    void theSummaryHistoryHasTheMonthBefore() {
        Workspace workspace = workspace("a");
        credits().open(Allocation.opening(workspace, NOVEMBER.previous()), 1);
        assertThat(resets().summaryHistory(LedgerOwner.workspace(workspace.workspaceId()), NOVEMBER).monthBefore())
                .isEqualTo(Allocation.opening(workspace, NOVEMBER.previous()));
        assertThat(resets().summaryHistory(LedgerOwner.workspace(workspace.workspaceId()), NOVEMBER.previous()).monthBefore()).isNull();
    }

    @Test
    void poolStatesHoldTheOrganizationBothPoolBalancesAndThePoolsSummaryApartFromItsWorkspaces() {
        String org = "org-" + prefix;
        Organization organization = new Organization(org, "Acme Group",
                new CreditPool(true, 1_000L, null, null, List.of("managers@example.com")), List.of(), 1);
        credits().saveOrganization(new OrganizationStore.OrganizationWrite(organization, 0, List.of(), List.of(), null));
        PoolBalance november = PoolBalance.opening(org, NOVEMBER, Credits.of(1_000), Credits.ZERO, 200, List.of());
        credits().openPool(november, new OrganizationStore.PoolBasis(1, 0));
        LedgerOwner pool = LedgerOwner.organization(org);
        resets().claimSummary(pool, NOVEMBER, "run-1", NOW, NOW.plusSeconds(60));

        Map<String, PoolStates> states = resets().poolStates(List.of(org, org + "-none"), DECEMBER, NOVEMBER);
        assertThat(states.get(org)).isEqualTo(new PoolStates(organization, null, november,
                new SummaryMarker(false, "run-1", NOW.plusSeconds(60), 1)));
        assertThat(states.get(org + "-none")).isEqualTo(new PoolStates(null, null, null, null));
        // The pool's summary marker is the organization's: a workspace of the same id has none.
        assertThat(resets().claimSummary(LedgerOwner.workspace(org), NOVEMBER, "run-2", NOW, NOW.plusSeconds(60)))
                .isEqualTo(new Claim.Claimed());
        assertThat(resets().markSummarySent(pool, NOVEMBER, "run-1", "m-1", NOW)).isTrue();
        assertThat(resets().claimSummary(pool, NOVEMBER, "run-3", NOW.plusSeconds(120), NOW.plusSeconds(180)))
                .isEqualTo(new Claim.AlreadySent());
        assertThat(resets().summaryHistory(pool, DECEMBER).monthBefore()).isEqualTo(november.ledger());
    }
}
