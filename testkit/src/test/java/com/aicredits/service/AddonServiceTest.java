package com.aicredits.service;

import static com.aicredits.service.WorkspaceLedger.DECEMBER;
import static com.aicredits.service.WorkspaceLedger.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.service.AddonService.Purchase;
import com.aicredits.service.AddonService.Purchased;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AddonService on the in-memory store, at a fixed time: a purchase kept on the workspace and raising the open periods
 * its term covers in the same write, idempotent by purchaseId; a period not open yet counting it when it opens; the
 * races with a debit, whichever commits first; refusals that write nothing; contention.
 */
class AddonServiceTest {
    private final WorkspaceLedger ledger = new WorkspaceLedger();
    private final AddonService addons = new AddonService(ledger.store, ledger.clock, ledger.retries);

    /** A DEV workspace: 500 credits a month. */
    AddonServiceTest() {
        ledger.store.saveWorkspace(new Workspace("ws-1", "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1), 0, List.of());
    }

    private Purchased buy(String purchaseId, long monthlyCredits, String term) {
        return addons.purchase("ws-1", new Purchase(purchaseId, monthlyCredits, term));
    }

    @Test
    void aPurchaseRaisesTheCurrentPeriodAtOnceAndIsKeptOnTheWorkspace() {
        ledger.debit("run-1", null);

        Purchased bought = buy("po-1", 10_000, "MONTHLY");

        assertThat(bought.created()).isTrue();
        assertThat(bought.addon()).isEqualTo(new AddonPackage("po-1", 10_000, AddonPackage.Term.MONTHLY, "2026-11", "2026-11",
                "2026-11-07T12:00:00.000Z"));
        assertThat(addons.list("ws-1")).containsExactly(bought.addon());
        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
        assertThat(ledger.balance(NOVEMBER).used()).isEqualTo(Credits.of(1));
        assertThat(ledger.balance(DECEMBER)).as("a purchase opens no period").isNull();
        assertThat(ledger.debit("run-2", null).record().creditsAllocated()).isEqualTo(Credits.of(10_500));
    }

    @Test
    void theSamePurchaseIdReturnsTheOriginalPurchaseAndAddsNothing() {
        ledger.debit("run-1", null);
        Purchased first = buy("po-1", 10_000, "MONTHLY");
        int writes = ledger.store.writes();
        ledger.clock.advance(Duration.ofDays(3));

        Purchased again = buy("po-1", 25_000, "ANNUAL");

        assertThat(again.created()).isFalse();
        assertThat(again.addon()).isEqualTo(first.addon());
        assertThat(ledger.store.writes()).isEqualTo(writes);
        assertThat(addons.list("ws-1")).containsExactly(first.addon());
        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
    }

    @Test
    void anAnnualTermCountsInEachOfItsTwelveMonthsAndAMonthlyOneOnlyInItsOwn() {
        Purchased annual = buy("annual", 10_000, "ANNUAL");
        buy("monthly", 25_000, "MONTHLY");
        assertThat(annual.addon().endPeriod()).isEqualTo("2027-10");
        assertThat(annual.addon().totalCredits()).isEqualTo(120_000);
        assertThat(ledger.balance(NOVEMBER)).as("nothing open to raise: the opening counts them").isNull();

        assertThat(allocatedWhenOpenedAt("2026-11-20T00:00:00Z")).isEqualTo(Credits.of(35_500));
        assertThat(allocatedWhenOpenedAt("2026-12-02T00:00:00Z")).isEqualTo(Credits.of(10_500));
        assertThat(allocatedWhenOpenedAt("2027-10-31T00:00:00Z")).as("the term's twelfth month").isEqualTo(Credits.of(10_500));
        assertThat(allocatedWhenOpenedAt("2027-11-01T00:00:00Z")).isEqualTo(Credits.of(500));
    }

    /** The allocation of the period a debit at {@code at} opens. */
    private Credits allocatedWhenOpenedAt(String at) {
        ledger.clock.set(Instant.parse(at));
        return ledger.debit("run-" + at, null).record().creditsAllocated();
    }

    @Test
    void anAnnualPackageRaisesANextPeriodOpenedEarlyAndAMonthlyOneLeavesIt() {
        ledger.clock.set(Instant.parse("2026-11-30T23:58:00Z"));
        ledger.debit("now", null);
        ledger.debit("early", "2026-12-01T00:01:00Z"); // opens December two minutes early

        buy("monthly", 25_000, "MONTHLY");
        buy("annual", 10_000, "ANNUAL");

        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(35_000));
        assertThat(ledger.balance(DECEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
        assertThat(ledger.balance(DECEMBER).used()).isEqualTo(Credits.of(1));
    }

    @Test
    void anUnknownWorkspaceOrAnInvalidPurchaseIsRefusedWritingNothing() {
        int writes = ledger.store.writes();
        assertThatThrownBy(() -> addons.purchase("ws-nobody", new Purchase("po-1", 10_000L, "MONTHLY")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        assertThatThrownBy(() -> addons.list("ws-nobody"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        List<Map.Entry<Purchase, String>> invalid = List.of(
                Map.entry(new Purchase("po-1", 12_345L, "MONTHLY"), "monthlyCredits"),
                Map.entry(new Purchase("po-1", null, "MONTHLY"), "monthlyCredits"),
                Map.entry(new Purchase("po-1", 10_000L, "WEEKLY"), "term"),
                Map.entry(new Purchase("po-1", 10_000L, "monthly"), "term"),
                Map.entry(new Purchase("po-1", 10_000L, null), "term"),
                Map.entry(new Purchase(null, 10_000L, "MONTHLY"), "purchaseId"),
                Map.entry(new Purchase("po#1", 10_000L, "MONTHLY"), "purchaseId"),
                Map.entry(new Purchase("..", 10_000L, "MONTHLY"), "purchaseId"));
        for (Map.Entry<Purchase, String> bad : invalid) {
            assertThatThrownBy(() -> addons.purchase("ws-1", bad.getKey())).as(bad.getKey().toString())
                    .isInstanceOfSatisfying(CreditsException.class, e -> {
                        assertThat(e.refusal()).isEqualTo(Refusal.INVALID_INPUT);
                        assertThat(e.subject()).isEqualTo(bad.getValue());
                    });
        }
        assertThatThrownBy(() -> addons.purchase("ws#1", new Purchase("po-1", 10_000L, "MONTHLY")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.subject()).isEqualTo("workspaceId"));

        assertThat(ledger.store.writes()).isEqualTo(writes);
        assertThat(addons.list("ws-1")).isEmpty();
    }

    @Test
    void aPurchaseThatLosesTheRaceToADebitIsRedoneAtOnceOnTheBalanceTheDebitLeft() {
        ledger.debit("run-1", null);
        ledger.store.beforeEachWrite(write -> ledger.debit("run-2", null));

        buy("po-1", 10_000, "MONTHLY");

        assertThat(ledger.balance(NOVEMBER).used()).isEqualTo(Credits.of(2));
        assertThat(ledger.balance(NOVEMBER).sequence()).isEqualTo(2);
        assertThat(ledger.balance(NOVEMBER).allocated()).isEqualTo(Credits.of(10_500));
        assertThat(ledger.time.elapsed()).as("a lost race is read again at once").isZero();
    }

    @Test
    void aDebitOpeningThePeriodBeforeThePurchaseCommitsIsRaisedByThePurchaseRedone() {
        // The purchase reads no November balance; the period's first debit opens it before the purchase's write.
        ledger.store.beforeEachWrite(write -> ledger.debit("run-1", null));

        buy("po-1", 10_000, "MONTHLY");

        assertThat(ledger.balance(NOVEMBER).allocated()).isEqualTo(Credits.of(10_500));
        assertThat(ledger.balance(NOVEMBER).used()).isEqualTo(Credits.of(1));
    }

    @Test
    void aPurchaseCommittedWhileADebitOpensThePeriodIsCountedByThatOpening() {
        // The debit plans November's opening without the package; the purchase commits before the opening's write.
        ledger.store.beforeEachWrite(write -> buy("po-1", 10_000, "MONTHLY"));

        DebitOutcome first = ledger.debit("run-1", null);

        assertThat(first.record().creditsAllocated()).isEqualTo(Credits.of(10_500));
        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
    }

    @Test
    void theSamePurchaseCommittedConcurrentlyIsAnsweredAsTheOriginalAndCountedOnce() {
        ledger.debit("run-1", null);
        // A client's retry of the purchase, on another container, commits first.
        List<Purchased> other = new ArrayList<>();
        ledger.store.beforeEachWrite(write -> other.add(buy("po-1", 10_000, "MONTHLY")));

        Purchased mine = buy("po-1", 10_000, "MONTHLY");

        assertThat(other).singleElement().extracting(Purchased::created).isEqualTo(true);
        assertThat(mine.created()).isFalse();
        assertThat(mine.addon()).isEqualTo(other.getFirst().addon());
        assertThat(addons.list("ws-1")).hasSize(1);
        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
    }

    @Test
    void contentionIsRetriedAfterAPauseAndThroughTheWholeBudgetIsA503WritingNothing() {
        ledger.debit("run-1", null);
        ledger.store.contention(3);
        assertThat(buy("po-1", 10_000, "MONTHLY").created()).isTrue();
        assertThat(ledger.time.elapsed()).isPositive().isLessThan(Duration.ofSeconds(1));

        ledger.store.contention(Integer.MAX_VALUE);
        assertThatThrownBy(() -> buy("po-2", 25_000, "MONTHLY"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(ledger.time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(addons.list("ws-1")).extracting(AddonPackage::purchaseId).containsExactly("po-1");
        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
    }
}
