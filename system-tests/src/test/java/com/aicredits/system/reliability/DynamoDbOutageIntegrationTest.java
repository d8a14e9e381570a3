package com.aicredits.system.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Period;
import com.aicredits.json.Json;
import com.aicredits.system.stack.ReliabilityStack;
import com.aicredits.testkit.ProductionSemantics;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * the DynamoDB engine stopped in the middle of a run of debits (its port refuses connections, its database is closed),
 * then started again on the same port and data: while it is down every request is a clear 503 (JSON, "retry the
 * same request"), never another 5xx; afterwards, retrying each unanswered debit with its id records it exactly
 * once, and no partial debit exists: every record is a line of its balance and the balance is exactly its records.
 */
@Tag("reliability")
class DynamoDbOutageIntegrationTest {
    private static final int THREADS = 8;
    private static final java.util.Set<String> RETRYABLE_503 = java.util.Set.of("unavailable", "contention");
    private static final String WS = "ws-outage";
    private static final ReliabilityStack api = ReliabilityStack.shared();

    @Test
    void anOutageMidRunIsA503AndAfterTheRestartNoDebitIsPartialLostOrDoubled() throws Exception {
        String service = api.token("service", null);
        String manager = api.token("manager", "org-outage");
        assertThat(api.send("PUT", "/v1/workspaces/" + WS, api.token("admin", null),
                "{\"organizationId\":\"org-outage\",\"name\":\"Outage\",\"tier\":\"ELITE_PLUS\"}").status()).isIn(200, 201);

        Map<String, String> activityOf = new ConcurrentHashMap<>();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        Map<String, String> answered = new ConcurrentHashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger beforeOutage = new AtomicInteger();
        AtomicBoolean down = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch warmedUp = new CountDownLatch(100);
        String[] activities = {"task.execution", "agent.execution", "case.investigation", "case.conversation"};

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String executionId = "outage-t" + thread + "-" + i;
                    String activity = activities[(thread + i) % activities.length];
                    activityOf.put(executionId, activity);
                    ReliabilityStack.Reply reply = api.send("POST", "/v1/workspaces/" + WS + "/executions", service,
                            "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"}");
                    if (reply.status() == 201) {
                        answered.put(executionId, reply.body());
                        if (!down.get()) {
                            beforeOutage.incrementAndGet();
                        }
                    } else if (reply.status() == 503) {
                        unavailable.incrementAndGet();
                        unanswered.add(executionId);
                        // Under production semantics, conflicts past every retry as DynamoDB recovers are a 503 contention.
                        if (!RETRYABLE_503.contains(reply.errorCode()) || !reply.json().at("/error/message").asText().contains("retry")) {
                            wrong.add(executionId + ": an unclear 503: " + reply.body());
                        }
                    } else {
                        wrong.add(executionId + ": " + reply.status() + " " + reply.body());
                    }
                    warmedUp.countDown();
                }
                return null;
            }));
        }

        assertThat(warmedUp.await(2, TimeUnit.MINUTES)).isTrue();
        down.set(true);
        api.stack.dynamoDb().stop();
        ReliabilityStack.Reply read;
        try {
            Instant until = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(until) || unavailable.get() < 2 * THREADS) {
                Thread.sleep(100);
            }
            read = api.send("GET", "/v1/workspaces/" + WS + "/usage", manager, null);
        } finally {
            api.stack.dynamoDb().restart();
        }
        // Running on after the restart, then stopping.
        int answeredAtRestart = answered.size();
        while (answered.size() < answeredAtRestart + 50) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Future<?> future : futures) {
            future.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(wrong).isEmpty();
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.errorCode()).isEqualTo("unavailable");
        assertThat(unavailable.get()).isGreaterThanOrEqualTo(2 * THREADS);

        // A client retries what got no answer, with the same id: recorded once, whether or not it had committed.
        int committedUnseen = 0;
        for (String executionId : unanswered) {
            ReliabilityStack.Reply retry = api.send("POST", "/v1/workspaces/" + WS + "/executions", service,
                    "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activityOf.get(executionId) + "\"}");
            assertThat(retry.status()).as(executionId + " " + retry.body()).isIn(200, 201);
            committedUnseen += retry.status() == 200 ? 1 : 0;
            answered.put(executionId, retry.body());
        }

        Period period = Period.of(Instant.now());
        List<JsonNode> ledger = api.records(WS, "").stream().map(item -> parse(item.get("body").s()))
                .sorted(Comparator.comparingLong(r -> r.get("sequence").asLong())).toList();
        assertThat(ledger).extracting(r -> r.get("executionId").asText()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(answered.keySet());
        long used = 0;
        for (int i = 0; i < ledger.size(); i++) {
            used += ledger.get(i).get("creditsConsumed").asLong();
            assertThat(ledger.get(i).get("sequence").asLong()).isEqualTo(i + 1);
            assertThat(ledger.get(i).get("creditsUsed").asLong()).isEqualTo(used);
            assertThat(ledger.get(i).get("period").asText()).isEqualTo(period.toString());
        }
        Map<String, AttributeValue> balance = api.item("WS#" + WS, "BALANCE#" + period);
        assertThat(balance.get("used").n()).as("in hundredths").isEqualTo(Long.toString(used * 100));
        assertThat(balance.get("sequence").n()).isEqualTo(Integer.toString(ledger.size()));
        long expected = answered.keySet().stream().mapToLong(id -> price(activityOf.get(id))).sum();
        assertThat(used).isEqualTo(expected);
        System.out.printf("outage: %d debits before the outage, %d 503s while down, %d committed before their answer was lost,"
                + " %d recorded in all%n", beforeOutage.get(), unavailable.get(), committedUnseen, ledger.size());
    }

    private static long price(String activity) {
        return switch (activity) {
            case "task.execution" -> 1;
            case "agent.execution" -> 6;
            case "case.investigation" -> 12;
            case "case.conversation" -> 8;
            default -> throw new IllegalArgumentException(activity);
        };
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
