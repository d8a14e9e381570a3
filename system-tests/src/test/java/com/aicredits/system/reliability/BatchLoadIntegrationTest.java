package com.aicredits.system.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Period;
import com.aicredits.domain.Timestamps;
import com.aicredits.json.Json;
import com.aicredits.system.stack.ReliabilityStack;
import com.aicredits.testkit.ProductionSemantics;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batches on one workspace from 32 threads over HTTP through the local stack (authorizer, four containers of the real
 * handler, the DynamoDB engine): each thread sends five batches of 20 runs, 85% new, 10% replays of its own earlier
 * runs, 5% late runs into last month's balance that its hard limit refuses whatever the order (as in
 * {@link ConcurrentLoadIntegrationTest}), and sends a third of its batches a second time, as a client whose answer was
 * lost would. Every run is answered as a single call would be; no 5xx; nothing lost or doubled; the ledger exact, and
 * listed page by page as it stands (the batches' lines on their ledger pages).
 */
@Tag("reliability")
class BatchLoadIntegrationTest {
    private static final int THREADS = 32;
    private static final int BATCHES_PER_THREAD = 5;
    private static final int RUNS_PER_BATCH = 20;
    private static final String WS = "ws-batch-load";
    private static final String[] ACTIVITIES = {"task.execution", "agent.execution", "case.investigation", "case.conversation", "builder.assist"};
    private static final Map<String, Long> PRICES = Map.of("task.execution", 1L, "agent.execution", 6L,
            "case.investigation", 12L, "case.conversation", 8L, "builder.assist", 0L);
    private static final ReliabilityStack api = ReliabilityStack.shared();

    @Test
    void batchesFromThirtyTwoThreadsWithReplaysRefusalsAndResentBatchesLoseAndDoubleNothing() throws Exception {
        Period current = Period.of(Instant.now());
        Period previous = current.previous();
        String admin = api.token("admin", null);
        String service = api.token("service", null);
        assertThat(api.send("PUT", "/v1/workspaces/" + WS, admin,
                "{\"organizationId\":\"org-batch-load\",\"name\":\"Batch load\",\"tier\":\"DEV\",\"hardLimitPercent\":100}").status()).isIn(200, 201);
        String lastMonth = Timestamps.format(previous.start().plus(Duration.ofDays(1)));
        List<String> fill = new ArrayList<>();
        for (int i = 0; i < 44; i++) {
            fill.add(run("fill-" + i, i < 41 ? "case.investigation" : "task.execution", lastMonth));
        }
        assertThat(api.send("POST", "/v1/workspaces/" + WS + "/executions:batch", service, batch(fill)).json().get("results"))
                .allSatisfy(result -> assertThat(result.get("status").asInt()).isEqualTo(201));
        assertThat(api.send("PUT", "/v1/workspaces/" + WS, admin,
                "{\"organizationId\":\"org-batch-load\",\"name\":\"Batch load\",\"tier\":\"ELITE_PLUS\"}").status()).isEqualTo(200);

        Map<String, String> firstBodies = new ConcurrentHashMap<>();
        Map<String, String> activityOf = new ConcurrentHashMap<>();
        List<String> refusedIds = Collections.synchronizedList(new ArrayList<>());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> callStatuses = new ConcurrentHashMap<>();
        AtomicInteger resent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(thread);
                List<String> mine = new ArrayList<>();
                for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                    List<String> ids = new ArrayList<>();
                    List<String> runs = new ArrayList<>();
                    List<Integer> expected = new ArrayList<>();
                    for (int i = 0; i < RUNS_PER_BATCH; i++) {
                        int roll = random.nextInt(20);
                        String id;
                        if (roll == 0) {
                            id = "late-t" + thread + "-" + b + "-" + i;
                            runs.add(run(id, "case.investigation", lastMonth));
                            expected.add(402);
                        } else if (roll <= 2 && !mine.isEmpty()) {
                            id = mine.get(random.nextInt(mine.size()));
                            if (ids.contains(id)) {
                                continue;
                            }
                            runs.add(run(id, activityOf.get(id), null));
                            expected.add(200);
                        } else {
                            id = "new-t" + thread + "-" + b + "-" + i;
                            activityOf.put(id, ACTIVITIES[random.nextInt(ACTIVITIES.length)]);
                            runs.add(run(id, activityOf.get(id), null));
                            expected.add(201);
                        }
                        ids.add(id);
                    }
                    int sends = random.nextInt(3) == 0 ? 2 : 1;
                    for (int send = 0; send < sends; send++) {
                        ReliabilityStack.Reply reply = api.send("POST", "/v1/workspaces/" + WS + "/executions:batch", service, batch(runs));
                        callStatuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (reply.status() != 200) {
                            wrong.add("batch answered " + reply.status() + " " + reply.body());
                            continue;
                        }
                        resent.addAndGet(send);
                        JsonNode results = reply.json().get("results");
                        for (int i = 0; i < ids.size(); i++) {
                            String id = ids.get(i);
                            int status = results.get(i).get("status").asInt();
                            int want = send == 1 && expected.get(i) == 201 ? 200 : expected.get(i);
                            if (status != want) {
                                wrong.add(id + ": " + status + " where " + want + " was due: " + results.get(i));
                            } else if (status == 201) {
                                firstBodies.put(id, results.get(i).get("record").toString());
                                mine.add(id);
                            } else if (status == 200 && !results.get(i).get("record").toString().equals(firstBodies.get(id))) {
                                wrong.add(id + ": its replay differs from its record: " + results.get(i));
                            } else if (status == 402) {
                                refusedIds.add(id);
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(wrong).isEmpty();
        assertThat(callStatuses.keySet()).containsOnly(200);
        assertThat(resent.get()).isPositive();
        List<JsonNode> ledger = ledger(current);
        long used = 0;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode record = ledger.get(i);
            used += record.get("creditsConsumed").asLong();
            assertThat(record.get("sequence").asLong()).as("sequence %d", i + 1).isEqualTo(i + 1);
            assertThat(record.get("creditsUsed").asLong()).isEqualTo(used);
            assertThat(record.toString()).isEqualTo(Json.MAPPER.readTree(firstBodies.get(record.get("executionId").asText())).toString());
        }
        assertThat(ledger).extracting(r -> r.get("executionId").asText()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(firstBodies.keySet());
        assertThat(used).isEqualTo(firstBodies.keySet().stream().mapToLong(id -> PRICES.get(activityOf.get(id))).sum());
        assertThat(api.item("WS#" + WS, "BALANCE#" + current).get("used").n()).as("in hundredths").isEqualTo(Long.toString(used * 100));
        assertThat(ledger(previous)).hasSize(44);
        assertThat(api.item("WS#" + WS, "BALANCE#" + previous).get("used").n()).as("in hundredths").isEqualTo("49500");
        assertThat(refusedIds).isNotEmpty().allSatisfy(id -> assertThat(api.record(WS, id)).isEmpty());

        // The executions listing (batches listed on ledger pages, cursors falling inside them) shows the same ledger,
        // newest first, once its index has caught up.
        ProductionSemantics.waitOutLag();
        String manager = api.token("manager", "org-batch-load");
        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            ReliabilityStack.Reply reply = api.send("GET", "/v1/workspaces/" + WS + "/executions?limit=37&period=" + current
                    + (cursor == null ? "" : "&cursor=" + cursor), manager, null);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode page = reply.json();
            page.get("items").forEach(line -> listed.add(line.toString()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(listed).containsExactlyElementsOf(ledger.reversed().stream().map(JsonNode::toString).toList());
        System.out.printf("batch load: %d runs recorded in batches of %d from %d threads, %d batches sent twice; calls %s%n",
                ledger.size(), RUNS_PER_BATCH, THREADS, resent.get(), callStatuses);
    }

    private static String run(String executionId, String activity, String occurredAt) {
        return "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\""
                + (occurredAt == null ? "" : ",\"occurredAt\":\"" + occurredAt + "\"") + "}";
    }

    private static String batch(List<String> runs) {
        return "{\"executions\":[" + String.join(",", runs) + "]}";
    }

    private static List<JsonNode> ledger(Period period) {
        return api.ledger(WS, period);
    }
}
