package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Credits;
import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Charge;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.json.LedgerBodies;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.port.LedgerStore.LedgerAppend;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DebitService on the in-memory ledger, at a fixed time: its replay, retry and lost-race paths. */
class DebitServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    private static final Period PERIOD = Period.of(NOW);
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore store = new InMemoryCreditStore();
    private final VirtualRetries time = new VirtualRetries();
    private final DebitService debits = new DebitService(store, PriceCatalogFile.loadDefault(), clock, time.within(Duration.ofSeconds(10)));

    private Workspace workspace(String id, int hardLimitPercent, boolean cases) {
        Workspace workspace = new Workspace(id, "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, cases, null, null, List.of(),
                null, hardLimitPercent, List.of(), 1);
        store.saveWorkspace(workspace, 0, List.of());
        return workspace;
    }

    private DebitOutcome debit(String workspaceId, String executionId, String activity) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, null));
    }

    @Test
    void aNewRunIsOneLedgerLineAndItsBodyIsTheStoredOne() {
        workspace("ws-1", 200, true);
        DebitOutcome first = debit("ws-1", "run-1", "case.investigation");
        DebitOutcome second = debit("ws-1", "run-2", "task.execution");

        assertThat(first.created()).isTrue();
        assertThat(first.body()).isEqualTo(LedgerBodies.of(first.record())).isEqualTo(store.ledgerBodies().get(0));
        assertThat(first.record().sequence()).isEqualTo(1);
        assertThat(second.record().sequence()).isEqualTo(2);
        assertThat(second.record().creditsUsed()).isEqualTo(first.record().creditsConsumed().plus(second.record().creditsConsumed()));
        assertThat(store.balance("ws-1", PERIOD).used()).isEqualTo(second.record().creditsUsed());
    }

    @Test
    void aRetryOfTheSameRunReturnsTheStoredBodyByteForByteAndDebitsNothing() {
        workspace("ws-1", 200, true);
        DebitOutcome first = debit("ws-1", "run-1", "case.investigation");
        clock.advance(Duration.ofDays(20));
        DebitOutcome again = debit("ws-1", "run-1", "case.investigation");

        assertThat(again.created()).isFalse();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(store.ledgerBodies()).hasSize(1);
        assertThatThrownBy(() -> debit("ws-1", "run-1", "task.execution")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.EXECUTION_ID_REUSED));
        assertThatThrownBy(() -> debits.record("ws-1", new RecordExecution("run-1", "case.investigation", null, "BYOS")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.EXECUTION_ID_REUSED));
    }

    @Test
    void aLostRaceIsRecomputedOnTheWinnersBalanceAtOnce() {
        Workspace workspace = workspace("ws-1", 200, true);
        debit("ws-1", "run-1", "task.execution");
        // Another container commits a line between this debit's read and its write.
        store.beforeEachWrite(write -> commitElsewhere(workspace));
        DebitOutcome outcome = debit("ws-1", "run-2", "task.execution");

        assertThat(outcome.record().sequence()).isEqualTo(3);
        assertThat(store.ledgerBodies()).hasSize(3);
        assertThat(store.balance("ws-1", PERIOD).sequence()).isEqualTo(3);
        assertThat(time.elapsed()).isZero();
    }

    /** Another container commits a line to ws-1 (an agent run) through the store, as a racing debit would. */
    private void commitElsewhere(Workspace workspace) {
        LedgerView view = store.read("ws-1", PERIOD, null, true);
        Charge charge = Charge.of(PriceCatalogFile.loadDefault().priceAt("agent.execution", NOW), PricingModel.EXTEND);
        Balance after = view.balance().debit(charge, NOW);
        store.append(new LedgerAppend(UsageRecord.between("elsewhere", charge, view.balance(), after, NOW, NOW),
                view.balance(), after, workspace.version()));
    }

    @Test
    void aConflictIsTriedAgainOnTheBalanceAsItStandsAfterThePause() {
        Workspace workspace = workspace("ws-1", 200, true);
        debit("ws-1", "run-1", "task.execution");
        // Another container's transaction commits a line, and this debit's write is cancelled for it (a conflict).
        store.beforeEachWrite(write -> {
            commitElsewhere(workspace);
            store.contention(1);
        });
        int before = store.writes();
        DebitOutcome outcome = debit("ws-1", "run-2", "task.execution");

        assertThat(outcome.record().sequence()).isEqualTo(3);
        assertThat(store.writes() - before).as("the cancelled try, the other container's write, then one try on the balance"
                + " read again (not one more lost to the version the conflict had already moved)").isEqualTo(3);
        assertThat(time.elapsed()).as("the pause after a conflict").isPositive();
    }

    @Test
    void theFirstLineOfAPeriodRacingAnotherOpeningAppendsAfterIt() {
        Workspace workspace = workspace("ws-1", 200, true);
        store.beforeEachWrite(write -> store.open(Allocation.opening(workspace, PERIOD), workspace.version()));
        DebitOutcome outcome = debit("ws-1", "run-1", "task.execution");
        assertThat(outcome.record().sequence()).isEqualTo(1);
        assertThat(store.balance("ws-1", PERIOD).revision()).isEqualTo(outcome.record().sequence());
    }

    @Test
    void contentionIsRetriedWithPausesUntilItPasses() {
        workspace("ws-1", 200, true);
        store.contention(5);
        DebitOutcome outcome = debit("ws-1", "run-1", "task.execution");
        assertThat(outcome.created()).isTrue();
        assertThat(time.elapsed()).isPositive().isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void contentionThroughTheWholeBudgetIsA503WritingNothing() {
        workspace("ws-1", 200, true);
        store.contention(Integer.MAX_VALUE);
        assertThatThrownBy(() -> debit("ws-1", "run-1", "task.execution")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(store.ledgerBodies()).isEmpty();
    }

    @Test
    void theHardLimitRefusesWritingNothingButMarksTheBalanceBlockedOnce() {
        workspace("ws-1", 100, true);
        Credits allocated = Allocation.opening(store.findWorkspace("ws-1", true).orElseThrow(), PERIOD).hardLimitCredits();
        int runs = 0;
        try {
            while (runs < 10_000) {
                debit("ws-1", "fill-" + runs, "task.execution");
                runs++;
            }
        } catch (CreditsException refused) {
            assertThat(refused.refusal()).isEqualTo(Refusal.HARD_LIMIT);
            assertThat(refused.detail()).containsEntry("hardLimitCredits", allocated);
        }
        Balance blocked = store.balance("ws-1", PERIOD);
        assertThat(blocked.blockedAt()).isEqualTo(NOW);
        assertThat(store.ledgerBodies()).hasSize(runs);
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> debit("ws-1", "over", "task.execution")).isInstanceOf(CreditsException.class);
        assertThat(store.balance("ws-1", PERIOD).blockedAt()).isEqualTo(NOW);
    }

    @Test
    void refusalsNameTheirDomainReason() {
        workspace("ws-nocases", 200, false);
        assertThatThrownBy(() -> debit("ws-nobody", "run-1", "task.execution")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        assertThatThrownBy(() -> debit("ws-nocases", "run-1", "case.investigation")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.CASES_DISABLED));
        assertThatThrownBy(() -> debits.record("ws-nocases", new RecordExecution("run-1", "task.execution", null, "BYOS")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.BYOS_NOT_ENABLED));
        assertThatThrownBy(() -> debit("ws-nocases", "run-1", "no.such.activity")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_ACTIVITY));
        assertThatThrownBy(() -> debits.record("ws-nocases", new RecordExecution("run-1", "task.execution", "2026-09-30T23:59:59Z")))
                .isInstanceOfSatisfying(CreditsException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.INVALID_INPUT);
                    assertThat(e.subject()).isEqualTo("occurredAt");
                });
        assertThat(store.ledgerBodies()).isEmpty();
    }

    @Test
    void aRecordedIdIsAnsweredEvenOnceItsOccurredAtHasLeftTheWindow() {
        workspace("ws-1", 200, true);
        DebitOutcome first = debits.record("ws-1", new RecordExecution("run-1", "task.execution", "2026-10-01T00:00:00Z"));
        clock.set(Instant.parse("2026-12-02T00:00:00Z"));
        DebitOutcome again = debits.record("ws-1", new RecordExecution("run-1", "task.execution", "2026-10-01T00:00:00Z"));
        assertThat(again.body()).isEqualTo(first.body());
    }
}
