package com.aicredits.functions.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Credits;
import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.domain.Caller;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.UsageService;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.AmendedCatalog;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The read side through the real handler on our DynamoDB engine, fed the real-shape events of events/. */
class UsageQueryIntegrationTest {
    private final CreditsTable table = new CreditsTable("usage");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceService workspaces = table.services(clock).workspaces();
    private final DebitService debits = table.services(clock).debits();
    private final UsageQueryHandler handler = new UsageQueryHandler(table.services(clock));

    private void workspace(String id, String organization, String tier) {
        workspaces.put(id, new WorkspaceSpec(null, organization, "Name " + id, tier, null, null, null, null, null, null, null));
    }

    private String debit(String workspaceId, String executionId, String activity, String occurredAt) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, occurredAt)).body();
    }

    @Test
    void theUsageOfAWorkspaceCreatedAMomentAgoIsNotA404WhereReadsAreStale() {
        // Every eventually consistent read is served as the table stood seconds ago: it misses the new workspace.
        ProductionSemantics semantics = new ProductionSemantics(new ProductionSemantics.Settings(
                ProductionSemantics.Settings.forTests().seed(), 100, java.time.Duration.ofSeconds(10), java.time.Duration.ZERO, 0, 0));
        CreditsTable stale = new CreditsTable("usage-stale", semantics);
        stale.services(clock).workspaces().put("ws-fresh", new WorkspaceSpec(null, "org-fresh", "Fresh", "DEV",
                null, null, null, null, null, null, null));
        UsageService usage = stale.services(clock).usage();

        UsageService.WorkspaceUsage fresh = usage.workspaceUsage(new Caller("manager", java.util.Set.of(),
                java.util.Set.of(UsageService.MANAGER_ROLE), "org-fresh"), "ws-fresh", "2026-11");

        assertThat(fresh.creditsAllocated()).as(semantics.stats().toString()).isEqualTo(Credits.of(500));
        assertThat(semantics.stats().readsMissingNewItem()).isPositive();
    }

    @Test
    void workspaceUsageAgreesExactlyWithTheDebitsIncludingTheMonthBoundaryAndFreeRuns() {
        workspace("ws-u", "org-acme", "DEV");
        debit("ws-u", "oct-last", "case.investigation", "2026-10-31T23:59:59.999Z");
        debit("ws-u", "nov-first", "agent.execution", "2026-11-01T00:00:00Z");
        debit("ws-u", "nov-3a", "task.execution", "2026-11-03T08:00:00Z");
        debit("ws-u", "nov-3b", "case.conversation", "2026-11-03T09:00:00Z");
        debit("ws-u", "nov-free", "builder.assist", "2026-11-04T09:00:00Z");
        debit("ws-u", "nov-25", "case.investigation", null);

        JsonNode november = json(send(usageEvent("ws-u", "2026-11", "org-acme")));
        JsonNode october = json(send(usageEvent("ws-u", "2026-10", "org-acme")));

        assertThat(november.get("creditsUsed").asLong()).isEqualTo(6 + 1 + 8 + 12);
        assertThat(november.get("creditsAllocated").asLong()).isEqualTo(500);
        assertThat(november.get("creditsRemaining").asLong()).isEqualTo(473);
        assertThat(november.get("percentUsed").asDouble()).isEqualTo(5.4);
        assertThat(november.get("hardLimitCredits").asLong()).isEqualTo(1_000);
        assertThat(november.get("byFeature").toString())
                .isEqualTo("{\"CASE_INVESTIGATION\":12,\"CASE_CONVERSATION\":8,\"AI_AGENT\":6,\"AI_TASK\":1}");
        assertThat(november.get("freeExecutions").asLong()).isEqualTo(1);
        JsonNode daily = november.get("daily");
        assertThat(daily).hasSize(25);
        assertThat(daily.get(0).toString()).isEqualTo("{\"date\":\"2026-11-01\",\"credits\":6,\"cumulative\":6}");
        assertThat(daily.get(2).toString()).isEqualTo("{\"date\":\"2026-11-03\",\"credits\":9,\"cumulative\":15}");
        assertThat(daily.get(24).toString()).isEqualTo("{\"date\":\"2026-11-25\",\"credits\":12,\"cumulative\":27}");
        assertThat(november.get("forecast").get("projectedUsed").asLong()).isEqualTo(Math.round(27 / (24 + 10 / 24.0) * 30));
        assertThat(november.get("forecast").get("tooEarly").asBoolean()).isFalse();
        assertThat(october.get("creditsUsed").asLong()).isEqualTo(12);
        assertThat(october.get("daily")).hasSize(31);
        assertThat(october.get("daily").get(30).get("cumulative").asLong()).isEqualTo(12);
        assertThat(october.get("forecast").get("runsOutOn").isNull()).isTrue();
    }

    @Test
    void inThePeriodsFirstTwentyFourHoursTheForecastSaysItIsTooEarly() {
        workspace("ws-early", "org-acme", "DEV");
        clock.set(Instant.parse("2026-12-01T07:00:00Z"));
        debit("ws-early", "early-1", "case.investigation", "2026-12-01T06:00:00Z");

        JsonNode forecast = json(send(usageEvent("ws-early", null, "org-acme"))).get("forecast");

        assertThat(forecast.toString()).isEqualTo("{\"projectedUsed\":null,\"runsOutOn\":null,\"tooEarly\":true}");
        clock.set(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(json(send(usageEvent("ws-early", null, "org-acme"))).get("forecast").toString())
                .isEqualTo("{\"projectedUsed\":372,\"runsOutOn\":null,\"tooEarly\":false}");
    }

    @Test
    void aPeriodNobodyDebitedShowsTheFullAllocation() {
        workspace("ws-quiet", "org-acme", "PRO");

        JsonNode usage = json(send(usageEvent("ws-quiet", null, "org-acme")));

        assertThat(usage.get("period").asText()).isEqualTo("2026-11");
        assertThat(usage.get("creditsAllocated").asLong()).isEqualTo(5_000);
        assertThat(usage.get("creditsRemaining").asLong()).isEqualTo(5_000);
        assertThat(usage.get("creditsUsed").asLong()).isZero();
        assertThat(usage.get("daily")).hasSize(25);
        assertThat(usage.get("thresholdsReached")).isEmpty();
    }

    @Test
    void executionsPageNewestFirstAndReturnEveryRecordOnceAsTheDebitReturnedIt() {
        workspace("ws-pages", "org-acme", "ESSENTIAL");
        Map<String, String> bodies = new HashMap<>();
        for (int i = 0; i < 23; i++) {
            bodies.put("run-" + i, debit("ws-pages", "run-" + i, "task.execution", null));
        }
        List<JsonNode> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            APIGatewayV2HTTPResponse response = send(executionsEvent("ws-pages", Map.of("limit", "5"), cursor));
            assertThat(response.getStatusCode()).isEqualTo(200);
            JsonNode page = json(response);
            page.get("items").forEach(seen::add);
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).hasSize(23);
        assertThat(seen.stream().map(r -> r.get("sequence").asLong()).toList())
                .isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        for (JsonNode record : seen) {
            assertThat(record.toString()).isEqualTo(bodies.get(record.get("executionId").asText()));
        }
    }

    @Test
    void organizationUsageHasOneRowPerWorkspaceOfThatOrganization() {
        workspace("ws-o1", "org-rows", "DEV");
        workspace("ws-o2", "org-rows", "PRO");
        workspace("ws-other", "org-else", "PRO");
        debit("ws-o1", "a", "case.investigation", null);

        JsonNode rows = json(send(organizationEvent("org-rows", "org-rows", Map.of()))).get("items");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("workspaceId").asText()).isEqualTo("ws-o1");
        assertThat(rows.get(0).get("creditsUsed").asLong()).isEqualTo(12);
        assertThat(rows.get(0).get("byFeature").get("CASE_INVESTIGATION").asLong()).isEqualTo(12);
        assertThat(rows.get(1).get("creditsAllocated").asLong()).isEqualTo(5_000);
    }

    @Test
    void byosRunsAreCountedByFeatureInUsageAndInTotalOnTheOrganizationRows() {
        workspaces.put("ws-own", new WorkspaceSpec(null, "org-byos", "Own model", "DEV", null, null, null, null, null, null,
                null, new com.aicredits.domain.Byos.Spec(true, "anthropic", List.of("AI_AGENT", "AI_TASK"))));
        workspace("ws-plain", "org-byos", "DEV");
        debit("ws-own", "p-1", "agent.execution", null);
        for (String id : List.of("b-1", "b-2", "b-3")) {
            debits.record("ws-own", new RecordExecution(id, "agent.execution", null, "BYOS"));
        }
        debits.record("ws-own", new RecordExecution("b-4", "task.execution", null, "BYOS"));

        JsonNode usage = json(send(usageEvent("ws-own", null, "org-byos")));
        JsonNode rows = json(send(organizationEvent("org-byos", "org-byos", Map.of()))).get("items");

        assertThat(usage.get("creditsUsed").asLong()).isEqualTo(6);
        assertThat(usage.get("byFeature").get("AI_AGENT").asLong()).isEqualTo(6);
        assertThat(usage.get("byosExecutions").toString())
                .isEqualTo("{\"CASE_INVESTIGATION\":0,\"CASE_CONVERSATION\":0,\"AI_AGENT\":3,\"AI_TASK\":1,\"FREE\":0}");
        assertThat(rows.get(0).get("byosExecutions").asLong()).isEqualTo(4);
        assertThat(rows.get(1).get("byosExecutions").asLong()).isZero();
        JsonNode records = json(send(executionsEvent("ws-own", Map.of(), null, "org-byos"))).get("items");
        assertThat(records.findValuesAsText("model")).containsExactly("BYOS", "BYOS", "BYOS", "BYOS", "PLATFORM");
    }

    @Test
    void everyAuthorizationCase() {
        workspace("ws-mine", "org-acme", "DEV");
        APIGatewayV2HTTPEvent anonymous = usageEvent("ws-mine", null, "org-acme");
        anonymous.getRequestContext().setAuthorizer(null);
        APIGatewayV2HTTPEvent service = usageEvent("ws-mine", null, "org-acme");
        service.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", "svc", "scope", "credits/record"));

        assertThat(send(anonymous).getStatusCode()).isEqualTo(401);
        assertThat(send(service).getStatusCode()).isEqualTo(403);
        APIGatewayV2HTTPResponse existingElsewhere = send(usageEvent("ws-mine", null, "org-other"));
        APIGatewayV2HTTPResponse missing = send(usageEvent("ws-nowhere", null, "org-other"));
        assertThat(existingElsewhere.getStatusCode()).isEqualTo(404);
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(existingElsewhere.getBody()).isEqualTo(missing.getBody().replace("ws-nowhere", "ws-mine"));
        assertThat(send(executionsEvent("ws-mine", Map.of(), null, "org-other")).getStatusCode()).isEqualTo(404);
        assertThat(send(organizationEvent("org-acme", "org-other", Map.of())).getStatusCode()).isEqualTo(404);
        APIGatewayV2HTTPEvent pricing = ApiEvents.load("pricing.json");
        pricing.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", "svc", "scope", "credits/record"));
        assertThat(send(pricing).getStatusCode()).isEqualTo(200);
        assertThat(json(send(pricing)).get("activities")).hasSize(6);
    }

    @Test
    void pricingShowsTheVersionInForceAndTheNextOneWhenScheduled() {
        UsageQueryHandler amended = new UsageQueryHandler(table.services(clock).withCatalog(AmendedCatalog.fromDecember()));

        JsonNode november = json(amended.handleRequest(ApiEvents.load("pricing.json"), null));
        clock.set(AmendedCatalog.EFFECTIVE);
        JsonNode december = json(amended.handleRequest(ApiEvents.load("pricing.json"), null));

        assertThat(november.get("version").asText()).isEqualTo("2026-01-01");
        assertThat(november.at("/next/version").asText()).isEqualTo(AmendedCatalog.VERSION);
        assertThat(november.at("/next/effectiveFrom").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(november.at("/next/activities").findValuesAsText("activity")).contains("agent.deep-research");
        assertThat(november.at("/activities/2").toString()).as("both prices per activity").contains("\"credits\":6,\"byosCredits\":0");
        assertThat(december.at("/activities/2").toString()).contains("\"credits\":6,\"byosCredits\":" + AmendedCatalog.AGENT_BYOS_FEE);
        assertThat(december.get("version").asText()).isEqualTo(AmendedCatalog.VERSION);
        assertThat(december.has("next")).isFalse();
        assertThat(json(send(ApiEvents.load("pricing.json"))).has("next")).as("the deployed catalog has none scheduled").isFalse();
    }

    @Test
    void underLegacyPricingUsageCountsCasesAndDebitsOnlyTasksAndAgents() {
        workspaces.put("ws-legacy", new WorkspaceSpec(null, "org-acme", "Legacy", "DEV", "LEGACY", null, null, null, null, null, null));
        debit("ws-legacy", "inv-1", "case.investigation", null);
        debit("ws-legacy", "conv-1", "case.conversation", null);
        debit("ws-legacy", "agent-1", "agent.execution", null);
        debit("ws-legacy", "task-1", "task.execution", null);

        JsonNode usage = json(send(usageEvent("ws-legacy", null, "org-acme")));

        assertThat(usage.get("casesCounted").asLong()).isEqualTo(2);
        assertThat(usage.get("creditsUsed").asLong()).isEqualTo(7);
        assertThat(usage.at("/byFeature/CASE_INVESTIGATION").asLong()).isZero();
        assertThat(usage.at("/byFeature/CASE_CONVERSATION").asLong()).isZero();
        assertThat(usage.at("/byFeature/AI_AGENT").asLong()).isEqualTo(6);
        JsonNode records = json(send(executionsEvent("ws-legacy", Map.of(), null)));
        assertThat(records.get("items").findValues("creditsConsumed")).extracting(JsonNode::asLong).containsExactly(1L, 6L, 0L, 0L);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"period,2026-13", "period,nov", "period,2026-12", "limit,0", "limit,501", "limit,ten", "limit,1.5",
            "cursor,not-a-cursor", "cursor,eyJmb28iOiJiYXIifQ"})
    void badQueriesAreBadRequests(String parameter, String value) {
        workspace("ws-bad-q", "org-acme", "DEV");

        APIGatewayV2HTTPResponse response = send(executionsEvent("ws-bad-q", Map.of(parameter, value), null));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
    }

    @Test
    void aCursorFromAnotherWorkspaceIsRefused() {
        workspace("ws-c1", "org-acme", "DEV");
        workspace("ws-c2", "org-acme", "DEV");
        for (int i = 0; i < 3; i++) {
            debit("ws-c1", "c" + i, "task.execution", null);
        }
        String cursor = json(send(executionsEvent("ws-c1", Map.of("limit", "1"), null))).get("nextCursor").asText();

        assertThat(send(executionsEvent("ws-c2", Map.of("limit", "1"), cursor)).getStatusCode()).isEqualTo(400);
    }

    @Test
    void usageReadsTheSameFewItemsAtTenAndAtTenThousandExecutions() {
        workspace("ws-small", "org-acme", "ELITE_PLUS");
        workspace("ws-big", "org-acme", "ELITE_PLUS");
        for (int i = 0; i < 10; i++) {
            debit("ws-small", "s" + i, "task.execution", null);
            debit("ws-big", "b" + i, "task.execution", null);
        }
        // 9,990 more ledger items for ws-big, written in bulk: only their number matters to the read cost.
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 9_990; i++) {
            Map<String, AttributeValue> item = new HashMap<>(Keys.execution("ws-big", "bulk-" + i));
            item.put(Keys.GSI1PK, AttributeValue.fromS(Keys.ledgerGsiPk("ws-big", Period.parse("2026-11"), 100 + i)));
            item.put(Keys.GSI1SK, AttributeValue.fromS(Keys.ledgerGsiSk(100 + i)));
            item.put("body", AttributeValue.fromS("{}"));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25) {
                List<WriteRequest> items = List.copyOf(batch);
                table.client.batchWriteItem(b -> b.requestItems(Map.of(table.name, items)));
                batch.clear();
            }
        }

        double small = readCost("ws-small");
        Map<String, Integer> smallCalls = table.calls.snapshot();
        double big = readCost("ws-big");
        Map<String, Integer> bigCalls = table.calls.snapshot();

        assertThat(bigCalls).isEqualTo(smallCalls);
        assertThat(big).isEqualTo(small);
        System.out.printf("bench: usage read cost: %s, %.1f read units at 10 and at 10,000 executions%n", bigCalls, big);
    }

    private double readCost(String workspaceId) {
        table.calls.reset();
        assertThat(send(usageEvent(workspaceId, null, "org-acme")).getStatusCode()).isEqualTo(200);
        return table.calls.readCapacity();
    }

    private APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    private static APIGatewayV2HTTPEvent usageEvent(String workspaceId, String period, String callerOrg) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("workspace-usage.json", workspaceId, null);
        event.setQueryStringParameters(period == null ? null : Map.of("period", period));
        return asManagerOf(event, callerOrg);
    }

    private static APIGatewayV2HTTPEvent executionsEvent(String workspaceId, Map<String, String> query, String cursor) {
        return executionsEvent(workspaceId, query, cursor, "org-acme");
    }

    private static APIGatewayV2HTTPEvent executionsEvent(String workspaceId, Map<String, String> query, String cursor, String org) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("list-executions.json", workspaceId, null);
        Map<String, String> parameters = new HashMap<>(query);
        if (cursor != null) {
            parameters.put("cursor", cursor);
        }
        event.setQueryStringParameters(parameters);
        return asManagerOf(event, org);
    }

    private static APIGatewayV2HTTPEvent organizationEvent(String organizationId, String callerOrg, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("organization-usage.json");
        event.setPathParameters(Map.of("orgId", organizationId));
        event.setQueryStringParameters(query);
        return asManagerOf(event, callerOrg);
    }

    static APIGatewayV2HTTPEvent asManagerOf(APIGatewayV2HTTPEvent event, String organizationId) {
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("org_id", organizationId);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.MAPPER.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(response.getBody(), e);
        }
    }
}
