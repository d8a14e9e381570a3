package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.testkit.LogLines;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 30, item 5 (SPEC, "Blocked at the hard limit"): the period's first debit refused for the hard limit marks the
 * balance {@code blockedAt}, once, the only write a refusal makes. 333 credits at 150%: the cap is 499 credits, and
 * 12-credit runs stop at 492, short of both the cap and the 150% threshold (500). Also run under production semantics.
 */
class BlockedAtHardLimitIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final DebitFixture api = new DebitFixture("blocked", NOW);

    @Test
    void theFirstRefusalAtTheHardLimitMarksTheBalanceOnceAndWritesNothingElse() {
        fillTo492("ws-blocked");
        Map<String, AttributeValue> before = balance("ws-blocked");
        assertThat(before).doesNotContainKey("blockedAt");

        api.clock.set(NOW.plusSeconds(60));
        assertThat(api.debit("ws-blocked", "refused-1", "case.investigation").status()).isEqualTo(402);
        Map<String, AttributeValue> blocked = balance("ws-blocked");
        assertThat(blocked.get("blockedAt").s()).isEqualTo(NOW.plusSeconds(60).toString());

        api.clock.set(NOW.plusSeconds(120));
        assertThat(api.debit("ws-blocked", "refused-2", "case.investigation").status()).isEqualTo(402);
        assertThat(api.newContainer().handleRequest(com.aicredits.testkit.ApiEvents.load("record-execution.json", "ws-blocked",
                "{\"executionId\":\"refused-3\",\"activity\":\"case.investigation\"}"), null).getStatusCode()).isEqualTo(402);

        Map<String, AttributeValue> after = balance("ws-blocked");
        assertThat(after.get("blockedAt").s()).isEqualTo(NOW.plusSeconds(60).toString());
        for (String unchanged : List.of("used", "sequence", "revision")) {
            assertThat(after.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
        }
        assertThat(api.table.record("ws-blocked", "refused-1")).isNullOrEmpty();
        // A run that still fits goes on (an agent run of 6 credits: 498 <= 499), and leaves the mark as it is.
        assertThat(api.debit("ws-blocked", "fits", "agent.execution").status()).isEqualTo(201);
        assertThat(balance("ws-blocked").get("blockedAt").s()).isEqualTo(NOW.plusSeconds(60).toString());
    }

    @Test
    void eightContainersRefusedAtOnceMarkTheBalanceExactlyOnce() throws Exception {
        fillTo492("ws-race");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> results = new ArrayList<>();
        try (LogLines logs = LogLines.capture()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                RecordExecutionHandler container = api.newContainer();
                Callable<List<Integer>> work = () -> {
                    start.await();
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        statuses.add(DebitFixture.send(container, com.aicredits.testkit.ApiEvents.load("record-execution.json",
                                "ws-race", "{\"executionId\":\"race-" + thread + "-" + i + "\",\"activity\":\"case.investigation\"}")).status());
                    }
                    return statuses;
                };
                results.add(pool.submit(work));
            }
            start.countDown();
            for (Future<List<Integer>> result : results) {
                assertThat(result.get()).containsOnly(402);
            }
            assertThat(logs.all()).filteredOn(line -> line.path("message").asText().startsWith("the balance is blocked"))
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        Map<String, AttributeValue> balance = balance("ws-race");
        assertThat(balance).containsKey("blockedAt");
        assertThat(balance.get("used").n()).as("in hundredths").isEqualTo("49200");
        assertThat(balance.get("sequence").n()).isEqualTo("41");
    }

    private void fillTo492(String workspaceId) {
        api.workspace(workspaceId, "M_PARTNER", Map.of("monthlyCredits", 333, "hardLimitPercent", 150, "casesEnabled", true));
        for (int i = 0; i < 41; i++) {
            assertThat(api.debit(workspaceId, "run-" + i, "case.investigation").status()).isEqualTo(201);
        }
    }

    private Map<String, AttributeValue> balance(String workspaceId) {
        return api.table.item("WS#" + workspaceId, "BALANCE#2026-11");
    }
}
