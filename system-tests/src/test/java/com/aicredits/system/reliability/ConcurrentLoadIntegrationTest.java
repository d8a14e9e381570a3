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
import java.util.Comparator;
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
 * 1,000 debits on one workspace from 32 threads, over HTTP through the local stack (authorizer, four containers of
 * the real handler, the DynamoDB engine): 85% new, 10% replays of debits already answered, 5% that would cross the hard
 * limit. Nothing is lost, nothing doubled, no 5xx; the balance equals the sum of its records and the ledger's
 * sequence runs 1..n with no gap or repeat.
 *
 * <p>Which debits a hard limit refuses depends on their order, unless every one of them is refused whatever the
 * order: prices are fixed per activity, so the refused ones go to a balance whose headroom is below their price
 * before and after the run. They are late debits (occurredAt last month) into last month's balance, filled to 5
 * credits below its hard limit, each a case investigation (12 credits), sent among the others on the same
 * workspace by the same threads.
 */
@Tag("reliability")
class ConcurrentLoadIntegrationTest {
    private static final int THREADS = 32;
    private static final int REQUESTS = 1_000;
    private static final String WS = "ws-load";
    private static final String[] ACTIVITIES = {"task.execution", "agent.execution", "case.investigation", "case.conversation", "builder.assist"};
    private static final Map<String, Long> PRICES = Map.of("task.execution", 1L, "agent.execution", 6L,
            "case.investigation", 12L, "case.conversation", 8L, "builder.assist", 0L);
    private static final ReliabilityStack api = ReliabilityStack.shared();

    private enum Kind { NEW, REPLAY, OVER_LIMIT }

    @Test
    void aThousandDebitsFromThirtyTwoThreadsWithReplaysAndRefusalsLoseAndDoubleNothing() throws Exception {
        Instant now = Instant.now();
        Period current = Period.of(now);
        Period previous = current.previous();
        String admin = api.token("admin", null);
        String service = api.token("service", null);
        // Last month at DEV with a hard limit of 100%: 500 credits, filled to 495.
        assertThat(api.send("PUT", "/v1/workspaces/" + WS, admin,
                "{\"organizationId\":\"org-load\",\"name\":\"Load\",\"tier\":\"DEV\",\"hardLimitPercent\":100}").status()).isIn(200, 201);
        String lastMonth = Timestamps.format(previous.start().plus(Duration.ofDays(1)));
        for (int i = 0; i < 44; i++) {
            String activity = i < 41 ? "case.investigation" : "task.execution";
            assertThat(api.send("POST", "/v1/workspaces/" + WS + "/executions", service, "{\"executionId\":\"fill-" + i
                    + "\",\"activity\":\"" + activity + "\",\"occurredAt\":\"" + lastMonth + "\"}").status()).isEqualTo(201);
        }
        // This month: ELITE_PLUS, 20,000 credits, far above what the run uses. Last month keeps its settings.
        assertThat(api.send("PUT", "/v1/workspaces/" + WS, admin,
                "{\"organizationId\":\"org-load\",\"name\":\"Load\",\"tier\":\"ELITE_PLUS\"}").status()).isEqualTo(200);

        List<List<Kind>> plans = plans(new Random(11));
        Map<String, String> firstBodies = new ConcurrentHashMap<>();
        Map<String, String> activityOf = new ConcurrentHashMap<>();
        List<String> refusedIds = Collections.synchronizedList(new ArrayList<>());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Random random = new Random(thread);
                List<String> mine = new ArrayList<>();
                List<Kind> plan = plans.get(thread);
                for (int i = 0; i < plan.size(); i++) {
                    Kind kind = plan.get(i);
                    String executionId = switch (kind) {
                        case NEW -> "load-t" + thread + "-" + i;
                        case REPLAY -> mine.get(random.nextInt(mine.size()));
                        case OVER_LIMIT -> "late-t" + thread + "-" + i;
                    };
                    String activity = switch (kind) {
                        case NEW -> ACTIVITIES[random.nextInt(ACTIVITIES.length)];
                        case REPLAY -> activityOf.get(executionId);
                        case OVER_LIMIT -> "case.investigation";
                    };
                    String body = "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\""
                            + (kind == Kind.OVER_LIMIT ? ",\"occurredAt\":\"" + lastMonth + "\"" : "") + "}";
                    ReliabilityStack.Reply reply = api.send("POST", "/v1/workspaces/" + WS + "/executions", service, body);
                    statuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
                    switch (kind) {
                        case NEW -> {
                            if (reply.status() != 201) {
                                wrong.add(executionId + " new: " + reply.status() + " " + reply.body());
                            }
                            mine.add(executionId);
                            activityOf.put(executionId, activity);
                            firstBodies.put(executionId, reply.body());
                        }
                        case REPLAY -> {
                            if (reply.status() != 200 || !reply.body().equals(firstBodies.get(executionId))) {
                                wrong.add(executionId + " replay: " + reply.status() + " " + reply.body());
                            }
                        }
                        case OVER_LIMIT -> {
                            if (reply.status() != 402 || !reply.errorCode().equals("hard_limit_exceeded")) {
                                wrong.add(executionId + " over the limit: " + reply.status() + " " + reply.body());
                            }
                            refusedIds.add(executionId);
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
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(wrong).isEmpty();
        assertThat(statuses.keySet()).allSatisfy(status -> assertThat(status).isLessThan(500));
        assertThat(statuses.get(201).get()).isEqualTo(850);
        assertThat(statuses.get(200).get()).isEqualTo(100);
        assertThat(statuses.get(402).get()).isEqualTo(50);

        long expected = activityOf.values().stream().mapToLong(PRICES::get).sum();
        List<JsonNode> ledger = ledger(current);
        assertThat(ledger).hasSize(850);
        long used = 0;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode record = ledger.get(i);
            used += record.get("creditsConsumed").asLong();
            assertThat(record.get("sequence").asLong()).as("sequence %d", i + 1).isEqualTo(i + 1);
            assertThat(record.get("creditsUsed").asLong()).isEqualTo(used);
            assertThat(record.get("creditsRemaining").asLong()).isEqualTo(20_000 - used);
        }
        assertThat(ledger).extracting(r -> r.get("executionId").asText()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(activityOf.keySet());
        assertThat(used).isEqualTo(expected);
        assertThat(api.item("WS#" + WS, "BALANCE#" + current).get("used").n()).as("in hundredths").isEqualTo(Long.toString(expected * 100));
        assertThat(api.item("WS#" + WS, "BALANCE#" + current).get("sequence").n()).isEqualTo("850");

        // Last month: exactly as filled; the refused debits left no record (their ids stay free).
        assertThat(ledger(previous)).hasSize(44);
        assertThat(api.item("WS#" + WS, "BALANCE#" + previous).get("used").n()).as("in hundredths").isEqualTo("49500");
        assertThat(refusedIds).hasSize(50).allSatisfy(id -> assertThat(api.record(WS, id)).isEmpty());

        // The API's own view agrees: the ledger listed newest first, and the usage (eventually consistent reads, on
        // DynamoDB up to about a second behind the last debit: README).
        ProductionSemantics.waitOutLag();
        String manager = api.token("manager", "org-load");
        JsonNode listed = api.send("GET", "/v1/workspaces/" + WS + "/executions?limit=500&period=" + current, manager, null).json();
        String cursor = listed.path("nextCursor").asText();
        JsonNode rest = api.send("GET", "/v1/workspaces/" + WS + "/executions?limit=500&period=" + current + "&cursor=" + cursor,
                manager, null).json();
        List<Long> sequences = new ArrayList<>();
        listed.get("items").forEach(r -> sequences.add(r.get("sequence").asLong()));
        rest.get("items").forEach(r -> sequences.add(r.get("sequence").asLong()));
        assertThat(sequences).hasSize(850).isSortedAccordingTo(Comparator.reverseOrder()).doesNotHaveDuplicates();
        assertThat(api.send("GET", "/v1/workspaces/" + WS + "/usage", manager, null).json().get("creditsUsed").asLong()).isEqualTo(expected);
        System.out.printf("load: %d requests from %d threads over HTTP in %d ms: %s%n", REQUESTS, THREADS, took.toMillis(), statuses);
    }

    /**
     * Each thread's requests: 850 new, 100 replays and 50 over the limit, dealt out in a shuffled order; a thread's
     * first request is a new one, so that its replays always have something of its own to replay.
     */
    private static List<List<Kind>> plans(Random random) {
        List<Kind> all = new ArrayList<>();
        all.addAll(Collections.nCopies(850, Kind.NEW));
        all.addAll(Collections.nCopies(100, Kind.REPLAY));
        all.addAll(Collections.nCopies(50, Kind.OVER_LIMIT));
        Collections.shuffle(all, random);
        List<List<Kind>> plans = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            plans.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            plans.get(i % THREADS).add(all.get(i));
        }
        for (List<Kind> plan : plans) {
            int firstNew = plan.indexOf(Kind.NEW);
            Collections.swap(plan, 0, firstNew);
        }
        return plans;
    }

    private static List<JsonNode> ledger(Period period) {
        return api.ledger(WS, period);
    }
}
