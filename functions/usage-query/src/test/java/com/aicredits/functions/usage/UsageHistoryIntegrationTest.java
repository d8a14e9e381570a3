package com.aicredits.functions.usage;

import static com.aicredits.functions.usage.UsageQueryIntegrationTest.asManagerOf;
import static com.aicredits.functions.usage.UsageQueryIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.domain.Alert;
import com.aicredits.domain.Byos;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ItemSeeder;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** GET …/usage/history through the real handler on our DynamoDB engine, fed the real-shape event of events/. */
class UsageHistoryIntegrationTest {
    private final CreditsTable table = new CreditsTable("history");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceService workspaces = table.services(clock).workspaces();
    private final DebitService debits = table.services(clock).debits();
    private final DynamoDbAlertStore alerts = new DynamoDbAlertStore(table.client, table.name);
    private final UsageQueryHandler handler = new UsageQueryHandler(table.services(clock));

    private void workspace(String id, String organization, String tier) {
        workspaces.put(id, new WorkspaceSpec(null, organization, "Name " + id, tier, null, null, null, null, null, null, null));
    }

    private void debit(String workspaceId, String executionId, String activity, String occurredAt) {
        debits.record(workspaceId, new RecordExecution(executionId, activity, occurredAt));
    }

    @Test
    void eachMonthAgreesExactlyWithItsDebitsAndFiredThresholdsByDefaultTheLastTwelve() {
        workspace("ws-h", "org-acme", "DEV");
        debit("ws-h", "oct-1", "case.investigation", "2026-10-02T08:00:00Z");
        debit("ws-h", "oct-last", "case.conversation", "2026-10-31T23:59:59.999Z");
        debit("ws-h", "nov-first", "agent.execution", "2026-11-01T00:00:00Z");
        debit("ws-h", "nov-task", "task.execution", null);
        debit("ws-h", "nov-free", "builder.assist", null);
        alerts.claim("ws-h", Period.parse("2026-10"), Alert.threshold(90), Instant.parse("2026-10-20T00:00:00Z"));
        alerts.claim("ws-h", Period.parse("2026-10"), Alert.threshold(80), Instant.parse("2026-10-10T00:00:00Z"));
        alerts.claim("ws-h", Period.parse("2026-10"), Alert.forecast(), Instant.parse("2026-10-05T00:00:00Z"));
        alerts.claim("ws-h", Period.parse("2026-12"), Alert.threshold(80), Instant.parse("2026-11-25T00:00:00Z"));

        JsonNode history = json(send(historyEvent("ws-h", null, null, "org-acme")));

        assertThat(history.get("from").asText()).isEqualTo("2025-12");
        assertThat(history.get("to").asText()).isEqualTo("2026-11");
        JsonNode months = history.get("months");
        assertThat(months).hasSize(12);
        assertThat(months.findValuesAsText("period")).startsWith("2025-12", "2026-01").endsWith("2026-10", "2026-11");
        assertThat(months.get(10).toString()).isEqualTo("{\"period\":\"2026-10\",\"creditsAllocated\":500,\"creditsUsed\":20,"
                + "\"creditsRemaining\":480,\"percentUsed\":4.0,\"byFeature\":{\"CASE_INVESTIGATION\":12,\"CASE_CONVERSATION\":8,"
                + "\"AI_AGENT\":0,\"AI_TASK\":0},\"freeExecutions\":0,\"casesCounted\":0,"
                + "\"byosExecutions\":{\"CASE_INVESTIGATION\":0,\"CASE_CONVERSATION\":0,\"AI_AGENT\":0,\"AI_TASK\":0,\"FREE\":0},\"thresholdsReached\":[80,90]}");
        assertThat(months.get(11).toString()).isEqualTo("{\"period\":\"2026-11\",\"creditsAllocated\":500,\"creditsUsed\":7,"
                + "\"creditsRemaining\":493,\"percentUsed\":1.4,\"byFeature\":{\"CASE_INVESTIGATION\":0,\"CASE_CONVERSATION\":0,"
                + "\"AI_AGENT\":6,\"AI_TASK\":1},\"freeExecutions\":1,\"casesCounted\":0,"
                + "\"byosExecutions\":{\"CASE_INVESTIGATION\":0,\"CASE_CONVERSATION\":0,\"AI_AGENT\":0,\"AI_TASK\":0,\"FREE\":0},\"thresholdsReached\":[]}");
        // A month nobody debited: its opening allocation, nothing used, as the usage route shows it.
        assertThat(months.get(0).get("creditsAllocated").asLong()).isEqualTo(500);
        assertThat(months.get(0).get("creditsUsed").asLong()).isZero();
        assertThat(months.get(0).get("thresholdsReached")).isEmpty();
        // The same figures as GET …/usage of each month.
        for (String period : List.of("2026-10", "2026-11")) {
            JsonNode usage = json(send(usageEvent("ws-h", period)));
            JsonNode month = months.get(period.equals("2026-10") ? 10 : 11);
            for (String field : List.of("creditsAllocated", "creditsUsed", "creditsRemaining", "percentUsed", "byFeature",
                    "freeExecutions", "casesCounted", "byosExecutions", "thresholdsReached")) {
                assertThat(month.get(field)).as(period + " " + field).isEqualTo(usage.get(field));
            }
        }
    }

    @Test
    void eachMonthCountsItsRunsOnTheWorkspacesOwnModel() {
        workspaces.put("ws-own", new WorkspaceSpec(null, "org-acme", "Own model", "DEV", null, null, null, null, null, null,
                null, new Byos.Spec(true, "openai", List.of("AI_AGENT"))));
        debits.record("ws-own", new RecordExecution("oct-byos", "agent.execution", "2026-10-15T08:00:00Z", "BYOS"));
        debits.record("ws-own", new RecordExecution("nov-byos-1", "agent.execution", null, "BYOS"));
        debits.record("ws-own", new RecordExecution("nov-byos-2", "agent.execution", null, "BYOS"));
        debit("ws-own", "nov-platform", "agent.execution", null);

        JsonNode months = json(send(historyEvent("ws-own", "2026-10", "2026-11", "org-acme"))).get("months");

        assertThat(months.get(0).get("byosExecutions").get("AI_AGENT").asLong()).isEqualTo(1);
        assertThat(months.get(1).get("byosExecutions").get("AI_AGENT").asLong()).isEqualTo(2);
        assertThat(months.get(1).get("byFeature").get("AI_AGENT").asLong()).isEqualTo(6);
        assertThat(months.get(1).get("byosExecutions")).isEqualTo(json(send(usageEvent("ws-own", "2026-11"))).get("byosExecutions"));
    }

    @Test
    void aMonthWhoseMarkersHaveExpiredShowsTheThresholdsItsFinalBalanceReaches() {
        workspace("ws-old", "org-acme", "DEV");
        clock.set(Instant.parse("2025-03-10T10:00:00Z"));
        for (int i = 0; i < 38; i++) {
            debit("ws-old", "mar-" + i, "case.investigation", null); // 456 of 500: 91.2%
        }
        clock.set(Instant.parse("2026-11-25T10:00:00Z"));

        JsonNode months = json(send(historyEvent("ws-old", "2025-02", "2025-04", "org-acme"))).get("months");

        assertThat(months.findValuesAsText("period")).containsExactly("2025-02", "2025-03", "2025-04");
        assertThat(months.get(1).get("creditsUsed").asLong()).isEqualTo(456);
        assertThat(months.get(1).get("thresholdsReached").toString()).isEqualTo("[80,90]");
        assertThat(months.get(0).get("thresholdsReached")).isEmpty();
    }

    @Test
    void bothRoutesGiveOneAnswerForAMonthWhoseMarkersHaveExpired() {
        workspace("ws-old", "org-acme", "DEV");
        workspaces.put("ws-capped", new WorkspaceSpec(null, "org-acme", "Capped", "M_PARTNER", null, true, 333L, null, null,
                null, 150));
        clock.set(Instant.parse("2025-03-10T10:00:00Z"));
        for (int i = 0; i < 38; i++) {
            debit("ws-old", "mar-" + i, "case.investigation", null); // 456 of 500: 91.2%
        }
        for (int i = 0; i < 41; i++) {
            debit("ws-capped", "mar-" + i, "case.investigation", null); // 492 of 333: 147.7%, the cap 499
        }
        assertThatThrownBy(() -> debit("ws-capped", "mar-refused", "case.investigation", null))
                .hasMessageContaining("hard limit"); // marks March blocked: its 150% alert fired
        // A marker of a month kept past its 400 days may linger (the TTL deletes late) or be gone: the answer is one.
        alerts.claim("ws-old", Period.parse("2025-03"), Alert.threshold(80), Instant.parse("2025-03-05T00:00:00Z"));
        clock.set(Instant.parse("2026-11-25T10:00:00Z"));

        for (String workspaceId : List.of("ws-old", "ws-capped")) {
            JsonNode usage = json(send(usageEvent(workspaceId, "2025-03")));
            JsonNode history = json(send(historyEvent(workspaceId, "2025-03", "2025-03", "org-acme"))).get("months").get(0);
            assertThat(usage.get("thresholdsReached")).as(workspaceId).isEqualTo(history.get("thresholdsReached"));
        }
        assertThat(json(send(usageEvent("ws-old", "2025-03"))).get("thresholdsReached").toString()).isEqualTo("[80,90]");
        JsonNode capped = json(send(usageEvent("ws-capped", "2025-03")));
        assertThat(capped.get("thresholdsReached").toString()).isEqualTo("[80,90,100,120,150]");
        assertThat(capped.get("blockedAt").asText()).startsWith("2025-03-10T10:00:00");
        assertThat(json(send(usageEvent("ws-old", "2025-03"))).get("blockedAt").isNull()).isTrue();
    }

    @Test
    void everyAuthorizationCase() {
        workspace("ws-mine", "org-acme", "DEV");
        APIGatewayV2HTTPEvent anonymous = historyEvent("ws-mine", null, null, "org-acme");
        anonymous.getRequestContext().setAuthorizer(null);
        APIGatewayV2HTTPEvent service = historyEvent("ws-mine", null, null, "org-acme");
        service.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", "svc", "scope", "credits/record"));

        assertThat(send(anonymous).getStatusCode()).isEqualTo(401);
        assertThat(send(service).getStatusCode()).isEqualTo(403);
        APIGatewayV2HTTPResponse existingElsewhere = send(historyEvent("ws-mine", null, null, "org-other"));
        APIGatewayV2HTTPResponse missing = send(historyEvent("ws-nowhere", null, null, "org-other"));
        assertThat(existingElsewhere.getStatusCode()).isEqualTo(404);
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(existingElsewhere.getBody()).isEqualTo(missing.getBody().replace("ws-nowhere", "ws-mine"));
        assertThat(send(historyEvent("ws-mine", null, null, "org-acme")).getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "from={0} to={1}")
    @CsvSource(nullValues = "none", value = {
            "2026-13,none", "none,2026-00", "nov,none", "none,2026-11-01", "2026-1,none", "' 2026-11',none",
            "none,2026-12", "2026-11,2026-10", "2024-11,2026-11", "2024-10,none", "2999-12,none"})
    void badRangesAreBadRequests(String from, String to) {
        workspace("ws-bad", "org-acme", "DEV");

        APIGatewayV2HTTPResponse response = send(historyEvent("ws-bad", from, to, "org-acme"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).as(response.getBody()).startsWith("invalid_");
        assertThat(json(response).at("/error/message").asText()).isNotBlank();
    }

    @Test
    void unknownParametersAndABodyAreBadRequestsAndTwentyFourMonthsAreNot() {
        workspace("ws-q", "org-acme", "DEV");
        APIGatewayV2HTTPEvent period = historyEvent("ws-q", null, null, "org-acme");
        period.setQueryStringParameters(Map.of("period", "2026-11"));
        APIGatewayV2HTTPEvent body = historyEvent("ws-q", null, null, "org-acme");
        body.setBody("{\"from\":\"2026-01\"}");
        body.getHeaders().put("content-type", "application/json");

        assertThat(json(send(period)).at("/error/code").asText()).isEqualTo("unknown_parameter");
        assertThat(json(send(body)).at("/error/code").asText()).isEqualTo("unexpected_body");
        JsonNode longest = json(send(historyEvent("ws-q", "2024-12", "2026-11", "org-acme")));
        assertThat(longest.get("months")).hasSize(24);
        assertThat(json(send(historyEvent("ws-q", "2026-11", "2026-11", "org-acme"))).get("months")).hasSize(1);
    }

    @Test
    void theHistoryReadsOneBatchGetAndOneQueryAtOneTwelveAndTwentyFourMonthsHoweverManyRecords() {
        workspace("ws-small", "org-acme", "ELITE_PLUS");
        workspace("ws-big", "org-acme", "ELITE_PLUS");
        for (int i = 0; i < 10; i++) {
            debit("ws-small", "s" + i, "task.execution", null);
            debit("ws-big", "b" + i, "task.execution", null);
        }
        // 9,990 more records of ws-big this month, copies of its last one: only their number matters to the read.
        Map<String, AttributeValue> last = table.record("ws-big", "b9");
        ItemSeeder.write(table.client, table.name, "history test: seed 9,990 records", 9_990, 4,
                i -> List.of(ItemSeeder.recordCopy(last, "ws-big", "b9", "bulk-" + i, Period.parse("2026-11"), 11 + i, Map.of())));

        Map<String, Object> costs = new LinkedHashMap<>();
        for (String from : List.of("2026-11", "2025-12", "2024-12")) {
            Read small = read("ws-small", from);
            Read big = read("ws-big", from);
            assertThat(big).as("from " + from).isEqualTo(small);
            assertThat(small.calls()).as("from " + from).isEqualTo(Map.of("BatchGetItem", 1, "Query", 1));
            costs.put(from, small);
        }
        System.out.printf("bench: usage history read cost at 1, 12 and 24 months, the same at 10 and 10,000 records: %s%n", costs);
    }

    record Read(Map<String, Integer> calls, int itemsRead, double readUnits) {
    }

    private Read read(String workspaceId, String from) {
        table.calls.reset();
        assertThat(send(historyEvent(workspaceId, from, "2026-11", "org-acme")).getStatusCode()).isEqualTo(200);
        return new Read(table.calls.snapshot(), table.calls.itemsRead(), table.calls.readUnitsByRules());
    }

    private APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    static APIGatewayV2HTTPEvent historyEvent(String workspaceId, String from, String to, String callerOrg) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("usage-history.json", workspaceId, null);
        Map<String, String> query = new HashMap<>();
        if (from != null) {
            query.put("from", from);
        }
        if (to != null) {
            query.put("to", to);
        }
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        return asManagerOf(event, callerOrg);
    }

    private static APIGatewayV2HTTPEvent usageEvent(String workspaceId, String period) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("workspace-usage.json", workspaceId, null);
        event.setQueryStringParameters(Map.of("period", period));
        return asManagerOf(event, "org-acme");
    }
}
