package com.aicredits.service;

import static com.aicredits.service.WorkspaceLedger.DECEMBER;
import static com.aicredits.service.WorkspaceLedger.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.service.WorkspaceService.Saved;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * WorkspaceService on the in-memory store, at a fixed time: create (201) and update (200), a change moving the open
 * balances of the current and the next period in the same write, refusals that write nothing, the races with a debit
 * (read again at once) and contention (backed off within the budget).
 */
class WorkspaceServiceTest {
    private final WorkspaceLedger ledger = new WorkspaceLedger();
    private final WorkspaceService workspaces = new WorkspaceService(ledger.store, ledger.clock, ledger.retries);

    private static WorkspaceSpec spec(String organizationId, String tier) {
        return new WorkspaceSpec(null, organizationId, "Acme", tier, null, null, null, null, List.of("admin@acme.example"),
                null, null);
    }

    private Saved put(String tier) {
        return workspaces.put("ws-1", spec("org-1", tier));
    }

    @Test
    void aPutCreatesTheWorkspaceThenUpdatesItAndTheSameBodyAgainWritesNothing() {
        Saved created = put("DEV");
        assertThat(created.created()).isTrue();
        assertThat(created.workspace().version()).isEqualTo(1);
        assertThat(workspaces.get("ws-1")).isEqualTo(created.workspace());

        int writes = ledger.store.writes();
        Saved same = put("DEV");
        assertThat(same.created()).isFalse();
        assertThat(same.workspace()).isEqualTo(created.workspace());
        assertThat(ledger.store.writes()).as("an unchanged workspace is not written again").isEqualTo(writes);

        Saved updated = put("PRO");
        assertThat(updated.created()).isFalse();
        assertThat(updated.workspace().tier()).isEqualTo(Tier.PRO);
        assertThat(updated.workspace().version()).isEqualTo(2);
        assertThat(workspaces.get("ws-1")).isEqualTo(updated.workspace());
    }

    @Test
    void aChangeMovesTheCurrentPeriodsBalanceAtOnceKeepingItsLedger() {
        put("DEV");
        ledger.debit("run-1", null);
        ledger.debit("run-2", null);
        Balance before = ledger.balance(NOVEMBER);

        workspaces.put("ws-1", new WorkspaceSpec(null, "org-1", "Acme", "PRO", null, false, null, null, List.of(), null, 300));

        Balance after = ledger.balance(NOVEMBER);
        assertThat(after.baseCredits()).isEqualTo(Credits.of(5_000));
        assertThat(after.hardLimitPercent()).isEqualTo(300);
        assertThat(after.casesEnabled()).isFalse();
        assertThat(after.used()).isEqualTo(before.used()).isEqualTo(Credits.of(2));
        assertThat(after.sequence()).isEqualTo(2);
        assertThat(after.revision()).isEqualTo(before.revision() + 1);
        assertThat(ledger.balance(DECEMBER)).as("a change opens no period").isNull();
        // The very next debit is judged by the new settings: a debit never sees a workspace and a balance that disagree.
        assertThat(ledger.debit("run-3", null).record().creditsAllocated()).isEqualTo(Credits.of(5_000));
        assertThatThrownBy(() -> ledger.debit("case-1", "case.investigation", null))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CASES_DISABLED));
    }

    @Test
    void aPeriodNotOpenYetOpensAtTheSettingsInForce() {
        put("DEV");
        put("ELITE");
        assertThat(ledger.balance(NOVEMBER)).isNull();

        assertThat(ledger.debit("run-1", null).record().creditsAllocated()).isEqualTo(Credits.of(10_000));
    }

    @Test
    void aNextPeriodOpenedEarlyMovesWithTheChangeAndEarlierPeriodsKeepTheirSettings() {
        ledger.clock.set(Instant.parse("2026-11-30T23:58:00Z"));
        put("DEV");
        ledger.debit("late", "2026-10-20T08:00:00Z");
        ledger.debit("now", null);
        ledger.debit("early", "2026-12-01T00:01:00Z"); // opens December two minutes early

        put("ELITE");

        assertThat(ledger.balance(NOVEMBER.previous()).baseCredits()).as("October closed as DEV").isEqualTo(Credits.of(500));
        assertThat(ledger.balance(NOVEMBER).baseCredits()).isEqualTo(Credits.of(10_000));
        assertThat(ledger.balance(DECEMBER).baseCredits()).isEqualTo(Credits.of(10_000));
        assertThat(ledger.balance(DECEMBER).used()).isEqualTo(Credits.of(1));
    }

    @Test
    void aPutKeepsTheAddOnPackagesBoughtAndTheirCredits() {
        put("DEV");
        ledger.debit("run-1", null);
        new AddonService(ledger.store, ledger.clock, ledger.retries).purchase("ws-1", new AddonService.Purchase("po-1", 10_000L, "ANNUAL"));

        Saved updated = put("PRO");

        assertThat(updated.workspace().addons()).extracting(AddonPackage::purchaseId).containsExactly("po-1");
        assertThat(ledger.balance(NOVEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
        assertThat(ledger.balance(NOVEMBER).allocated()).isEqualTo(Credits.of(15_000));
    }

    @Test
    void theOrganizationCannotChangeAndTheRefusalWritesNothing() {
        Workspace original = put("DEV").workspace();
        int writes = ledger.store.writes();

        assertThatThrownBy(() -> workspaces.put("ws-1", spec("org-2", "DEV")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.ORGANIZATION_IMMUTABLE));

        assertThat(ledger.store.writes()).isEqualTo(writes);
        assertThat(workspaces.get("ws-1")).isEqualTo(original);
    }

    @Test
    void anInvalidWorkspaceIsRefusedNamingTheFieldAndWritesNothing() {
        Workspace original = put("DEV").workspace();
        int writes = ledger.store.writes();
        List<Map.Entry<WorkspaceSpec, String>> invalid = List.of(
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "DEV", null, null, 1_000L, null, List.of(), null, null), "monthlyCredits"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "M_PARTNER", null, null, null, null, List.of(), null, null), "monthlyCredits"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "GOLD", null, null, null, null, List.of(), null, null), "tier"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", null, null, null, null, null, List.of(), null, null), "tier"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "DEV", "FREE", null, null, null, List.of(), null, null), "pricingModel"),
                Map.entry(new WorkspaceSpec("ws-2", "org-1", "Acme", "DEV", null, null, null, null, List.of(), null, null), "workspaceId"),
                Map.entry(new WorkspaceSpec(null, "org#1", "Acme", "DEV", null, null, null, null, List.of(), null, null), "organizationId"),
                Map.entry(new WorkspaceSpec(null, "org-1", " ", "DEV", null, null, null, null, List.of(), null, null), "name"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "DEV", null, null, null, -1, List.of(), null, null), "agentInstanceLimit"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "DEV", null, null, null, null, List.of("nobody"), null, null), "notificationEmails"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "DEV", null, null, null, null, List.of(), List.of(80, 80), null), "thresholds"),
                Map.entry(new WorkspaceSpec(null, "org-1", "Acme", "DEV", null, null, null, null, List.of(), null, 99), "hardLimitPercent"));
        invalid.forEach(entry -> assertThatThrownBy(() -> workspaces.put("ws-1", entry.getKey())).as(entry.getKey().toString())
                .isInstanceOfSatisfying(CreditsException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.INVALID_INPUT);
                    assertThat(e.subject()).isEqualTo(entry.getValue());
                }));
        assertThatThrownBy(() -> workspaces.put("ws#1", spec("org-1", "DEV")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.subject()).isEqualTo("workspaceId"));
        assertThatThrownBy(() -> workspaces.get("ws-nobody"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));

        assertThat(ledger.store.writes()).isEqualTo(writes);
        assertThat(workspaces.get("ws-1")).isEqualTo(original);
    }

    @Test
    void aChangeThatLosesTheRaceToADebitIsRedoneAtOnceOnTheBalanceTheDebitLeft() {
        put("DEV");
        ledger.debit("run-1", null);
        ledger.store.beforeEachWrite(write -> ledger.debit("run-2", null));

        put("PRO");

        assertThat(ledger.balance(NOVEMBER).baseCredits()).isEqualTo(Credits.of(5_000));
        assertThat(ledger.balance(NOVEMBER).used()).isEqualTo(Credits.of(2));
        assertThat(ledger.balance(NOVEMBER).sequence()).isEqualTo(2);
        assertThat(ledger.time.elapsed()).as("a lost race is read again at once").isZero();
    }

    @Test
    void aChangeReadBeforeADebitOpenedTheNextPeriodIsRedoneAndMovesItToo() {
        ledger.clock.set(Instant.parse("2026-11-30T23:59:59.990Z"));
        put("DEV");
        // The change reads no December; a debit at midnight opens it, from DEV, before the change commits.
        ledger.store.beforeEachWrite(write -> ledger.debit("midnight", "2026-12-01T00:00:00Z"));

        put("PRO");

        assertThat(ledger.balance(DECEMBER).baseCredits()).isEqualTo(Credits.of(5_000));
        assertThat(ledger.balance(DECEMBER).used()).isEqualTo(Credits.of(1));
        assertThat(ledger.balance(NOVEMBER)).isNull();
    }

    @Test
    void aPeriodOpeningThatReadTheWorkspaceBeforeTheChangeIsRedoneAtTheNewTier() {
        put("DEV");
        // The debit plans November's opening from DEV; the change to PRO commits before the opening's write.
        ledger.store.beforeEachWrite(write -> put("PRO"));

        DebitOutcome first = ledger.debit("run-1", null);

        assertThat(first.record().creditsAllocated()).isEqualTo(Credits.of(5_000));
        assertThat(ledger.balance(NOVEMBER).baseCredits()).isEqualTo(Credits.of(5_000));
    }

    @Test
    void ofTwoRacingCreationsOnlyOneIsCreatedAndTheOtherAnUpdate() {
        List<Saved> other = new ArrayList<>();
        ledger.store.beforeEachWrite(write -> other.add(put("PRO")));

        Saved mine = put("DEV");

        assertThat(other).singleElement().extracting(Saved::created).isEqualTo(true);
        assertThat(mine.created()).isFalse();
        assertThat(mine.workspace().version()).isEqualTo(2);
        assertThat(workspaces.get("ws-1").tier()).isEqualTo(Tier.DEV);
    }

    @Test
    void contentionIsRetriedAfterAPauseAndThroughTheWholeBudgetIsA503WritingNothing() {
        ledger.store.contention(3);
        assertThat(put("DEV").created()).isTrue();
        assertThat(ledger.time.elapsed()).isPositive().isLessThan(Duration.ofSeconds(1));

        ledger.store.contention(Integer.MAX_VALUE);
        assertThatThrownBy(() -> put("PRO"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(ledger.time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(workspaces.get("ws-1").tier()).isEqualTo(Tier.DEV);
        assertThat(workspaces.get("ws-1").version()).isEqualTo(1);
    }
}
