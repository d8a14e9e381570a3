package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Credits;
import com.aicredits.domain.Byos;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch on the in-memory ledger, held to its definition: each item answers exactly what a single call of it would
 * have answered had the items been sent one after another, in order, to the same ledger.
 */
class BatchDebitTest {
    private static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    private static final Period PERIOD = Period.of(NOW);
    private static final String[] ACTIVITIES = {"task.execution", "agent.execution", "case.investigation", "case.conversation",
            "builder.assist", "no.such.activity"};

    /** One ledger with its service; two of them, set up alike, take the batch and the single calls. */
    private static final class Ledger {
        final InMemoryCreditStore store = new InMemoryCreditStore();
        final VirtualRetries time = new VirtualRetries();
        final DebitService debits = new DebitService(store, PriceCatalogFile.loadDefault(), new TestClock(NOW),
                time.within(Duration.ofSeconds(10)));

        Ledger(int hardLimitPercent, boolean cases) {
            store.saveWorkspace(new Workspace("ws-1", "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, cases, null, null, List.of(),
                    null, hardLimitPercent, List.of(), 1), 0, List.of());
        }

        /** What a single call answers: its status and body, or its refusal's code. */
        String single(RecordExecution request) {
            try {
                DebitOutcome outcome = debits.record("ws-1", request);
                return (outcome.created() ? 201 : 200) + " " + outcome.body();
            } catch (CreditsException refused) {
                return refused.refusal() + " " + refused.getMessage();
            }
        }

        List<String> batch(List<RecordExecution> requests) {
            return debits.recordBatch("ws-1", requests, null).stream().map(answer -> answer.outcome() != null
                    ? (answer.outcome().created() ? 201 : 200) + " " + answer.outcome().body()
                    : answer.refusal().refusal() + " " + answer.refusal().getMessage()).toList();
        }
    }

    /** Random runs: the activities above, some on BYOS, some last month, some ids used before, some malformed. */
    private static List<RecordExecution> runs(Random random, int count, String prefix, List<String> usedIds) {
        List<RecordExecution> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = !usedIds.isEmpty() && random.nextInt(8) == 0 ? usedIds.get(random.nextInt(usedIds.size())) : prefix + i;
            if (runs.stream().anyMatch(run -> run.executionId().equals(id))) {
                continue;
            }
            String activity = ACTIVITIES[random.nextInt(random.nextInt(10) == 0 ? ACTIVITIES.length : ACTIVITIES.length - 1)];
            String occurredAt = switch (random.nextInt(12)) {
                case 0 -> "2026-10-20T08:00:00Z";
                case 1 -> "2026-09-01T00:00:00Z"; // too old
                default -> null;
            };
            runs.add(new RecordExecution(id, activity, occurredAt, random.nextInt(10) == 0 ? "BYOS" : null));
        }
        return runs;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyItemAnswersWhatSingleCallsInTheSameOrderWouldHaveAnswered(long seed) {
        Random random = new Random(seed);
        boolean cases = seed % 2 == 0;
        Ledger batched = new Ledger(seed % 3 == 0 ? 100 : 200, cases);
        Ledger single = new Ledger(seed % 3 == 0 ? 100 : 200, cases);
        List<String> used = new ArrayList<>();
        // Some history first, through single calls on both.
        for (RecordExecution run : runs(random, 30, "before-", List.of())) {
            assertThat(batched.single(run)).isEqualTo(single.single(run));
            used.add(run.executionId());
        }
        for (int round = 0; round < 6; round++) {
            List<RecordExecution> runs = runs(random, 1 + random.nextInt(100), "r" + round + "-", used);
            List<String> expected = runs.stream().map(single::single).toList();

            assertThat(batched.batch(runs)).as("round " + round).containsExactlyElementsOf(expected);
            runs.forEach(run -> used.add(run.executionId()));
        }
        assertThat(batched.store.ledgerBodies()).containsExactlyElementsOf(single.store.ledgerBodies());
        assertThat(batched.store.balance("ws-1", PERIOD)).isEqualTo(single.store.balance("ws-1", PERIOD));
    }

    @Test
    void aHundredNewRunsNumberConsecutivelyOverTheTwoTransactionsTheyTake() {
        Ledger ledger = new Ledger(200, true);
        List<RecordExecution> runs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            runs.add(new RecordExecution("run-" + i, "task.execution", null));
        }
        List<DebitService.BatchAnswer> answers = ledger.debits.recordBatch("ws-1", runs, null);

        assertThat(answers).extracting(answer -> answer.outcome().record().sequence())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(ledger.store.balance("ws-1", PERIOD).used()).isEqualTo(Credits.of(100));
    }

    @Test
    void sentAgainEveryItemAnswersItsStoredRecordAndNothingMoves() {
        Ledger ledger = new Ledger(200, true);
        List<RecordExecution> runs = List.of(new RecordExecution("a", "task.execution", null),
                new RecordExecution("b", "agent.execution", null), new RecordExecution("c", "builder.assist", null));
        List<String> first = ledger.batch(runs);
        List<String> again = ledger.batch(runs);

        assertThat(first).allSatisfy(answer -> assertThat(answer).startsWith("201 "));
        assertThat(again).containsExactlyElementsOf(first.stream().map(answer -> "200" + answer.substring(3)).toList());
        assertThat(ledger.store.ledgerBodies()).hasSize(3);
    }

    @Test
    void aRunPastTheHardLimitIsRefusedAloneAndMarksTheBalanceBlocked() {
        Ledger ledger = new Ledger(100, true);
        List<RecordExecution> fill = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            fill.add(new RecordExecution("fill-" + i, "case.investigation", null)); // 41 x 12 = 492 of 500
        }
        ledger.debits.recordBatch("ws-1", fill, null);
        List<DebitService.BatchAnswer> answers = ledger.debits.recordBatch("ws-1", List.of(
                new RecordExecution("big", "case.investigation", null), new RecordExecution("small", "agent.execution", null),
                new RecordExecution("free", "builder.assist", null)), null);

        assertThat(answers.get(0).refusal().refusal()).isEqualTo(Refusal.HARD_LIMIT);
        assertThat(answers.get(1).outcome().record().creditsUsed()).isEqualTo(Credits.of(498));
        assertThat(answers.get(2).outcome().record().sequence()).isEqualTo(43);
        assertThat(ledger.store.read("ws-1", PERIOD, "big", true).record()).isNull();
        assertThat(ledger.store.balance("ws-1", PERIOD).blockedAt()).isEqualTo(NOW);
    }

    @Test
    void aRunAnotherCallRecordedMeanwhileIsAnsweredAsAReplay() {
        Ledger ledger = new Ledger(200, true);
        ledger.store.beforeEachWrite(write -> ledger.debits.record("ws-1", new RecordExecution("b", "agent.execution", null)));
        List<String> answers = ledger.batch(List.of(new RecordExecution("a", "task.execution", null),
                new RecordExecution("b", "agent.execution", null), new RecordExecution("c", "task.execution", null)));

        assertThat(answers).extracting(answer -> answer.substring(0, 3)).containsExactly("201", "200", "201");
        LedgerView view = ledger.store.read("ws-1", PERIOD, null, true);
        assertThat(view.balance().sequence()).isEqualTo(3);
        assertThat(view.balance().used()).isEqualTo(Credits.of(8));
    }

    @Test
    void aConflictIsTriedAgainOnTheBalanceAsItStandsAfterThePause() {
        Ledger ledger = new Ledger(200, true);
        ledger.store.beforeEachWrite(write -> {
            // Another call commits a run, and this batch's transaction is cancelled for it (a conflict).
            ledger.debits.record("ws-1", new RecordExecution("elsewhere", "agent.execution", null));
            ledger.store.contention(1);
        });
        int before = ledger.store.writes();
        List<String> answers = ledger.batch(List.of(new RecordExecution("a", "task.execution", null),
                new RecordExecution("b", "task.execution", null)));

        assertThat(answers).extracting(answer -> answer.substring(0, 3)).containsExactly("201", "201");
        assertThat(ledger.store.writes() - before).as("the cancelled try, the other call's write, then one try on the"
                + " balance read again").isEqualTo(3);
        assertThat(ledger.store.read("ws-1", PERIOD, null, true).balance().sequence()).isEqualTo(3);
    }

    @Test
    void contentionIsRetriedWithinTheBudgetThenA503() {
        Ledger ledger = new Ledger(200, true);
        ledger.store.contention(5);
        assertThat(ledger.batch(List.of(new RecordExecution("a", "task.execution", null)))).singleElement()
                .satisfies(answer -> assertThat(answer).startsWith("201 "));
        ledger.store.contention(Integer.MAX_VALUE);
        assertThatThrownBy(() -> ledger.batch(List.of(new RecordExecution("b", "task.execution", null))))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
        assertThat(ledger.store.ledgerBodies()).hasSize(1);
    }

    @Test
    void theBatchsOwnErrorsAreThrownAndWriteNothing() {
        Ledger ledger = new Ledger(200, true);
        RecordExecution run = new RecordExecution("a", "task.execution", null);
        List<RecordExecution> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(new RecordExecution("r" + i, "task.execution", null));
        }
        for (List<RecordExecution> bad : List.of(List.<RecordExecution>of(), tooMany, List.of(run, run))) {
            assertThatThrownBy(() -> ledger.batch(bad)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.subject()).isEqualTo("executions"));
        }
        assertThatThrownBy(() -> ledger.debits.recordBatch("ws-none", List.of(run), null))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        assertThat(ledger.store.ledgerBodies()).isEmpty();
    }

    @Test
    void aByosRunOfAFeatureEnabledForItIsRecordedBesideOthers() {
        Ledger ledger = new Ledger(200, true);
        Workspace byos = new Workspace("ws-1", "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null, List.of(),
                null, 200, new Byos(true, "openai", List.of(Feature.AI_TASK)), List.of(), 2);
        ledger.store.saveWorkspace(byos, 1, List.of());
        List<String> answers = ledger.batch(List.of(new RecordExecution("a", "task.execution", null, "BYOS"),
                new RecordExecution("b", "agent.execution", null, "BYOS")));
        assertThat(answers.get(0)).startsWith("201 ");
        assertThat(answers.get(1)).startsWith(Refusal.BYOS_NOT_ENABLED.name());
    }
}
