package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.testkit.ProductionSemantics;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code POST .../executions:batch} through the real handler on our DynamoDB engine: each run answered as if sent alone,
 * the transactions it takes, replays of a batch, and exactly-once under batches and single calls racing on the same
 * ids, plain and under production's least kind semantics (conflicts, stale reads, partition limits).
 */
class BatchDebitsIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String[] ACTIVITIES = {"task.execution", "agent.execution", "case.investigation", "builder.assist"};
    private static final Map<String, Long> PRICES = Map.of("task.execution", 1L, "agent.execution", 6L,
            "case.investigation", 12L, "builder.assist", 0L);

    private static String run(String executionId, String activity) {
        return "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"}";
    }

    @Test
    void eachRunIsAnsweredAsASingleCallAndItsRecordReplaysByteForByte() {
        DebitFixture api = new DebitFixture("batch", NOW);
        api.workspace("ws-batch", "DEV", Map.of("hardLimitPercent", 100));
        for (int i = 0; i < 40; i++) {
            api.debit("ws-batch", "fill-" + i, "case.investigation"); // 480 of 500
        }
        DebitFixture.Response answer = DebitFixture.batch(api.handler, "ws-batch", List.of(run("a", "case.investigation"),
                run("fill-3", "case.investigation"), run("b", "case.investigation"), run("c", "agent.execution"),
                "{\"executionId\":\"d\",\"activity\":\"task.execution\",\"credits\":5}", run("fill-4", "task.execution"),
                run("e", "builder.assist")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results).extracting(result -> result.get("status").asInt()).containsExactly(201, 200, 402, 201, 400, 409, 201);
        assertThat(results.get(0).get("record").get("sequence").asLong()).isEqualTo(41);
        assertThat(results.get(3).get("record").get("sequence").asLong()).isEqualTo(42);
        assertThat(results.get(3).get("record").get("creditsUsed").asLong()).isEqualTo(498);
        assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("hard_limit_exceeded");
        assertThat(results.get(4).get("error").get("code").asText()).isEqualTo("unknown_field");
        assertThat(results.get(5).get("error").get("code").asText()).isEqualTo("execution_id_reused");
        // The records as the batch answered them are what a single replay answers, byte for byte.
        assertThat(answer.body()).contains(api.debit("ws-batch", "a", "case.investigation").body())
                .contains(api.debit("ws-batch", "fill-3", "case.investigation").body())
                .contains(api.debit("ws-batch", "c", "agent.execution").body());
        assertThat(api.table.record("ws-batch", "b")).isEmpty();
        assertThat(api.table.record("ws-batch", "d")).isEmpty();
        api.assertLedgerIsExact("ws-batch", "2026-11", 43);
        assertThat(api.balance("ws-batch", "2026-11").get("blockedAt").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void ninetyEightNewRunsAreOneTransactionOfAtMostTwoAndAHalfWriteUnitsARunAHundredTwoAndSentAgainAllAnswer200() {
        DebitFixture api = new DebitFixture("batch-size", NOW);
        api.workspace("ws-size", "ELITE_PLUS", Map.of());
        api.debit("ws-size", "first", "task.execution");
        List<String> ninetyEight = new ArrayList<>();
        for (int i = 0; i < 98; i++) {
            ninetyEight.add(run("n-" + i, ACTIVITIES[i % ACTIVITIES.length]));
        }
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add(run("h-" + i, ACTIVITIES[i % ACTIVITIES.length]));
        }

        api.table.calls.reset();
        DebitFixture.Response first = DebitFixture.batch(api.handler, "ws-size", ninetyEight);
        // The records (2 units each), their ledger page (listing them: no index entry a record) and the balance.
        assertThat(api.table.calls.count("TransactWriteItems")).isEqualTo(1);
        assertThat(api.table.calls.reportedTransactionCapacity()).singleElement()
                .satisfies(units -> assertThat(units / 98).isLessThanOrEqualTo(2.5))
                .satisfies(units -> System.out.printf("98 new runs in one transaction: %.0f write units, %.2f a run%n", units, units / 98));
        api.table.calls.reset();
        DebitFixture.Response second = DebitFixture.batch(api.handler, "ws-size", hundred);
        assertThat(api.table.calls.count("TransactWriteItems")).isEqualTo(2);
        api.table.calls.reset();
        DebitFixture.Response again = DebitFixture.batch(api.newContainer(), "ws-size", hundred);
        // One attempt, whose conditions find the records (as a single replay's does), then one read of them all; none
        // under production semantics when the cold read, served stale, missed the workspace created within the lag
        // and the consistent read after it found the records.
        assertThat(api.table.calls.count("TransactWriteItems")).isLessThanOrEqualTo(1);
        assertThat(api.table.calls.count("BatchGetItem")).isEqualTo(3);

        assertThat(first.json().get("results")).allSatisfy(result -> assertThat(result.get("status").asInt()).isEqualTo(201));
        assertThat(again.body()).isEqualTo(second.body().replace("\"status\":201", "\"status\":200"));
        api.assertLedgerIsExact("ws-size", "2026-11", 199);
    }

    @Test
    void batchesAndSingleCallsRacingOnTheSameIdsRecordEachOnceAndTheLedgerStaysExact() throws Exception {
        DebitFixture api = new DebitFixture("batch-race", NOW);
        raceOnTheSameIds(api, "ws-race", 1);
    }

    @Test
    void underProductionSemanticsBatchesAndSingleCallsRacingStayExactToTheHardLimit() throws Exception {
        ProductionSemantics semantics = new ProductionSemantics(ProductionSemantics.Settings.forTests());
        DebitFixture api = new DebitFixture("batch-race-prod", NOW, semantics);
        Map<String, Long> recorded = raceOnTheSameIds(api, "ws-race-prod", 2);
        System.out.printf("batch race under production semantics: %d recorded, engine %s%n", recorded.size(), semantics.stats());
    }

    /**
     * Eight threads over four containers send the same 600 ids, shuffled, each either in batches of 1-40 or one by
     * one, into a DEV workspace whose hard limit (100%: 500 credits) refuses part of them. Every id ends recorded at
     * most once, every answer for it is its one record (or a refusal while it was not recorded), the ledger is exact
     * and never passes the hard limit.
     */
    private static Map<String, Long> raceOnTheSameIds(DebitFixture api, String workspaceId, long seed) throws Exception {
        api.workspace(workspaceId, "DEV", Map.of("hardLimitPercent", 100));
        List<String> ids = new ArrayList<>();
        Map<String, String> activityOf = new HashMap<>();
        Random random = new Random(seed);
        for (int i = 0; i < 600; i++) {
            ids.add("race-" + i);
            activityOf.put("race-" + i, ACTIVITIES[random.nextInt(ACTIVITIES.length)]);
        }
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer(), api.newContainer(), api.newContainer());
        Map<String, List<String>> bodiesById = new ConcurrentHashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                Random mine = new Random(seed * 100 + thread);
                List<String> order = new ArrayList<>(ids);
                Collections.shuffle(order, mine);
                RecordExecutionHandler container = containers.get(thread % containers.size());
                int next = 0;
                while (next < order.size()) {
                    int size = thread % 2 == 0 ? 1 + mine.nextInt(40) : 1;
                    List<String> part = order.subList(next, Math.min(order.size(), next + size));
                    next += part.size();
                    List<JsonNode> answers = new ArrayList<>();
                    if (size == 1) {
                        DebitFixture.Response single = api.debit(container, workspaceId, part.getFirst(), activityOf.get(part.getFirst()));
                        answers.add(single.status() < 300
                                ? DebitFixture.Response.parse("{\"status\":" + single.status() + ",\"record\":" + single.body() + "}")
                                : DebitFixture.Response.parse("{\"status\":" + single.status() + ",\"error\":" + single.json().get("error") + "}"));
                    } else {
                        DebitFixture.Response response = DebitFixture.batch(container, workspaceId,
                                part.stream().map(id -> run(id, activityOf.get(id))).toList());
                        if (response.status() != 200) {
                            wrong.add("batch answered " + response.status() + " " + response.body());
                            continue;
                        }
                        response.json().get("results").forEach(answers::add);
                    }
                    for (int i = 0; i < part.size(); i++) {
                        JsonNode answer = answers.get(i);
                        int status = answer.get("status").asInt();
                        if (status == 201 || status == 200) {
                            bodiesById.computeIfAbsent(part.get(i), k -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(answer.get("record").toString());
                        } else if (status != 402) {
                            wrong.add(part.get(i) + " answered " + answer);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> thread : done) {
            thread.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();

        assertThat(wrong).isEmpty();
        List<JsonNode> ledger = api.ledger(workspaceId, "2026-11");
        api.assertLedgerIsExact(workspaceId, "2026-11", ledger.size());
        Map<String, Long> recorded = new HashMap<>();
        for (JsonNode line : ledger) {
            String id = line.get("executionId").asText();
            assertThat(recorded.put(id, line.get("sequence").asLong())).as("recorded twice: " + id).isNull();
            assertThat(line.get("creditsConsumed").asLong()).isEqualTo(PRICES.get(activityOf.get(id)));
            // Every answer that gave this id a record gave this one.
            assertThat(bodiesById.get(id)).as(id).allSatisfy(body -> assertThat(body).isEqualTo(line.toString()));
        }
        assertThat(bodiesById.keySet()).isEqualTo(recorded.keySet());
        assertThat(ledger.getLast().get("creditsUsed").asLong()).isLessThanOrEqualTo(500);
        // The limit refused the rest of the paid runs, not some of them early: what is left is less than a paid run.
        long used = ledger.getLast().get("creditsUsed").asLong();
        long cheapestRefused = ids.stream().filter(id -> !recorded.containsKey(id)).mapToLong(id -> PRICES.get(activityOf.get(id)))
                .min().orElse(Long.MAX_VALUE);
        assertThat(used + cheapestRefused).as("a refused run that would have fit").isGreaterThan(500);
        return recorded;
    }
}
