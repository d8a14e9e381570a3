package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        ConcurrentClients.Run run = ConcurrentClients.run(containers, "ws-busy", "t", ACTIVITIES, THREADS, REQUESTS_PER_THREAD, 21);

        assertThat(run.wrong()).isEmpty();
        assertThat(run.answeredByReplay()).as("a new execution answered as a replay").isZero();
        assertThat(run.newExecutions()).isEqualTo(THREADS * 90);
        assertThat(run.replays()).isEqualTo(THREADS * 10);
        long expected = run.activityOf().values().stream().mapToLong(PRICES::get).sum();
        List<JsonNode> ledger = api.assertLedgerIsExact("ws-busy", "2026-11", THREADS * 90);
        assertThat(ledger.getLast().get("creditsUsed").asLong()).isEqualTo(expected);
        System.out.printf("bench: 16x100 on one workspace: %d created, %d replays, %d client retries on 503, calls %s%n",
                run.newExecutions(), run.replays(), run.clientRetries(), api.table.calls.snapshot());
    }

    @Test
    void sixteenThreadsMixingByosAndPlatformRunsWithReplaysKeepTheLedgerExact() throws Exception {
        api.workspace("ws-mixed", "ELITE_PLUS", Map.of("byos", Map.of("enabled", true, "provider", "anthropic",
                "features", List.of("CASE_INVESTIGATION", "CASE_CONVERSATION", "AI_AGENT", "AI_TASK", "FREE"))));
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer());
        ConcurrentClients.Run run = ConcurrentClients.run(containers, "ws-mixed", "m", ACTIVITIES,
                new String[] {"BYOS", "PLATFORM"}, THREADS, 30, 21);

        assertThat(run.wrong()).isEmpty();
        assertThat(run.answeredByReplay()).as("a new execution answered as a replay").isZero();
        int lines = THREADS * 27;
        assertThat(run.newExecutions()).isEqualTo(lines);
        Map<String, Long> byosRunsByFeature = new java.util.HashMap<>();
        long expected = 0;
        for (Map.Entry<String, String> execution : run.activityOf().entrySet()) {
            if (run.modelOf().get(execution.getKey()).equals("BYOS")) {
                byosRunsByFeature.merge(FEATURES.get(execution.getValue()), 1L, Long::sum);
            } else {
                expected += PRICES.get(execution.getValue());
            }
        }
        assertThat(byosRunsByFeature.values().stream().mapToLong(Long::longValue).sum()).as("a mix").isBetween(100L, 332L);
        List<JsonNode> ledger = api.assertLedgerIsExact("ws-mixed", "2026-11", lines);
        assertThat(ledger.getLast().get("creditsUsed").asLong()).as("BYOS runs cost 0 in the shipped catalog").isEqualTo(expected);
        JsonNode balance = api.balance("ws-mixed", "2026-11");
        byosRunsByFeature.forEach((feature, runs) -> assertThat(balance.get("byos_" + feature).asLong()).as(feature).isEqualTo(runs));
        assertThat(ledger.stream().filter(line -> line.get("model").asText().equals("BYOS")).count())
                .isEqualTo(byosRunsByFeature.values().stream().mapToLong(Long::longValue).sum());
    }

    private static final Map<String, String> FEATURES = Map.of("task.execution", "AI_TASK", "agent.execution", "AI_AGENT",
            "case.investigation", "CASE_INVESTIGATION", "case.conversation", "CASE_CONVERSATION", "builder.assist", "FREE");
}
