package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.functions.record.DebitFixture.Response;
import com.aicredits.testkit.ApiEvents;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many writers on one workspace: nothing lost, nothing doubled, the ledger stays a strict sequence. */
class ConcurrentDebitsIntegrationTest {
    private static final int THREADS = 16;
    private static final int REQUESTS_PER_THREAD = 100;
    private static final String[] ACTIVITIES = {"task.execution", "agent.execution", "case.investigation", "case.conversation", "builder.assist"};
    private static final Map<String, Long> PRICES = Map.of("task.execution", 1L, "agent.execution", 6L,
            "case.investigation", 12L, "case.conversation", 8L, "builder.assist", 0L);

    private final DebitFixture api = new DebitFixture("concurrent", Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void sixteenThreadsOfAHundredDebitsWithTenPercentReplaysLoseAndDoubleNothing() throws Exception {
        api.workspace("ws-busy", "ELITE_PLUS", Map.of());
        // Four "containers", each with its own balance cache, as Lambda would scale out.
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer(), api.newContainer(), api.newContainer());
        Map<String, String> firstBodies = new ConcurrentHashMap<>();
        Map<String, String> activityOf = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger busyRetries = new AtomicInteger();
        List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                RecordExecutionHandler handler = containers.get(thread % containers.size());
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    boolean replay = i % 10 == 9;
                    String executionId = replay ? mine.get((i * 7) % mine.size()) : "t" + thread + "-r" + i;
                    String activity = replay ? activityOf.get(executionId) : ACTIVITIES[(thread + i) % ACTIVITIES.length];
                    Response response = sendRetryingWhileBusy(handler, executionId, activity, busyRetries);
                    if (replay) {
                        replayed.incrementAndGet();
                        if (response.status() != 200 || !response.body().equals(firstBodies.get(executionId))) {
                            mismatches.add(executionId + " replay " + response.status());
                        }
                    } else {
                        if (response.status() != 201) {
                            mismatches.add(executionId + " new " + response.status() + " " + response.body());
                        }
                        created.incrementAndGet();
                        mine.add(executionId);
                        activityOf.put(executionId, activity);
                        firstBodies.put(executionId, response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(mismatches).isEmpty();
        assertThat(created.get()).isEqualTo(THREADS * 90);
        assertThat(replayed.get()).isEqualTo(THREADS * 10);
        long expected = activityOf.values().stream().mapToLong(PRICES::get).sum();
        List<JsonNode> ledger = api.ledger("ws-busy", "2026-11");
        assertThat(ledger).hasSize(THREADS * 90);
        long used = 0;
        for (int i = 0; i < ledger.size(); i++) {
            used += ledger.get(i).get("creditsConsumed").asLong();
            assertThat(ledger.get(i).get("sequence").asLong()).isEqualTo(i + 1);
            assertThat(ledger.get(i).get("creditsUsed").asLong()).isEqualTo(used);
        }
        assertThat(used).isEqualTo(expected);
        assertThat(api.balance("ws-busy", "2026-11").get("used").asLong()).isEqualTo(expected);
        assertThat(api.balance("ws-busy", "2026-11").get("sequence").asLong()).isEqualTo(THREADS * 90);
        System.out.printf("bench: 16x100 on one workspace: %d created, %d replays, %d client retries on 503, calls %s%n",
                created.get(), replayed.get(), busyRetries.get(), api.table.calls.snapshot());
    }

    /** What a well-behaved client does with a 503: send the same request again. */
    private static Response sendRetryingWhileBusy(RecordExecutionHandler handler, String executionId, String activity,
                                                  AtomicInteger busyRetries) {
        String body = "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"}";
        for (int attempt = 0; ; attempt++) {
            Response response = DebitFixture.send(handler, ApiEvents.load("record-execution.json", "ws-busy", body));
            if (response.status() != 503 || attempt == 20) {
                return response;
            }
            busyRetries.incrementAndGet();
        }
    }
}
