package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Balance;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Debits of an organization's pool, and its switch on and off, on the in-memory ledger at a fixed time. */
class PoolDebitsTest {
    private static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    private static final Period PERIOD = Period.of(NOW);
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore store = new InMemoryCreditStore();
    private final VirtualRetries time = new VirtualRetries();
    private final DebitService debits = new DebitService(store, PriceCatalogFile.loadDefault(), clock, time.within(Duration.ofSeconds(10)));
    private final OrganizationService organizations = new OrganizationService(store, clock, time.within(Duration.ofSeconds(10)));

    private void workspace(String id, boolean cases) {
        store.saveWorkspace(new Workspace(id, "org-1", id, Tier.DEV, PricingModel.EXTEND, cases, null, null, List.of(), null,
                200, List.of(), 1), 0, List.of());
    }

    private OrganizationService.Saved pool(boolean enabled, Long monthlyCredits, Integer hardLimitPercent) {
        return organizations.put("org-1", new OrganizationSpec(null, "Acme", new CreditPool.Spec(enabled, monthlyCredits,
                hardLimitPercent, null, List.of("finance@acme.example"))));
    }

    private DebitOutcome debit(String workspaceId, String executionId, String activity) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, null));
    }

    private PoolBalance poolBalance() {
        return store.readPool("org-1", PERIOD, true).pool();
    }

    @Test
    void enablingStartsThePoolWithWhatItsWorkspacesUsedAndEveryRunThenMovesBoth() {
        workspace("ws-a", true);
        workspace("ws-b", true);
        debit("ws-a", "a-1", "case.investigation");
        debit("ws-b", "b-1", "agent.execution");

        assertThat(pool(true, null, null).created()).isTrue();
        assertThat(poolBalance().ledger().used()).isEqualTo(Credits.of(18));
        assertThat(poolBalance().ledger().allocated()).isEqualTo(Credits.of(1_000));
        DebitOutcome pooled = debit("ws-b", "b-2", "case.investigation");

        assertThat(pooled.body()).contains("\"pool\":\"organization\"").contains("\"workspaceId\":\"ws-b\"");
        assertThat(pooled.record().sequence()).isEqualTo(1);
        assertThat(pooled.record().creditsUsed()).isEqualTo(Credits.of(30));
        assertThat(pooled.record().creditsAllocated()).isEqualTo(Credits.of(1_000));
        assertThat(pooled.record().creditsRemaining()).isEqualTo(Credits.of(970));
        assertThat(store.balance("ws-b", PERIOD).used()).isEqualTo(Credits.of(18));
        assertThat(store.balance("ws-b", PERIOD).sequence()).isEqualTo(2);
        assertThat(poolBalance().ledger().used()).isEqualTo(Credits.of(30));
        assertThat(debit("ws-b", "b-2", "case.investigation").body()).isEqualTo(pooled.body());
        assertThat(poolBalance().ledger().used()).isEqualTo(Credits.of(30));
    }

    @Test
    void thePoolsHardLimitHoldsAcrossItsWorkspacesAndARefusalLeavesNoTrace() {
        workspace("ws-a", true);
        workspace("ws-b", true);
        pool(true, 20L, 100);
        debit("ws-a", "a-1", "case.investigation");

        assertThatThrownBy(() -> debit("ws-b", "b-1", "case.investigation")).isInstanceOfSatisfying(CreditsException.class, e -> {
            assertThat(e.refusal()).isEqualTo(Refusal.HARD_LIMIT);
            assertThat(e.getMessage()).startsWith("the credit pool of organization org-1");
            assertThat(e.detail()).containsEntry("pool", "organization");
        });
        assertThat(store.balance("ws-b", PERIOD)).satisfiesAnyOf(b -> assertThat(b).isNull(),
                b -> assertThat(b.used()).isEqualTo(Credits.ZERO));
        DebitOutcome fits = debit("ws-b", "b-1", "case.conversation");
        assertThat(fits.record().creditsUsed()).isEqualTo(Credits.of(20));
        assertThat(fits.record().creditsRemaining()).isEqualTo(Credits.ZERO);
    }

    @Test
    void aPooledWorkspaceKeepsItsOwnCasesSwitch() {
        workspace("ws-a", false);
        pool(true, null, null);

        assertThatThrownBy(() -> debit("ws-a", "a-1", "case.investigation")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.CASES_DISABLED));
        assertThat(debit("ws-a", "a-2", "task.execution").record().pool()).isEqualTo(PoolBalance.ORGANIZATION);
    }

    @Test
    void disablingReturnsEachWorkspaceToItsOwnAllocationWithWhatItUsed() {
        workspace("ws-a", true);
        workspace("ws-b", true);
        pool(true, null, null);
        debit("ws-a", "a-1", "case.investigation");
        debit("ws-b", "b-1", "agent.execution");

        assertThat(pool(false, null, null).created()).isFalse();
        DebitOutcome own = debit("ws-a", "a-2", "task.execution");

        assertThat(own.record().pool()).isNull();
        assertThat(own.record().creditsUsed()).isEqualTo(Credits.of(13));
        assertThat(own.record().creditsAllocated()).isEqualTo(Credits.of(500));
        assertThat(own.record().sequence()).isEqualTo(2);
        assertThat(poolBalance().enabled()).isFalse();
        assertThat(poolBalance().ledger().used()).isEqualTo(Credits.of(18));

        pool(true, null, null);
        DebitOutcome again = debit("ws-b", "b-2", "task.execution");
        assertThat(again.record().creditsUsed()).as("the pool reopens with everything its workspaces used").isEqualTo(Credits.of(20));
        assertThat(again.record().sequence()).as("its sequence runs on").isEqualTo(3);
    }

    @Test
    void aWorkspaceWhosePeriodIsNotOpenOpensItPooledAndThePoolOpensWithIt() {
        workspace("ws-a", true);
        pool(true, null, null);
        Period next = PERIOD.next();
        clock.set(next.start().plusSeconds(60));

        DebitOutcome first = debit("ws-a", "a-1", "agent.execution");

        assertThat(first.record().pool()).isEqualTo(PoolBalance.ORGANIZATION);
        assertThat(first.record().sequence()).isEqualTo(1);
        assertThat(store.balance("ws-a", next).pooled()).isTrue();
        assertThat(store.readPool("org-1", next, true).pool().ledger().used()).isEqualTo(Credits.of(6));
    }

    @Test
    void aBatchIntoAPooledWorkspaceIsAnsweredAsSingleCallsInOrder() {
        workspace("ws-a", true);
        pool(true, 20L, 100);
        List<RecordExecution> runs = new ArrayList<>();
        runs.add(new RecordExecution("a-1", "case.investigation", null));
        runs.add(new RecordExecution("a-2", "case.investigation", null));
        runs.add(new RecordExecution("a-3", "case.conversation", null));

        List<DebitService.BatchAnswer> answers = debits.recordBatch("ws-a", runs, null);

        assertThat(answers.get(0).outcome().record().sequence()).isEqualTo(1);
        assertThat(answers.get(1).refusal().refusal()).isEqualTo(Refusal.HARD_LIMIT);
        assertThat(answers.get(2).outcome().record().creditsUsed()).isEqualTo(Credits.of(20));
        assertThat(debits.recordBatch("ws-a", runs, null).get(0).outcome().created()).isFalse();
    }

    @Test
    void aRefundOfAPooledRunReturnsItsCreditsToThePoolAndToItsWorkspace() {
        workspace("ws-a", true);
        workspace("ws-b", true);
        pool(true, null, null);
        debit("ws-a", "a-1", "case.investigation");
        debit("ws-b", "b-1", "agent.execution");
        RefundService refunds = new RefundService(store, clock, time.within(Duration.ofSeconds(10)));
        store.beforeEachWrite(write -> debit("ws-b", "b-2", "task.execution"));

        assertThat(refunds.refund("ws-a", "a-1", new RefundService.RefundRequest("wrong case")).refundedNow()).isTrue();

        assertThat(store.balance("ws-a", PERIOD).used()).isEqualTo(Credits.ZERO);
        assertThat(poolBalance().ledger().used()).as("b-1 and b-2 remain, the pool's revision raced once").isEqualTo(Credits.of(7));
        assertThat(refunds.refund("ws-a", "a-1", new RefundService.RefundRequest("again")).refundedNow()).isFalse();
        assertThat(poolBalance().ledger().used()).isEqualTo(Credits.of(7));
    }

    @Test
    void aPoolWithoutItsOwnMonthlyCreditsFollowsItsWorkspacesAllocations() {
        workspace("ws-a", true);
        pool(true, null, null);
        assertThat(poolBalance().ledger().allocated()).isEqualTo(Credits.of(500));
        WorkspaceService workspaces = new WorkspaceService(store, clock, time.within(Duration.ofSeconds(10)));
        AddonService addons = new AddonService(store, clock, time.within(Duration.ofSeconds(10)));

        workspaces.put("ws-b", new com.aicredits.domain.WorkspaceSpec(null, "org-1", "B", "PRO", null, null, null, null,
                List.of(), null, null));
        assertThat(poolBalance().ledger().allocated()).as("a new workspace brings its allocation").isEqualTo(Credits.of(5_500));
        workspaces.put("ws-a", new com.aicredits.domain.WorkspaceSpec(null, "org-1", "A", "ESSENTIAL", null, null, null, null,
                List.of(), null, null));
        assertThat(poolBalance().ledger().allocated()).as("a tier change moves it").isEqualTo(Credits.of(7_000));
        addons.purchase("ws-b", new AddonService.Purchase("p-1", 10_000L, "MONTHLY"));
        assertThat(poolBalance().ledger().allocated()).as("so does an add-on").isEqualTo(Credits.of(17_000));

        pool(true, 1_000L, null);
        workspaces.put("ws-a", new com.aicredits.domain.WorkspaceSpec(null, "org-1", "A", "DEV", null, null, null, null,
                List.of(), null, null));
        assertThat(poolBalance().ledger().allocated()).as("its own monthlyCredits do not follow").isEqualTo(Credits.of(1_000));
    }

    @Test
    void aDebitRacingTheSwitchIsRedoneUnderTheNewMode() {
        workspace("ws-a", true);
        debit("ws-a", "a-1", "task.execution");
        store.beforeEachWrite(write -> pool(true, null, null));

        DebitOutcome raced = debit("ws-a", "a-2", "task.execution");

        assertThat(raced.record().pool()).isEqualTo(PoolBalance.ORGANIZATION);
        Balance workspace = store.balance("ws-a", PERIOD);
        assertThat(workspace.used()).isEqualTo(Credits.of(2));
        assertThat(poolBalance().ledger().used()).isEqualTo(Credits.of(2));
    }
}
