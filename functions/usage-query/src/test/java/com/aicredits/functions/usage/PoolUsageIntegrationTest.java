package com.aicredits.functions.usage;

import static com.aicredits.functions.usage.UsageQueryIntegrationTest.asManagerOf;
import static com.aicredits.functions.usage.UsageQueryIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.service.DebitService;
import com.aicredits.service.OrganizationService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The usage of an organization's credit pool through the real handler on our DynamoDB engine: the pool in the
 * organization's usage, its used the sum of its workspaces', each pooled workspace showing its own used and saying it
 * draws from the pool, history months too, the pool's thresholds from its markers, and the reads it costs.
 */
class PoolUsageIntegrationTest {
    private static final String ORG = "org-pool";
    private final CreditsTable table = new CreditsTable("pool-usage");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceService workspaces = table.services(clock).workspaces();
    private final DebitService debits = table.services(clock).debits();
    private final OrganizationService organizations = table.services(clock).organizations();
    private final UsageQueryHandler handler = new UsageQueryHandler(table.services(clock));

    private void workspace(String id, String tier) {
        workspaces.put(id, new WorkspaceSpec(null, ORG, "Name " + id, tier, null, null, null, null, null, null, null));
    }

    private void debit(String workspaceId, String executionId, String activity, String occurredAt) {
        debits.record(workspaceId, new RecordExecution(executionId, activity, occurredAt));
    }

    private void pool(boolean enabled) {
        organizations.put(ORG, new OrganizationSpec(null, "Pooling Org", new CreditPool.Spec(enabled, null, null, null,
                List.of("cfo@pool.example"))));
    }

    @Test
    void thePoolsUsedIsTheSumOfByWorkspaceAndEachWorkspacesOwnUsed() {
        workspace("ws-p1", "DEV");
        workspace("ws-p2", "ESSENTIAL");
        workspace("ws-p3", "DEV");
        // Used before the pool is enabled: the pool starts with it.
        debit("ws-p1", "before", "case.investigation", "2026-11-02T09:00:00Z");
        pool(true);
        debit("ws-p1", "p1-a", "agent.execution", "2026-11-10T09:00:00Z");
        debit("ws-p2", "p2-a", "case.conversation", "2026-11-10T10:00:00Z");
        debit("ws-p2", "p2-b", "task.execution", null);
        debit("ws-p1", "p1-free", "builder.assist", null);

        JsonNode organization = json(handler.handleRequest(organizationEvent(Map.of()), null));
        JsonNode pool = organization.get("pool");

        assertThat(fieldNames(pool)).containsExactly("allocated", "used", "remaining", "percentUsed", "hardLimitCredits",
                "byFeature", "byWorkspace", "daily", "thresholdsReached", "forecast");
        assertThat(pool.get("byWorkspace").toString()).isEqualTo("{\"ws-p1\":18,\"ws-p2\":9,\"ws-p3\":0}");
        assertThat(pool.get("used").asLong()).isEqualTo(12 + 6 + 8 + 1);
        assertThat(sum(pool.get("byWorkspace"))).isEqualByComparingTo(pool.get("used").decimalValue());
        assertThat(pool.get("allocated").asLong()).isEqualTo(500 + 2_000 + 500);
        assertThat(pool.get("remaining").asLong()).isEqualTo(3_000 - 27);
        assertThat(pool.get("percentUsed").decimalValue()).isEqualByComparingTo("0.9");
        assertThat(pool.get("hardLimitCredits").asLong()).isEqualTo(6_000);
        assertThat(pool.get("byFeature").toString())
                .isEqualTo("{\"CASE_INVESTIGATION\":12,\"CASE_CONVERSATION\":8,\"AI_AGENT\":6,\"AI_TASK\":1}");
        assertThat(pool.get("daily")).hasSize(25);
        assertThat(pool.get("daily").get(1).toString()).isEqualTo("{\"date\":\"2026-11-02\",\"credits\":12,\"cumulative\":12}");
        assertThat(pool.get("daily").get(9).toString()).isEqualTo("{\"date\":\"2026-11-10\",\"credits\":14,\"cumulative\":26}");
        assertThat(pool.get("daily").get(24).get("cumulative").asLong()).isEqualTo(27);
        assertThat(pool.get("thresholdsReached")).isEmpty();
        assertThat(pool.get("forecast").get("projectedUsed").asLong()).isEqualTo(Math.round(27 / (24 + 10 / 24.0) * 30));
        assertThat(pool.get("forecast").get("runsOutOn").isNull()).isTrue();
        // The pool's balance item holds the same ledger.
        Map<String, AttributeValue> item = table.item(Keys.organizationPk(ORG), Keys.POOL_SK_PREFIX + "2026-11");
        assertThat(item.get("used").n()).as("hundredths").isEqualTo("2700");

        JsonNode rows = organization.get("items");
        assertThat(rows.findValuesAsText("pool")).containsExactly("organization", "organization", "organization");
        for (JsonNode row : rows) {
            assertThat(row.get("creditsUsed").decimalValue()).as(row.toString())
                    .isEqualByComparingTo(pool.get("byWorkspace").get(row.get("workspaceId").asText()).decimalValue());
        }
    }

    @Test
    void aPooledWorkspacesUsageAndHistoryShowWhatItUsedAndSayPool() {
        workspace("ws-p1", "DEV");
        workspace("ws-p2", "DEV");
        debit("ws-p1", "october", "case.investigation", "2026-10-20T09:00:00Z");
        pool(true);
        debit("ws-p1", "nov-1", "case.investigation", "2026-11-03T09:00:00Z");
        debit("ws-p2", "nov-2", "agent.execution", null);

        JsonNode own = json(handler.handleRequest(usageEvent("workspace-usage.json", "ws-p1", Map.of()), null));
        JsonNode other = json(handler.handleRequest(usageEvent("workspace-usage.json", "ws-p2", Map.of()), null));
        JsonNode october = json(handler.handleRequest(usageEvent("workspace-usage.json", "ws-p1", Map.of("period", "2026-10")), null));
        JsonNode history = json(handler.handleRequest(usageEvent("usage-history.json", "ws-p1", Map.of("from", "2026-10")), null));

        assertThat(own.get("pool").asText()).isEqualTo("organization");
        assertThat(own.get("creditsUsed").asLong()).isEqualTo(12);
        assertThat(own.at("/byFeature/CASE_INVESTIGATION").asLong()).isEqualTo(12);
        assertThat(own.get("daily").get(24).get("cumulative").asLong()).isEqualTo(12);
        assertThat(own.at("/forecast/runsOutOn").isNull()).isTrue();
        assertThat(other.get("creditsUsed").asLong()).isEqualTo(6);
        assertThat(october.has("pool")).as("the month before the pool").isFalse();
        assertThat(october.get("creditsUsed").asLong()).isEqualTo(12);
        assertThat(history.get("months").findValuesAsText("period")).containsExactly("2026-10", "2026-11");
        assertThat(history.get("months").get(0).has("pool")).isFalse();
        assertThat(history.get("months").get(1).get("pool").asText()).isEqualTo("organization");
        assertThat(json(handler.handleRequest(organizationEvent(Map.of()), null)).at("/pool/used").asLong()).isEqualTo(12 + 6);
    }

    @Test
    void thePoolsThresholdsAreItsMarkersOnTheOrganizationsPartition() {
        workspace("ws-p1", "DEV");
        pool(true);
        debit("ws-p1", "nov-1", "case.investigation", null);
        for (String threshold : List.of("0090", "0080")) {
            marker(Keys.organizationPk(ORG), "ALERT#2026-11#THRESHOLD#" + threshold);
        }
        marker(Keys.organizationPk(ORG), "ALERT#2026-11#FORECAST");
        marker(Keys.organizationPk(ORG), "ALERT#2026-10#THRESHOLD#0100");
        marker(Keys.workspacePk("ws-p1"), "ALERT#2026-11#THRESHOLD#0120");

        JsonNode pool = json(handler.handleRequest(organizationEvent(Map.of()), null)).get("pool");

        assertThat(pool.get("thresholdsReached").toString()).isEqualTo("[80,90]");
    }

    @Test
    void withoutAnEnabledPoolThereIsNoPoolAndEveryPageOfAPooledOneCarriesAllOfIt() {
        workspace("ws-p1", "DEV");
        workspace("ws-p2", "DEV");
        workspace("ws-p3", "DEV");
        debit("ws-p1", "nov-1", "case.investigation", null);
        JsonNode alone = json(handler.handleRequest(organizationEvent(Map.of()), null));
        assertThat(alone.has("pool")).isFalse();
        assertThat(alone.get("items").findValues("pool")).isEmpty();

        pool(true);
        debit("ws-p3", "nov-3", "task.execution", null);
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode page = json(handler.handleRequest(organizationEvent(query), null));
            assertThat(page.at("/pool/byWorkspace").toString()).isEqualTo("{\"ws-p1\":12,\"ws-p2\":0,\"ws-p3\":1}");
            assertThat(page.at("/pool/used").asLong()).isEqualTo(13);
            page.get("items").forEach(rows::add);
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(rows).hasSize(3);

        pool(false);
        JsonNode off = json(handler.handleRequest(organizationEvent(Map.of()), null));
        assertThat(off.has("pool")).isFalse();
        assertThat(off.get("items").findValues("pool")).isEmpty();
    }

    @Test
    void thePoolCostsTheSameFewReadsAtOneAndAtManyRecords() {
        workspace("ws-p1", "ELITE_PLUS");
        workspace("ws-p2", "ELITE_PLUS");
        pool(true);
        debit("ws-p1", "first", "task.execution", null);
        Map<String, Integer> few = readCalls();
        for (int i = 0; i < 40; i++) {
            debit(i % 2 == 0 ? "ws-p1" : "ws-p2", "run-" + i, "task.execution", null);
        }
        Map<String, Integer> many = readCalls();

        assertThat(many).isEqualTo(few);
        // The workspaces' listing and the pool's markers (one Query each), the organization with its pool and the
        // workspaces' balances (one BatchGetItem each).
        assertThat(few).isEqualTo(Map.of("Query", 2, "BatchGetItem", 2));
    }

    private Map<String, Integer> readCalls() {
        table.calls.reset();
        assertThat(handler.handleRequest(organizationEvent(Map.of()), null).getStatusCode()).isEqualTo(200);
        return table.calls.snapshot();
    }

    private void marker(String partition, String sortKey) {
        table.client.putItem(b -> b.tableName(table.name).item(Map.of(Keys.PK, AttributeValue.fromS(partition),
                Keys.SK, AttributeValue.fromS(sortKey), "itemType", AttributeValue.fromS("ALERT"),
                "firedAt", AttributeValue.fromS("2026-11-20T00:00:00Z"))));
    }

    private static BigDecimal sum(JsonNode numbers) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode number : numbers) {
            sum = sum.add(number.decimalValue());
        }
        return sum;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static APIGatewayV2HTTPEvent organizationEvent(Map<String, String> query) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("organization-usage.json");
        event.setPathParameters(Map.of("orgId", ORG));
        event.setQueryStringParameters(query);
        return asManagerOf(event, ORG);
    }

    private static APIGatewayV2HTTPEvent usageEvent(String file, String workspaceId, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = ApiEvents.load(file, workspaceId, null);
        event.setQueryStringParameters(query);
        return asManagerOf(event, ORG);
    }
}
