package com.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.aicredits.client.AiCreditsClient.Execution;
import com.aicredits.client.AiCreditsClient.Model;
import com.aicredits.client.AiCreditsClient.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 32: the client batches concurrent {@code record} calls of a workspace by itself, and every caller gets what its
 * own single call would have. Against {@link LedgerStub}, the two debit routes on an in-memory ledger.
 *
 * <p>Deterministic on a loaded machine: where a test is about which runs travel together, the stub holds one lone
 * call (a lone call goes at once, alone) and the test waits until the client says how many runs wait behind it, with a
 * window of a minute that never decides; nothing asserts a duration except the deadline test's upper bound.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AiCreditsClientBatchingTest {
    private static final Duration NEVER = Duration.ofMinutes(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private LedgerStub stub;

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.close();
        }
        callers.shutdownNow();
    }

    private LedgerStub stub() throws Exception {
        stub = new LedgerStub();
        return stub;
    }

    /** Attempts long enough that no answer times out on a loaded machine: these tests are about contents, not time. */
    private AiCreditsClient.Builder client() {
        return AiCreditsClient.builder(stub.url(), () -> "token").attemptTimeout(Duration.ofSeconds(5))
                .totalTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(5), Duration.ofMillis(40));
    }

    /** A caller's outcome: its Recorded, or what it threw. */
    private record Call(Recorded recorded, Throwable thrown) {
    }

    private Future<Call> call(AiCreditsClient client, String workspaceId, String executionId, String activity, Model model) {
        return callers.submit(() -> {
            try {
                return new Call(client.record(workspaceId, executionId, activity, null, model), null);
            } catch (RuntimeException e) {
                return new Call(null, e);
            }
        });
    }

    private Future<Call> call(AiCreditsClient client, String workspaceId, String executionId, String activity) {
        return call(client, workspaceId, executionId, activity, Model.PLATFORM);
    }

    private static Call done(Future<Call> call) throws Exception {
        return call.get(60, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("still not the case after 60 s: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Starts a lone call the stub holds, so that calls after it wait for a batch; returns it. */
    private Future<Call> aCallInFlight(AiCreditsClient client, String workspaceId) throws Exception {
        stub.holdNext();
        Future<Call> first = call(client, workspaceId, "first", "task.execution");
        assertThat(stub.firstHeld.await(60, TimeUnit.SECONDS)).as("the first call reached the stub").isTrue();
        return first;
    }

    @Test
    void concurrentCallersEachGetTheirOwnRunsAnswerFromOneBatch() throws Exception {
        stub().workspace("ws-1", 100, 100, 80, false, false);
        AiCreditsClient client = client().batchWindow(NEVER).build();
        client.record("ws-1", "done-1", "task.execution"); // 81: recorded before, replayed in the batch
        client.record("ws-1", "used-1", "task.execution");  // 82: recorded for another activity than the batch's
        Future<Call> first = aCallInFlight(client, "ws-1"); // 83
        Map<String, Future<Call>> calls = new LinkedHashMap<>();
        for (int i = 1; i <= 8; i++) {
            calls.put("new-" + i, call(client, "ws-1", "new-" + i, "task.execution")); // 84 .. 91
        }
        calls.put("big", call(client, "ws-1", "big", "batch.import"));              // 50 more: over 100 in any order
        calls.put("case", call(client, "ws-1", "case", "case.investigation"));       // no Cases here
        calls.put("byos", call(client, "ws-1", "byos", "task.execution", Model.BYOS)); // no BYOS here
        calls.put("used-1", call(client, "ws-1", "used-1", "agent.execution"));
        calls.put("bad", call(client, "ws-1", "bad", "no.such.activity"));
        calls.put("done-1", call(client, "ws-1", "done-1", "task.execution"));
        await(() -> client.waiting("ws-1") == calls.size(), "every caller waits for the batch");
        stub.release();

        assertThat(done(first).recorded().created()).isTrue();

        for (int i = 1; i <= 8; i++) {
            Call call = done(calls.get("new-" + i));
            assertThat(call.thrown()).isNull();
            assertThat(call.recorded().record().executionId()).isEqualTo("new-" + i);
            assertThat(call.recorded().created()).isTrue();
            assertThat(call.recorded().attempts()).isEqualTo(1);
        }
        assertThat(done(calls.get("big")).thrown()).isInstanceOfSatisfying(AiCreditsException.HardLimitExceeded.class, e -> {
            assertThat(e.credits()).isEqualByComparingTo("50");
            assertThat(e.hardLimitCredits()).isEqualByComparingTo("100");
            assertThat(e.usageAfter()).isEqualByComparingTo(e.creditsUsed().add(e.credits()));
            assertThat(e.period()).isEqualTo("2026-12");
        });
        assertThat(done(calls.get("case")).thrown()).isInstanceOf(AiCreditsException.CasesDisabled.class);
        assertThat(done(calls.get("byos")).thrown()).isInstanceOf(AiCreditsException.ByosNotEnabled.class);
        assertThat(done(calls.get("used-1")).thrown()).isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        assertThat(done(calls.get("bad")).thrown()).isInstanceOfSatisfying(AiCreditsException.InvalidRequest.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_activity");
        });
        Call replay = done(calls.get("done-1"));
        assertThat(replay.recorded().replay()).isTrue();
        assertThat(replay.recorded().record().sequence()).isEqualTo(1);
        List<LedgerStub.Request> requests = stub.requests();
        assertThat(requests).extracting(LedgerStub.Request::route)
                .containsExactly("executions", "executions", "executions", "executions:batch");
        assertThat(requests.get(3).executionIds()).containsExactlyInAnyOrderElementsOf(calls.keySet());
        // A batch announces its wait as a single debit does: all but one 5 s attempt of the 30 s, less the network's 500 ms.
        assertThat(requests).allSatisfy(request -> assertThat(Long.parseLong(request.timeoutHeader())).isBetween(20_000L, 24_500L));
        assertThat(stub.used("ws-1")).isEqualByComparingTo("91");
        assertThat(stub.sequences("ws-1")).isEqualTo(IntStream.rangeClosed(1, 11).asLongStream().boxed().toList());
    }

    @Test
    void aRefusalOfTheWholeCallGoesToEveryCallerAsItsOwnSingleCallWouldHaveThrownIt() throws Exception {
        stub(); // no workspace at all: 404 not_found
        AiCreditsClient client = client().batchWindow(NEVER).build();
        Future<Call> first = aCallInFlight(client, "ws-gone");
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(call(client, "ws-gone", "run-" + i, "task.execution"));
        }
        await(() -> client.waiting("ws-gone") == 5, "five callers wait");
        stub.release();
        assertThat(done(first).thrown()).isInstanceOf(AiCreditsException.WorkspaceNotFound.class);
        Set<Throwable> thrown = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Future<Call> call : calls) {
            assertThat(done(call).thrown()).isInstanceOf(AiCreditsException.WorkspaceNotFound.class);
            thrown.add(done(call).thrown());
        }
        assertThat(thrown).as("each caller its own exception").hasSize(5);
        assertThat(stub.batches()).hasSize(1).first().extracting(LedgerStub.Request::status).isEqualTo(404);
    }

    @Test
    void aContention503ThenTheSameBatchAgainAndCreatedSaysWhoseDebitItIs() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).fault(LedgerStub.Fault.CONTENTION_BEFORE);
        AiCreditsClient client = client().batchWindow(NEVER).build();
        client.record("ws-1", "earlier", "task.execution");
        Future<Call> first = aCallInFlight(client, "ws-1");
        Future<Call> earlier = call(client, "ws-1", "earlier", "task.execution");
        List<Future<Call>> fresh = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fresh.add(call(client, "ws-1", "fresh-" + i, "task.execution"));
        }
        await(() -> client.waiting("ws-1") == 4, "four callers wait");
        stub.release();
        done(first);
        // A contention 503 wrote nothing: the runs new to the ledger are this batch's debits, the earlier one a replay.
        for (Future<Call> call : fresh) {
            assertThat(done(call).recorded().created()).isTrue();
            assertThat(done(call).recorded().attempts()).isEqualTo(2);
        }
        assertThat(done(earlier).recorded().replay()).isTrue();
        assertThat(done(earlier).recorded().attempts()).isEqualTo(2);
        assertThat(stub.batches()).extracting(LedgerStub.Request::status).containsExactly(503, 200);
        assertThat(stub.batches().get(1).executionIds()).isEqualTo(stub.batches().get(0).executionIds());
    }

    @Test
    void anUnavailable503AfterCommittingThenTheReplayIsEveryCallersOwnDebit() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).fault(LedgerStub.Fault.UNAVAILABLE_AFTER);
        AiCreditsClient client = client().batchWindow(NEVER).build();
        assertLostAnswersAreTheCallersDebits(client, 503);
    }

    @Test
    void aLostAnswerThenTheReplayIsEveryCallersOwnDebit() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).fault(LedgerStub.Fault.LOST_AFTER);
        AiCreditsClient client = client().batchWindow(NEVER).build();
        assertLostAnswersAreTheCallersDebits(client, 0);
    }

    private void assertLostAnswersAreTheCallersDebits(AiCreditsClient client, int firstStatus) throws Exception {
        Future<Call> first = aCallInFlight(client, "ws-1");
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(call(client, "ws-1", "run-" + i, i % 2 == 0 ? "task.execution" : "agent.execution"));
        }
        await(() -> client.waiting("ws-1") == 6, "six callers wait");
        stub.release();
        done(first);
        for (Future<Call> call : calls) {
            Call result = done(call);
            assertThat(result.thrown()).isNull();
            assertThat(result.recorded().created()).as("the replay shows the first attempt's own debit").isTrue();
            assertThat(result.recorded().attempts()).isEqualTo(2);
        }
        assertThat(stub.batches()).extracting(LedgerStub.Request::status).containsExactly(firstStatus, 200);
        assertThat(stub.sequences("ws-1")).as("each run recorded once").isEqualTo(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L));
        assertThat(stub.used("ws-1")).isEqualByComparingTo(String.valueOf(1 + 3 * 1 + 3 * 5));
    }

    @Test
    void switchedOffEveryCallIsItsOwnRequest() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).holdAllUntil(20); // all 20 in flight at once, or the stub waits 20 s
        AiCreditsClient client = client().autoBatching(false).build();
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(call(client, "ws-1", "run-" + i, "task.execution"));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(done(calls.get(i)).recorded().record().executionId()).isEqualTo("run-" + i);
        }
        assertThat(stub.requests()).hasSize(20).noneMatch(LedgerStub.Request::batch);
        assertThat(client.waiting("ws-1")).isZero();
    }

    @Test
    void aFullBatchLeavesAtOnceAndNoneIsLargerThanTheLargest() throws Exception {
        stub().workspace("ws-1", 10_000, 20_000, 0, true, true);
        AiCreditsClient client = client().batchWindow(NEVER).build(); // the largest: 100, the default
        Future<Call> first = aCallInFlight(client, "ws-1");
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            calls.add(call(client, "ws-1", "run-" + i, "task.execution"));
        }
        // Two full batches leave while the first call is still in flight; the other 50 wait for it (or the window).
        await(() -> stub.batches().stream().mapToInt(b -> b.executionIds().size()).sum() == 200 && client.waiting("ws-1") == 50,
                "two full batches sent, 50 runs waiting");
        stub.release();
        for (int i = 0; i < 250; i++) {
            Call call = done(calls.get(i));
            assertThat(call.recorded().record().executionId()).isEqualTo("run-" + i);
            assertThat(call.recorded().created()).isTrue();
        }
        assertThat(stub.batches()).extracting(b -> b.executionIds().size()).containsExactly(100, 100, 50);
        assertThat(stub.sequences("ws-1")).hasSize(251).doesNotHaveDuplicates();
        assertThat(done(first).recorded().created()).isTrue();
    }

    @Test
    void underLoadEveryCallerGetsItsOwnRecordAndNoBatchIsOverTheLargest() throws Exception {
        stub().workspace("ws-1", 10_000, 20_000, 0, true, true);
        AiCreditsClient client = client().build(); // the defaults: a 5 ms window, 100 at most
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            calls.add(call(client, "ws-1", "run-" + i, "task.execution"));
        }
        for (int i = 0; i < 250; i++) {
            assertThat(done(calls.get(i)).recorded().record().executionId()).isEqualTo("run-" + i);
        }
        List<LedgerStub.Request> requests = stub.requests();
        assertThat(requests).allSatisfy(request -> assertThat(request.executionIds()).hasSizeBetween(1, 100).doesNotHaveDuplicates());
        assertThat(requests).flatExtracting(LedgerStub.Request::executionIds).hasSize(250).doesNotHaveDuplicates();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(3).allSatisfy(request -> assertThat(request.status()).isIn(200, 201));
        assertThat(stub.sequences("ws-1")).isEqualTo(IntStream.rangeClosed(1, 250).asLongStream().boxed().toList());
    }

    @Test
    void aSmallerLargestBatchIsHonoured() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true);
        AiCreditsClient client = client().batchWindow(NEVER).maxBatchSize(10).build();
        Future<Call> first = aCallInFlight(client, "ws-1");
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            calls.add(call(client, "ws-1", "run-" + i, "task.execution"));
        }
        await(() -> stub.batches().size() == 2 && client.waiting("ws-1") == 5, "two batches of 10 sent, 5 runs waiting");
        stub.release();
        done(first);
        for (Future<Call> call : calls) {
            assertThat(done(call).recorded().created()).isTrue();
        }
        assertThat(stub.batches()).extracting(b -> b.executionIds().size()).containsExactly(10, 10, 5);
    }

    @Test
    void aRunWaitingBehindACallInFlightLeavesWhenItsWindowEndsIfAnotherCallMayBeInFlight() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true);
        AiCreditsClient client = client().batchWindow(Duration.ofMillis(100)).maxCallsInFlight(2).build();
        Future<Call> first = aCallInFlight(client, "ws-1");
        Call second = done(call(client, "ws-1", "second", "task.execution"));
        assertThat(second.recorded().created()).isTrue();
        assertThat(first).as("the first call is still held by the stub").isNotDone();
        assertThat(stub.requests()).extracting(LedgerStub.Request::executionIds).containsExactly(List.of("second"));
        stub.release();
        assertThat(done(first).recorded().created()).isTrue();
    }

    @Test
    void byDefaultRunsBehindACallInFlightWaitPastTheirWindowAndLeaveTogetherWhenItAnswers() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true);
        AiCreditsClient client = client().batchWindow(Duration.ofMillis(20)).build();
        Future<Call> first = aCallInFlight(client, "ws-1");
        Future<Call> second = call(client, "ws-1", "second", "task.execution");
        await(() -> client.waiting("ws-1") == 1, "the second run waits");
        Thread.sleep(200); // ten windows: it still waits, as one call of the workspace is in flight
        Future<Call> third = call(client, "ws-1", "third", "task.execution");
        await(() -> client.waiting("ws-1") == 2, "the third run joins it");
        assertThat(second).isNotDone();
        assertThat(stub.requests()).as("nothing answered but the held first call").isEmpty();
        stub.release();
        assertThat(done(first).recorded().created()).isTrue();
        assertThat(done(second).recorded().created()).isTrue();
        assertThat(done(third).recorded().created()).isTrue();
        assertThat(stub.batches()).extracting(LedgerStub.Request::executionIds).containsExactly(List.of("second", "third"));
    }

    @Test
    void anExecutionIdTwiceNeverGoesInOneBatch() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true);
        AiCreditsClient client = client().batchWindow(NEVER).build();
        Future<Call> first = aCallInFlight(client, "ws-1");
        List<String> ids = List.of("a", "b", "a", "c", "a");
        List<Future<Call>> calls = new ArrayList<>();
        for (String id : ids) {
            calls.add(call(client, "ws-1", id, "task.execution"));
        }
        await(() -> client.waiting("ws-1") == 5, "five callers wait");
        stub.release();
        done(first);
        int created = 0;
        for (int i = 0; i < ids.size(); i++) {
            Call call = done(calls.get(i));
            assertThat(call.thrown()).isNull();
            assertThat(call.recorded().record().executionId()).isEqualTo(ids.get(i));
            created += "a".equals(ids.get(i)) && call.recorded().created() ? 1 : 0;
        }
        assertThat(created).as("one of the three calls for a debited it").isEqualTo(1);
        List<LedgerStub.Request> requests = stub.requests();
        assertThat(requests).allSatisfy(request -> assertThat(request.executionIds()).doesNotHaveDuplicates())
                .noneMatch(request -> request.status() == 400);
        assertThat(requests).filteredOn(request -> request.executionIds().contains("a")).hasSize(3);
        assertThat(stub.batches()).hasSize(1).first().extracting(LedgerStub.Request::executionIds)
                .satisfies(batch -> assertThat(batch).containsExactlyInAnyOrder("a", "b", "c"));
    }

    @Test
    void noCallerWaitsPastItsOwnTotalTimeout() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).down(); // 503 unavailable to everything
        Duration total = Duration.ofMillis(1_500);
        // Batches leave after their window beside the call in flight, so that several retry at once.
        AiCreditsClient client = AiCreditsClient.builder(stub.url(), () -> "token").attemptTimeout(Duration.ofMillis(400))
                .totalTimeout(total).backoff(Duration.ofMillis(5), Duration.ofMillis(40)).batchWindow(Duration.ofMillis(100))
                .maxCallsInFlight(12).build();
        assertNoCallerWaitsPast(client, total);
        assertThat(stub.batches()).as("the callers behind the first were batched").isNotEmpty();
    }

    @Test
    void behindACallInFlightThatGetsNoAnswerNoCallerWaitsPastItsOwnTotalTimeout() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).down();
        Duration total = Duration.ofMillis(1_500);
        // The default, one call in flight: the others wait for it, and give up by their own deadline all the same.
        AiCreditsClient client = AiCreditsClient.builder(stub.url(), () -> "token").attemptTimeout(Duration.ofMillis(400))
                .totalTimeout(total).backoff(Duration.ofMillis(5), Duration.ofMillis(40)).build();
        assertNoCallerWaitsPast(client, total);
    }

    /** Twelve callers at once on a workspace whose API answers only 503 unavailable: each gives up in time. */
    private void assertNoCallerWaitsPast(AiCreditsClient client, Duration total) throws Exception {
        List<Future<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "run-" + i;
            calls.add(callers.submit(() -> {
                long start = System.nanoTime();
                assertThatThrownBy(() -> client.record("ws-1", id, "task.execution")).isInstanceOf(AiCreditsException.Unavailable.class);
                return System.nanoTime() - start;
            }));
        }
        for (Future<Long> call : calls) {
            // An upper bound with room for a loaded machine: the point is that a batch's retries stop at its earliest
            // caller's deadline, not at the last one's nor after a full total timeout of their own.
            assertThat(Duration.ofNanos(call.get(60, TimeUnit.SECONDS))).isLessThan(total.plusMillis(2_500));
        }
    }

    @Test
    void anApiWithoutTheBatchRouteGetsEachRunOnItsOwnCall() throws Exception {
        stub().workspace("ws-1", 500, 1000, 0, true, true).withoutBatchRoute();
        AiCreditsClient client = client().batchWindow(NEVER).build();
        Future<Call> first = aCallInFlight(client, "ws-1");
        List<Future<Call>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(call(client, "ws-1", "run-" + i, "task.execution"));
        }
        await(() -> client.waiting("ws-1") == 5, "five callers wait");
        stub.release();
        done(first);
        for (int i = 0; i < 5; i++) {
            assertThat(done(calls.get(i)).recorded().created()).isTrue();
        }
        List<CompletableFuture<Recorded>> more = IntStream.range(0, 10)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.record("ws-1", "more-" + i, "task.execution"), callers)).toList();
        for (CompletableFuture<Recorded> call : more) {
            assertThat(call.get(60, TimeUnit.SECONDS).created()).isTrue();
        }
        assertThat(stub.batches()).as("one try, then single calls only").hasSize(1).first()
                .extracting(LedgerStub.Request::status).isEqualTo(404);
        assertThat(stub.requests()).hasSize(1 + 1 + 5 + 10);
    }

    private Future<Call> call(java.util.function.Supplier<Recorded> run) {
        return callers.submit(() -> {
            try {
                return new Call(run.get(), null);
            } catch (RuntimeException e) {
                return new Call(null, e);
            }
        });
    }

    /**
     * Issue 33: a run's llmModel travels in the batch item, each caller's record carries its own, the shipped prices by
     * LLM model add up exactly (four gemini-1-pro runs: 1 credit), and a reused executionId with another llmModel (or
     * none) is refused for that run alone, as its single call would have been.
     */
    @Test
    void llmModelTravelsInBatchesAndIsPartOfTheRunsIdentity() throws Exception {
        stub().workspace("ws-1", 100, 200, 0, false, false);
        AiCreditsClient client = client().batchWindow(NEVER).build();
        client.record("ws-1", "again", "task.execution", null, Model.PLATFORM, "gpt-4o"); // 1
        client.record("ws-1", "other-llm", "task.execution", null, Model.PLATFORM, "gpt-4o"); // 2
        client.record("ws-1", "no-llm", "task.execution"); // 3
        Future<Call> first = aCallInFlight(client, "ws-1"); // 4
        Map<String, Future<Call>> calls = new LinkedHashMap<>();
        for (int i = 1; i <= 4; i++) {
            Execution run = new Execution("gemini-" + i, "task.execution").withLlmModel("gemini-1-pro");
            calls.put(run.executionId(), call(() -> client.record("ws-1", run))); // 0.25 each
        }
        calls.put("turbo", call(() -> client.record("ws-1", "turbo", "task.execution", null, Model.PLATFORM, "gpt-4-turbo"))); // 2
        calls.put("unlisted", call(() -> client.record("ws-1", "unlisted", "task.execution", null, Model.PLATFORM, "my-own-llm"))); // 1
        calls.put("again", call(() -> client.record("ws-1", "again", "task.execution", null, Model.PLATFORM, "gpt-4o")));
        calls.put("other-llm", call(() -> client.record("ws-1", "other-llm", "task.execution", null, Model.PLATFORM, "gemini-1.5-pro")));
        calls.put("no-llm", call(() -> client.record("ws-1", "no-llm", "task.execution", null, Model.PLATFORM, "gpt-4o")));
        await(() -> client.waiting("ws-1") == calls.size(), "every caller waits for the batch");
        stub.release();
        assertThat(done(first).recorded().created()).isTrue();

        for (int i = 1; i <= 4; i++) {
            UsageRecord record = done(calls.get("gemini-" + i)).recorded().record();
            assertThat(record.llmModel()).isEqualTo("gemini-1-pro");
            assertThat(record.creditsConsumed()).isEqualByComparingTo("0.25");
            assertThat(record.renewsAt()).isEqualTo("2027-01-01T00:00:00Z");
        }
        assertThat(done(calls.get("turbo")).recorded().record().creditsConsumed()).isEqualByComparingTo("2");
        assertThat(done(calls.get("unlisted")).recorded().record().creditsConsumed()).as("a model the catalog does not list")
                .isEqualByComparingTo("1");
        Call again = done(calls.get("again"));
        assertThat(again.recorded().replay()).isTrue();
        assertThat(again.recorded().record().llmModel()).isEqualTo("gpt-4o");
        assertThat(done(calls.get("other-llm")).thrown()).isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        assertThat(done(calls.get("no-llm")).thrown()).isInstanceOf(AiCreditsException.ExecutionIdReused.class);

        List<LedgerStub.Request> batches = stub.batches();
        assertThat(batches).hasSize(1);
        Map<String, String> sent = new LinkedHashMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(batches.get(0).body()).get("executions")
                .forEach(item -> sent.put(item.get("executionId").asText(), item.path("llmModel").asText(null)));
        assertThat(sent).containsOnlyKeys(calls.keySet()).containsEntry("gemini-1", "gemini-1-pro")
                .containsEntry("turbo", "gpt-4-turbo").containsEntry("other-llm", "gemini-1.5-pro").containsEntry("no-llm", "gpt-4o");
        assertThat(stub.used("ws-1")).as("3 alone + 1 held + 4 x 0.25 + 2 + 1, exactly").isEqualByComparingTo("8");

        List<Outcome> outcomes = client.recordBatch("ws-1", List.of(
                new Execution("batch-gemini", "task.execution").withLlmModel("gemini-1-pro"),
                new Execution("gemini-1", "task.execution").withLlmModel("gpt-4o"),
                new Execution("gemini-2", "task.execution", null, Model.PLATFORM, "gemini-1-pro")));
        assertThat(outcomes.get(0).get().record().creditsUsed()).isEqualByComparingTo("8.25");
        assertThat(outcomes.get(0).get().record().creditsUsed().toPlainString()).isEqualTo("8.25");
        assertThat(outcomes.get(1).refusal()).isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        assertThat(outcomes.get(2).get().replay()).isTrue();
        assertThat(outcomes.get(2).execution().llmModel()).isEqualTo("gemini-1-pro");
    }

    @Test
    void recordBatchAnswersEachRunInOrder() throws Exception {
        stub().workspace("ws-1", 100, 100, 80, false, false);
        AiCreditsClient client = client().build();
        client.record("ws-1", "done-1", "task.execution");
        List<Outcome> outcomes = client.recordBatch("ws-1", List.of(new Execution("new-1", "task.execution"),
                new Execution("big", "batch.import"), new Execution("done-1", "task.execution"),
                new Execution("done-1x", "task.execution", null, Model.BYOS), new Execution("new-2", "agent.execution")));
        assertThat(outcomes).extracting(Outcome::isRecorded).containsExactly(true, false, true, false, true);
        assertThat(outcomes.get(0).get().created()).isTrue();
        assertThat(outcomes.get(0).execution().executionId()).isEqualTo("new-1");
        assertThat(outcomes.get(1).refusal()).isInstanceOf(AiCreditsException.HardLimitExceeded.class);
        assertThatThrownBy(outcomes.get(1)::get).isSameAs(outcomes.get(1).refusal());
        assertThat(outcomes.get(2).get().replay()).isTrue();
        assertThat(outcomes.get(3).refusal()).isInstanceOf(AiCreditsException.ByosNotEnabled.class);
        assertThat(outcomes.get(4).get().record().creditsUsed()).isEqualByComparingTo("87");
        assertThat(stub.batches()).hasSize(1);

        assertThatThrownBy(() -> client.recordBatch("ws-1", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.recordBatch("ws-1", List.of(new Execution("x", "task.execution"), new Execution("x", "task.execution"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.recordBatch("ws-1", IntStream.range(0, 101).mapToObj(i -> new Execution("x" + i, "task.execution"))
                .collect(Collectors.toList()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.recordBatch("ws-gone", List.of(new Execution("x", "task.execution"))))
                .isInstanceOf(AiCreditsException.WorkspaceNotFound.class);
        assertThat(stub.batches()).hasSize(2);
    }

    @Test
    void theBuilderChecksItsBatchSettings() {
        AiCreditsClient.Builder builder = AiCreditsClient.builder(java.net.URI.create("http://127.0.0.1:1"), () -> "token");
        assertThatThrownBy(() -> builder.maxBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxBatchSize(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxCallsInFlight(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.batchWindow(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.batchWindow(Duration.ZERO).maxBatchSize(1).build()).isNotNull();
    }
}
