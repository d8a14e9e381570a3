package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.functions.record.DebitFixture.Response;
import com.aicredits.testkit.AmendedCatalog;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.LogLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Runs on the customer's own model subscription (BYOS), through the real handler on our DynamoDB engine. */
class ByosDebitsIntegrationTest {
    private static final Map<String, Object> AGENTS_ON_OWN_MODEL = Map.of("byos",
            Map.of("enabled", true, "provider", "openai", "features", List.of("AI_AGENT")));

    private final DebitFixture api = new DebitFixture("byos", Instant.parse("2026-11-30T23:50:00Z"), AmendedCatalog.fromDecember());

    @Test
    void aByosRunAtZeroCreditsIsALedgerLineThatLeavesTheRemainingCreditsAlone() {
        api.workspace("ws-own", "PRO", AGENTS_ON_OWN_MODEL);
        Response platform = api.debit("ws-own", "run-1", "agent.execution");

        Response byos = byos("ws-own", "run-2", "agent.execution");

        assertThat(platform.json().get("model").asText()).isEqualTo("PLATFORM");
        assertThat(byos.status()).as(byos.body()).isEqualTo(201);
        JsonNode record = byos.json();
        assertThat(record.get("model").asText()).isEqualTo("BYOS");
        assertThat(record.get("creditsConsumed").asLong()).isZero();
        assertThat(record.get("sequence").asLong()).isEqualTo(2);
        assertThat(record.get("creditsUsed").asLong()).isEqualTo(6);
        assertThat(record.get("creditsRemaining").asLong()).isEqualTo(platform.json().get("creditsRemaining").asLong());
        assertThat(record.get("priceVersion").asText()).isEqualTo("2026-01-01");
        api.assertLedgerIsExact("ws-own", "2026-11", 2);
        JsonNode balance = api.balance("ws-own", "2026-11");
        assertThat(balance.get("byos_AI_AGENT").asLong()).isEqualTo(1);
        assertThat(balance.get("feature_AI_AGENT").asLong()).isEqualTo(6);
    }

    @Test
    void theSampleByosEventIsRecorded() {
        api.workspace("ws-acme-prod", "PRO", AGENTS_ON_OWN_MODEL);

        Response response = DebitFixture.send(api.handler, ApiEvents.load("record-execution-byos.json"));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().get("model").asText()).isEqualTo("BYOS");
        assertThat(response.json().get("executionId").asText()).isEqualTo("agent-run-88d1");
    }

    @Test
    void aByosRunOfAFeatureNotEnabledIsRefusedWritesNothingAndLeavesTheIdFree() {
        api.workspace("ws-closed", "PRO", Map.of());
        api.workspace("ws-agents", "PRO", AGENTS_ON_OWN_MODEL);
        long items = api.table.itemCount();

        Response none = byos("ws-closed", "run-1", "agent.execution");
        Response otherFeature = byos("ws-agents", "run-1", "task.execution");

        assertThat(none.status()).isEqualTo(403);
        assertThat(none.errorCode()).isEqualTo("byos_not_enabled");
        assertThat(otherFeature.status()).isEqualTo(403);
        assertThat(otherFeature.json().at("/error/message").asText()).contains("AI_TASK");
        assertThat(api.table.itemCount()).isEqualTo(items);
        api.workspace("ws-closed", "PRO", AGENTS_ON_OWN_MODEL);
        assertThat(byos("ws-closed", "run-1", "agent.execution").status()).as("the id stays free").isEqualTo(201);
        assertThat(api.debit("ws-agents", "run-1", "task.execution").status()).isEqualTo(201);
    }

    @Test
    void aReplayWithTheSameModelIsByteForByteAndAnotherModelIsAConflict() {
        api.workspace("ws-replay", "PRO", AGENTS_ON_OWN_MODEL);
        Response first = byos("ws-replay", "run-1", "agent.execution");
        api.debit("ws-replay", "run-2", "agent.execution");
        long items = api.table.itemCount();

        Response replay = DebitFixture.send(api.newContainer(), ApiEvents.load("record-execution.json", "ws-replay",
                "{\"executionId\":\"run-1\",\"activity\":\"agent.execution\",\"model\":\"BYOS\"}"));
        Response asPlatform = api.debit("ws-replay", "run-1", "agent.execution");
        Response explicitPlatform = api.post("ws-replay",
                "{\"executionId\":\"run-1\",\"activity\":\"agent.execution\",\"model\":\"PLATFORM\"}");
        Response platformAsByos = byos("ws-replay", "run-2", "agent.execution");

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        for (Response conflict : List.of(asPlatform, explicitPlatform, platformAsByos)) {
            assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
            assertThat(conflict.errorCode()).isEqualTo("execution_id_reused");
        }
        assertThat(api.table.itemCount()).isEqualTo(items);
    }

    @Test
    void aRecordStoredBeforeByosExistedStillReplaysByteForByteAndCountsAsPlatform() {
        api.workspace("ws-legacy", "PRO", AGENTS_ON_OWN_MODEL);
        Response written = api.debit("ws-legacy", "old-1", "agent.execution");
        // The record as the previous release stored it: no model in its body, no model attribute.
        Map<String, AttributeValue> item = new HashMap<>(api.table.record("ws-legacy", "old-1"));
        String oldBody = written.body().replace(",\"model\":\"PLATFORM\"", "");
        assertThat(oldBody).doesNotContain("model");
        item.put("body", AttributeValue.fromS(oldBody));
        item.remove("model");
        api.table.client.putItem(b -> b.tableName(api.table.name).item(item));

        Response replay = DebitFixture.send(api.newContainer(), ApiEvents.load("record-execution.json", "ws-legacy",
                "{\"executionId\":\"old-1\",\"activity\":\"agent.execution\"}"));
        Response asByos = byos("ws-legacy", "old-1", "agent.execution");

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(oldBody);
        assertThat(asByos.status()).isEqualTo(409);
    }

    @Test
    void theDryRunAnswersForByosRuns() {
        api.workspace("ws-dry", "PRO", AGENTS_ON_OWN_MODEL);

        JsonNode allowed = check("ws-dry", "{\"executionId\":\"c-1\",\"activity\":\"agent.execution\",\"model\":\"BYOS\"}");
        JsonNode notEnabled = check("ws-dry", "{\"executionId\":\"c-2\",\"activity\":\"task.execution\",\"model\":\"BYOS\"}");
        byos("ws-dry", "c-3", "agent.execution");
        JsonNode otherModel = check("ws-dry", "{\"executionId\":\"c-3\",\"activity\":\"agent.execution\"}");

        assertThat(allowed.get("allowed").asBoolean()).isTrue();
        assertThat(allowed.get("creditsConsumed").asLong()).isZero();
        assertThat(allowed.get("creditsRemainingAfter").asLong()).isEqualTo(5_000);
        assertThat(notEnabled.get("allowed").asBoolean()).isFalse();
        assertThat(notEnabled.get("reason").asText()).contains("BYOS");
        assertThat(otherModel.get("allowed").asBoolean()).isFalse();
        assertThat(otherModel.get("reason").asText()).contains("model BYOS");
        assertThat(api.ledger("ws-dry", "2026-11")).hasSize(1);
    }

    @Test
    void anAmendedByosFeeIsPricedByOccurredAtAtTheBoundary() {
        api.workspace("ws-fee", "PRO", AGENTS_ON_OWN_MODEL);
        api.clock.set(AmendedCatalog.EFFECTIVE.plusSeconds(60));

        Response lastFree = api.post("ws-fee", "{\"executionId\":\"nov\",\"activity\":\"agent.execution\",\"model\":\"BYOS\","
                + "\"occurredAt\":\"2026-11-30T23:59:59.999Z\"}");
        Response firstFee = api.post("ws-fee", "{\"executionId\":\"dec\",\"activity\":\"agent.execution\",\"model\":\"BYOS\","
                + "\"occurredAt\":\"2026-12-01T00:00:00Z\"}");
        Response platform = api.debit("ws-fee", "dec-platform", "agent.execution");

        assertThat(lastFree.json().get("creditsConsumed").asLong()).isZero();
        assertThat(lastFree.json().get("priceVersion").asText()).isEqualTo("2026-01-01");
        assertThat(firstFee.json().get("creditsConsumed").asLong()).isEqualTo(AmendedCatalog.AGENT_BYOS_FEE);
        assertThat(firstFee.json().get("priceVersion").asText()).isEqualTo(AmendedCatalog.VERSION);
        assertThat(firstFee.json().get("model").asText()).isEqualTo("BYOS");
        assertThat(platform.json().get("creditsConsumed").asLong()).isEqualTo(6);
        assertThat(platform.json().get("creditsUsed").asLong()).isEqualTo(AmendedCatalog.AGENT_BYOS_FEE + 6);
        assertThat(api.balance("ws-fee", "2026-12").get("feature_AI_AGENT").asLong()).isEqualTo(8);
    }

    @Test
    void theHardLimitAppliesToAByosFeeButNeverRefusesAZeroCreditByosRun() {
        api.workspace("ws-limit", "DEV", Map.of("hardLimitPercent", 100, "byos",
                Map.of("enabled", true, "provider", "bedrock", "features", List.of("AI_AGENT", "CASE_INVESTIGATION"))));
        for (int i = 0; i < 83; i++) {
            api.debit("ws-limit", "nov-" + i, "agent.execution"); // 498 of 500
        }
        api.debit("ws-limit", "nov-fill", "task.execution");
        api.debit("ws-limit", "nov-full", "task.execution"); // 500
        Response freeByos = byos("ws-limit", "nov-byos", "agent.execution");
        api.clock.set(AmendedCatalog.EFFECTIVE.plusSeconds(60));
        for (int i = 0; i < 83; i++) {
            api.debit("ws-limit", "dec-" + i, "agent.execution"); // 498 of 500
        }
        Response lastFee = byos("ws-limit", "dec-byos-1", "agent.execution"); // 500
        long items = api.table.itemCount();
        Response overByFee = byos("ws-limit", "dec-byos-2", "agent.execution");

        assertThat(freeByos.status()).as("0 credits at 100%: never refused").isEqualTo(201);
        assertThat(freeByos.json().get("creditsUsed").asLong()).isEqualTo(500);
        assertThat(lastFee.status()).isEqualTo(201);
        assertThat(lastFee.json().get("creditsUsed").asLong()).isEqualTo(500);
        assertThat(overByFee.status()).isEqualTo(402);
        assertThat(overByFee.errorCode()).isEqualTo("hard_limit_exceeded");
        assertThat(api.table.itemCount()).isEqualTo(items);
    }

    @Test
    void aLegacyCaseRunOnTheCustomersModelIsCountedNotCredited() {
        api.workspace("ws-legacy-cases", "PRO", Map.of("pricingModel", "LEGACY", "byos",
                Map.of("enabled", true, "provider", "google", "features", List.of("CASE_INVESTIGATION"))));

        Response run = byos("ws-legacy-cases", "case-1", "case.investigation");

        assertThat(run.status()).isEqualTo(201);
        assertThat(run.json().get("creditsConsumed").asLong()).isZero();
        JsonNode balance = api.balance("ws-legacy-cases", "2026-11");
        assertThat(balance.get("casesCounted").asLong()).isEqualTo(1);
        assertThat(balance.get("byos_CASE_INVESTIGATION").asLong()).isEqualTo(1);
    }

    @Test
    void aByosDebitIsCountedByModelInTheDebitsMetric() {
        api.workspace("ws-metric", "PRO", AGENTS_ON_OWN_MODEL);

        try (LogLines logs = LogLines.capture()) {
            assertThat(byos("ws-metric", "run-1", "agent.execution").status()).isEqualTo(201);

            JsonNode line = logs.metric("Debits").getFirst();
            assertThat(line.get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions").toString()).contains("[\"Model\"]");
            assertThat(line.get("Model").asText()).isEqualTo("BYOS");
            assertThat(line.get("Feature").asText()).isEqualTo("AI_AGENT");
            assertThat(line.get("Debits").asLong()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownModelIsABadRequest() {
        api.workspace("ws-bad", "PRO", AGENTS_ON_OWN_MODEL);

        Response bad = api.post("ws-bad", "{\"executionId\":\"run-1\",\"activity\":\"agent.execution\",\"model\":\"byos\"}");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("invalid_model");
        assertThat(api.balance("ws-bad", "2026-11")).isNull();
    }

    private Response byos(String workspaceId, String executionId, String activity) {
        return api.post(workspaceId, "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\",\"model\":\"BYOS\"}");
    }

    private JsonNode check(String workspaceId, String body) {
        var event = ApiEvents.load("record-execution.json", workspaceId, body);
        event.setRouteKey(RecordExecutionHandler.CHECK);
        Response response = DebitFixture.send(api.handler, event);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
