package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.testkit.LogLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the debit path tells CloudWatch: one Embedded Metric Format line per debit (credits by feature), replay and
 * refusal, each also a log line carrying the request's requestId, workspaceId and executionId. Real handler,
 * the DynamoDB engine; the lines are captured instead of written to standard output.
 */
class DebitMetricsIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    /** The API Gateway request id of events/record-execution.json (no Lambda context in tests). */
    private static final String REQUEST_ID = "JKJaXmPLvHcESHA=";
    private final DebitFixture api = new DebitFixture("metrics", NOW);

    @Test
    void aDebitAReplayAndTwoRefusalsEachWriteOneMetricLineWithTheRequestsKeys() {
        api.workspace("ws-metrics", "M_PARTNER", Map.of("monthlyCredits", 12, "hardLimitPercent", 100));
        api.workspace("ws-nocases", "PRO", Map.of("casesEnabled", false));

        try (LogLines logs = LogLines.capture()) {
            assertThat(api.debit("ws-metrics", "run-1", "case.investigation").status()).isEqualTo(201);
            assertThat(api.debit("ws-metrics", "run-1", "case.investigation").status()).isEqualTo(200);
            assertThat(api.debit("ws-metrics", "run-2", "task.execution").status()).isEqualTo(402);
            assertThat(api.debit("ws-nocases", "run-3", "case.conversation").status()).isEqualTo(403);
            assertThat(api.debit("ws-metrics", "run-4", "case.summary").status()).isEqualTo(201);
            assertThat(api.post("ws-metrics", "{\"executionId\":\"run-5\"}").status()).isEqualTo(400);

            List<JsonNode> debited = logs.metric("CreditsDebited");
            assertThat(debited).hasSize(2);
            JsonNode investigation = debited.getFirst();
            assertThat(directive(investigation).get("Namespace").asText()).isEqualTo("aicredits");
            assertThat(directive(investigation).get("Dimensions").toString()).isEqualTo("[[\"Feature\"],[],[\"Model\"]]");
            assertThat(investigation.get("Model").asText()).isEqualTo("PLATFORM");
            assertThat(directive(investigation).get("Metrics").toString()).contains("{\"Name\":\"DebitLatency\",\"Unit\":\"Milliseconds\"}");
            assertThat(investigation.get("DebitLatency").asLong()).isNotNegative();
            assertThat(investigation.get("Feature").asText()).isEqualTo("CASE_INVESTIGATION");
            assertThat(investigation.get("CreditsDebited").asLong()).isEqualTo(12);
            assertThat(investigation.get("Debits").asLong()).isEqualTo(1);
            assertKeys(investigation, "ws-metrics", "run-1");
            assertThat(debited.get(1).get("Feature").asText()).isEqualTo("FREE");
            assertThat(debited.get(1).get("CreditsDebited").asLong()).isZero();

            List<JsonNode> replays = logs.metric("DebitReplays");
            assertThat(replays).hasSize(1);
            assertThat(directive(replays.getFirst()).get("Dimensions").toString()).isEqualTo("[[]]");
            assertKeys(replays.getFirst(), "ws-metrics", "run-1");

            List<JsonNode> refused = logs.metric("DebitsRefused");
            assertThat(refused).extracting(line -> line.get("Reason").asText())
                    .containsExactly("hard_limit_exceeded", "cases_disabled");
            assertKeys(refused.get(0), "ws-metrics", "run-2");
            assertKeys(refused.get(1), "ws-nocases", "run-3");

            // The bad request is a 400, not a refusal: no metric, and nothing else was logged either, but the line of
            // the period's first refusal at the hard limit, which marks the balance blocked (issue 30, item 5).
            assertThat(logs.all()).hasSize(6).allSatisfy(line -> assertThat(line.get("level").asText()).isEqualTo("INFO"));
            assertThat(logs.all()).filteredOn(line -> line.get("message").asText().startsWith("the balance is blocked"))
                    .singleElement().satisfies(line -> assertKeys(line, "ws-metrics", "run-2"));
        }
    }

    private static JsonNode directive(JsonNode line) {
        return line.get("_aws").get("CloudWatchMetrics").get(0);
    }

    private static void assertKeys(JsonNode line, String workspaceId, String executionId) {
        assertThat(line.get("requestId").asText()).isEqualTo(REQUEST_ID);
        assertThat(line.get("workspaceId").asText()).isEqualTo(workspaceId);
        assertThat(line.get("executionId").asText()).isEqualTo(executionId);
        assertThat(line.get("timestamp").asText()).endsWith("Z");
    }
}
