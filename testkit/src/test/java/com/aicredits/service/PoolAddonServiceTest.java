package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Organization;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.service.AddonService.Purchase;
import com.aicredits.service.AddonService.Purchased;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PoolAddonService on the in-memory store, at a fixed time: the purchase kept on the organization and raising its open
 * pools at once, idempotent by purchaseId; a pool not open yet counting it when it opens; the races with a pooled
 * debit; refusals that write nothing; contention.
 */
class PoolAddonServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    private static final Period NOVEMBER = Period.of(NOW);
    private static final Period DECEMBER = NOVEMBER.next();
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore store = new InMemoryCreditStore();
    private final VirtualRetries time = new VirtualRetries();
    private final Retries retries = time.within(Duration.ofSeconds(10));
    private final PoolAddonService addons = new PoolAddonService(store, clock, retries);
    private final OrganizationService organizations = new OrganizationService(store, clock, retries);
    private final DebitService debits = new DebitService(store, PriceCatalogFile.loadDefault(), clock, retries);

    /** Two DEV workspaces (500 credits each) of org-1, pooled or not. */
    private void organization(boolean pooled) {
        for (String id : List.of("ws-1", "ws-2")) {
            store.saveWorkspace(new Workspace(id, "org-1", id, Tier.DEV, PricingModel.EXTEND, true, null, null, List.of(),
                    null, 200, List.of(), 1), 0, List.of());
        }
        pool(pooled);
    }

    private void pool(boolean enabled) {
        organizations.put("org-1", new OrganizationSpec(null, "Acme", new CreditPool.Spec(enabled, null, null, null,
                List.of("finance@acme.example"))));
    }

    private Purchased buy(String purchaseId, long monthlyCredits, String term) {
        return addons.purchase("org-1", new Purchase(purchaseId, monthlyCredits, term));
    }

    private PoolBalance pool(Period period) {
        return store.readPool("org-1", period, true).pool();
    }

    private DebitOutcome debit(String workspaceId, String executionId) {
        return debits.record(workspaceId, new RecordExecution(executionId, "task.execution", null));
    }

    @Test
    void aPurchaseRaisesTheOpenPoolAtOnceAndARepeatReturnsTheOriginalAddingNothing() {
        organization(true);
        assertThat(pool(NOVEMBER).ledger().allocated()).isEqualTo(Credits.of(1_000));

        Purchased first = buy("po-1", 10_000, "MONTHLY");
        Purchased again = buy("po-1", 25_000, "ANNUAL");

        assertThat(first.created()).isTrue();
        assertThat(first.addon()).isEqualTo(new AddonPackage("po-1", 10_000, AddonPackage.Term.MONTHLY, "2026-11", "2026-11",
                "2026-11-07T12:00:00.000Z"));
        assertThat(again.created()).isFalse();
        assertThat(again.addon()).isEqualTo(first.addon());
        assertThat(addons.list("org-1")).containsExactly(first.addon());
        assertThat(pool(NOVEMBER).ledger().addonCredits()).isEqualTo(Credits.of(10_000));
        assertThat(pool(NOVEMBER).ledger().allocated()).isEqualTo(Credits.of(11_000));
        assertThat(pool(DECEMBER)).isNull();
        DebitOutcome pooled = debit("ws-1", "run-1");
        assertThat(pooled.record().pool()).isEqualTo(PoolBalance.ORGANIZATION);
        assertThat(pooled.record().creditsAllocated()).isEqualTo(Credits.of(11_000));
    }

    @Test
    void theOrganizationsSettingsAndItsPackagesSurviveEachOther() {
        organization(true);
        buy("po-1", 10_000, "ANNUAL");
        organizations.put("org-1", new OrganizationSpec("org-1", "Acme renamed", new CreditPool.Spec(true, null, null, null,
                List.of("finance@acme.example"))));
        buy("po-2", 25_000, "MONTHLY");

        Organization stored = organizations.get("org-1");
        assertThat(stored.name()).isEqualTo("Acme renamed");
        assertThat(stored.addons()).extracting(AddonPackage::purchaseId).containsExactly("po-1", "po-2");
        assertThat(pool(NOVEMBER).ledger().addonCredits()).isEqualTo(Credits.of(35_000));
    }

    @Test
    void aPoolNotOpenYetCountsTheActivePackagesWhenItOpens() {
        organization(true);
        buy("annual", 10_000, "ANNUAL");
        buy("monthly", 25_000, "MONTHLY");
        assertThat(pool(DECEMBER)).as("December's pool is not opened a month early").isNull();

        clock.set(Instant.parse("2026-12-02T09:00:00Z"));
        DebitOutcome december = debit("ws-2", "run-december");

        assertThat(december.record().period()).isEqualTo("2026-12");
        assertThat(december.record().creditsAllocated()).isEqualTo(Credits.of(11_000));
    }

    @Test
    void anOrganizationThatDoesNotPoolKeepsThePackageForWhenItEnablesItsPool() {
        organization(false);
        Purchased bought = buy("po-1", 50_000, "MONTHLY");
        assertThat(bought.created()).isTrue();
        assertThat(pool(NOVEMBER)).isNull();
        assertThat(debit("ws-1", "run-alone").record().creditsAllocated()).as("the workspace's own allocation").isEqualTo(Credits.of(500));

        pool(true);

        assertThat(pool(NOVEMBER).ledger().allocated()).isEqualTo(Credits.of(51_000));
        assertThat(pool(NOVEMBER).ledger().used()).isEqualTo(Credits.of(1));
    }

    @Test
    void aDisabledPoolsLedgerIsRaisedTooSoReenablingItKeepsThePackage() {
        organization(true);
        pool(false);
        assertThat(pool(NOVEMBER).enabled()).isFalse();

        buy("po-1", 10_000, "MONTHLY");

        assertThat(pool(NOVEMBER).enabled()).isFalse();
        assertThat(pool(NOVEMBER).ledger().addonCredits()).isEqualTo(Credits.of(10_000));
        pool(true);
        assertThat(pool(NOVEMBER).ledger().allocated()).isEqualTo(Credits.of(11_000));
    }

    @Test
    void aPoolOfANewMonthNotOpenYetIsOpenedByThePurchaseWithIt() {
        organization(true);
        clock.set(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(pool(DECEMBER)).isNull();

        buy("po-1", 10_000, "MONTHLY");

        assertThat(pool(DECEMBER).enabled()).isTrue();
        assertThat(pool(DECEMBER).ledger().allocated()).isEqualTo(Credits.of(11_000));
        assertThat(pool(DECEMBER).ledger().used()).isEqualTo(Credits.ZERO);
        assertThat(debit("ws-1", "run-1").record().creditsAllocated()).isEqualTo(Credits.of(11_000));
    }

    @Test
    void theNextMonthsPoolOpenedEarlyIsRaisedByAnAnnualPackageNotByAMonthlyOne() {
        organization(true);
        clock.set(Instant.parse("2026-11-30T23:58:00Z"));
        debits.record("ws-1", new RecordExecution("run-early", "task.execution", "2026-12-01T00:01:00Z"));
        assertThat(pool(DECEMBER).ledger().allocated()).isEqualTo(Credits.of(1_000));

        buy("monthly", 25_000, "MONTHLY");
        buy("annual", 10_000, "ANNUAL");

        assertThat(pool(NOVEMBER).ledger().addonCredits()).isEqualTo(Credits.of(35_000));
        assertThat(pool(DECEMBER).ledger().addonCredits()).isEqualTo(Credits.of(10_000));
        assertThat(pool(DECEMBER).ledger().used()).isEqualTo(Credits.of(1));
    }

    @Test
    void aPurchaseThatLosesTheRaceToAPooledDebitRaisesThePoolAsThatDebitLeftIt() {
        organization(true);
        debit("ws-1", "run-1");
        store.beforeEachWrite(write -> debit("ws-2", "run-2"));

        buy("po-1", 10_000, "MONTHLY");

        PoolBalance november = pool(NOVEMBER);
        assertThat(november.ledger().used()).isEqualTo(Credits.of(2));
        assertThat(november.ledger().sequence()).isEqualTo(2);
        assertThat(november.ledger().allocated()).isEqualTo(Credits.of(11_000));
        assertThat(time.elapsed()).as("a lost race is read again at once").isZero();
    }

    @Test
    void aPurchaseCommittedWhileADebitOpensThePoolIsNeverLost() {
        organization(true);
        clock.set(Instant.parse("2026-12-01T08:00:00Z"));
        // The debit reads the organization and builds December's opening first; the purchase commits before its write.
        store.beforeEachWrite(write -> buy("po-1", 10_000, "MONTHLY"));

        DebitOutcome first = debit("ws-1", "run-1");

        assertThat(first.record().creditsAllocated()).isEqualTo(Credits.of(11_000));
        assertThat(pool(DECEMBER).ledger().allocated()).isEqualTo(Credits.of(11_000));
        assertThat(pool(DECEMBER).ledger().used()).isEqualTo(Credits.of(1));
    }

    @Test
    void aDebitOpeningThePoolFirstIsCountedAndThePurchaseRaisesItsPool() {
        organization(true);
        clock.set(Instant.parse("2026-12-01T08:00:00Z"));
        store.beforeEachWrite(write -> debit("ws-1", "run-1"));

        buy("po-1", 10_000, "MONTHLY");

        assertThat(pool(DECEMBER).ledger().allocated()).isEqualTo(Credits.of(11_000));
        assertThat(pool(DECEMBER).ledger().used()).isEqualTo(Credits.of(1));
        assertThat(pool(DECEMBER).ledger().sequence()).isEqualTo(1);
    }

    @Test
    void anUnknownOrganizationIsNotFoundAndABadPurchaseIsRefusedWritingNothing() {
        assertThatThrownBy(() -> buy("po-1", 10_000, "MONTHLY"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_ORGANIZATION));
        assertThatThrownBy(() -> addons.list("org-1"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_ORGANIZATION));
        organization(true);
        for (Purchase bad : List.of(new Purchase("po-1", 12_345L, "MONTHLY"), new Purchase("po-1", null, "MONTHLY"),
                new Purchase("po-1", 10_000L, "WEEKLY"), new Purchase(null, 10_000L, "MONTHLY"),
                new Purchase("po#1", 10_000L, "MONTHLY"))) {
            assertThatThrownBy(() -> addons.purchase("org-1", bad)).as(bad.toString())
                    .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_INPUT));
        }
        assertThatThrownBy(() -> addons.purchase("org#1", new Purchase("po-1", 10_000L, "MONTHLY")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.subject()).isEqualTo("organizationId"));
        assertThat(addons.list("org-1")).isEmpty();
        assertThat(pool(NOVEMBER).ledger().addonCredits()).isEqualTo(Credits.ZERO);
    }

    @Test
    void contentionIsRetriedAndThroughTheBudgetIsA503() {
        organization(true);
        store.contention(3);
        assertThat(buy("po-1", 10_000, "MONTHLY").created()).isTrue();
        assertThat(time.elapsed()).isPositive();

        store.contention(Integer.MAX_VALUE);
        assertThatThrownBy(() -> buy("po-2", 10_000, "MONTHLY"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(addons.list("org-1")).extracting(AddonPackage::purchaseId).containsExactly("po-1");
    }

    /** A caller that says how long it waits (the Java client does) gets its 503 by then, not after the 10 s budget. */
    @Test
    void aCallersTimeoutEndsThePoolWritesRetriesFirst() {
        organization(true);
        store.contention(Integer.MAX_VALUE);
        Duration before = time.elapsed();
        assertThatThrownBy(() -> addons.purchase("org-1", new Purchase("po-3", 10_000L, "MONTHLY"), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(time.elapsed().minus(before)).isBetween(Duration.ofMillis(300), Duration.ofMillis(400));

        before = time.elapsed();
        assertThatThrownBy(() -> organizations.put("org-1", new OrganizationSpec(null, "Acme", new CreditPool.Spec(false, null, null,
                null, List.of())), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(time.elapsed().minus(before)).isBetween(Duration.ofMillis(300), Duration.ofMillis(400));
        assertThat(addons.list("org-1")).isEmpty();
    }
}
