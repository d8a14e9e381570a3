package com.aicredits.functions.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.json.Json;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PUT and GET /v1/workspaces/{workspaceId} through the real handler on our DynamoDB engine. */
class WorkspaceAdminIntegrationTest {
    private final CreditsTable table = new CreditsTable("workspaces");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(table.services(clock));

    @Test
    void putCreatesThenUpdatesAndGetReturnsTheWorkspaceShape() {
        APIGatewayV2HTTPResponse created = handler.handleRequest(ApiEvents.load("put-workspace.json"), null);
        APIGatewayV2HTTPResponse again = handler.handleRequest(ApiEvents.load("put-workspace.json"), null);
        APIGatewayV2HTTPResponse updated = put("ws-acme-prod", Map.of("organizationId", "org-acme", "name", "Acme Partner",
                "tier", "M_PARTNER", "monthlyCredits", 7_500, "thresholds", List.of(95, 50), "agentInstanceLimit", 40));
        APIGatewayV2HTTPResponse fetched = handler.handleRequest(ApiEvents.load("get-workspace.json"), null);

        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getBody()).isEqualTo(created.getBody());
        assertThat(json(created)).isEqualTo(json("{\"workspaceId\":\"ws-acme-prod\",\"organizationId\":\"org-acme\","
                + "\"name\":\"Acme Production\",\"tier\":\"PRO\",\"pricingModel\":\"EXTEND\",\"casesEnabled\":true,"
                + "\"notificationEmails\":[\"secops-lead@acme.example\"],\"hardLimitPercent\":200}"));
        assertThat(updated.getStatusCode()).isEqualTo(200);
        assertThat(fetched.getStatusCode()).isEqualTo(200);
        JsonNode workspace = json(fetched);
        assertThat(workspace.get("tier").asText()).isEqualTo("M_PARTNER");
        assertThat(workspace.get("monthlyCredits").asLong()).isEqualTo(7_500);
        assertThat(workspace.get("thresholds").toString()).isEqualTo("[50,95]");
        assertThat(workspace.get("agentInstanceLimit").asInt()).isEqualTo(40);
        assertThat(workspace.get("notificationEmails").size()).isZero();
        assertThat(workspace.get("casesEnabled").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{}|201", "' { \n } '|201", "{\"agentId\":\"x\"}|400", "[]|400", "null|400"})
    void anEmptyJsonObjectCountsAsNoBodyWhereARouteTakesNone(String body, int status) {
        handler.handleRequest(ApiEvents.load("put-workspace.json"), null);

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("register-agent.json", "ws-acme-prod", body), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        if (status == 400) {
            assertThat(json(response).at("/error/code").asText()).isEqualTo("unexpected_body");
        }
    }

    @Test
    void anUnknownWorkspaceIsNotFound() {
        APIGatewayV2HTTPEvent event = ApiEvents.load("get-workspace.json", "ws-nobody", null);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("not_found");
    }

    @Test
    void aWorkspaceCannotMoveToAnotherOrganization() {
        put("ws-mover", Map.of("organizationId", "org-a", "name", "Mover", "tier", "DEV"));

        APIGatewayV2HTTPResponse moved = put("ws-mover", Map.of("organizationId", "org-b", "name", "Mover", "tier", "DEV"));

        assertThat(moved.getStatusCode()).isEqualTo(409);
        assertThat(json(moved).at("/error/code").asText()).isEqualTo("organization_immutable");
    }

    @Test
    void theServiceScopeCannotAdministerWorkspaces() {
        APIGatewayV2HTTPEvent event = ApiEvents.load("get-workspace.json");
        event.getRequestContext().getAuthorizer().getJwt().setScopes(List.of("credits/record"));
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", "svc", "scope", "credits/record"));

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(403);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing tier                 | {"organizationId":"o","name":"n"}                                              | tier is required
            unknown tier                 | {"organizationId":"o","name":"n","tier":"GOLD"}                                | tier must be one of
            lower-case tier              | {"organizationId":"o","name":"n","tier":"pro"}                                 | tier must be one of
            missing organization         | {"name":"n","tier":"DEV"}                                                      | organizationId is required
            organization with #          | {"organizationId":"o#1","name":"n","tier":"DEV"}                               | organizationId must be
            blank name                   | {"organizationId":"o","name":"  ","tier":"DEV"}                                | name is required
            partner without credits      | {"organizationId":"o","name":"n","tier":"M_PARTNER"}                           | monthlyCredits is required
            credits on a fixed tier      | {"organizationId":"o","name":"n","tier":"PRO","monthlyCredits":9}              | applies only to tier M_PARTNER
            zero partner credits         | {"organizationId":"o","name":"n","tier":"M_PARTNER","monthlyCredits":0}        | monthlyCredits must be between
            hard limit below 100         | {"organizationId":"o","name":"n","tier":"DEV","hardLimitPercent":99}           | hardLimitPercent must be between
            hard limit as text           | {"organizationId":"o","name":"n","tier":"DEV","hardLimitPercent":"200"}        | wrong type
            fractional hard limit        | {"organizationId":"o","name":"n","tier":"DEV","hardLimitPercent":150.5}        | wrong type
            bad email                    | {"organizationId":"o","name":"n","tier":"DEV","notificationEmails":["nobody"]} | email addresses
            repeated threshold           | {"organizationId":"o","name":"n","tier":"DEV","thresholds":[80,80]}            | must not repeat
            zero threshold               | {"organizationId":"o","name":"n","tier":"DEV","thresholds":[0]}                | between 1 and
            casesEnabled as text         | {"organizationId":"o","name":"n","tier":"DEV","casesEnabled":"yes"}            | wrong type
            unknown pricing model        | {"organizationId":"o","name":"n","tier":"DEV","pricingModel":"FLAT"}           | pricingModel must be one of
            unknown field                | {"organizationId":"o","name":"n","tier":"DEV","credits":5}                     | unknown field 'credits'
            other workspaceId in body    | {"workspaceId":"x","organizationId":"o","name":"n","tier":"DEV"}               | differs from the path
            byos unknown provider        | {"organizationId":"o","name":"n","tier":"DEV","byos":{"enabled":true,"provider":"mistral","features":["AI_AGENT"]}} | byos.provider must be one of
            byos enabled, no provider    | {"organizationId":"o","name":"n","tier":"DEV","byos":{"enabled":true,"features":["AI_AGENT"]}} | byos.provider must be one of
            byos unknown feature         | {"organizationId":"o","name":"n","tier":"DEV","byos":{"enabled":true,"provider":"openai","features":["AI_CHAT"]}} | byos.features must name features
            byos enabled, no features    | {"organizationId":"o","name":"n","tier":"DEV","byos":{"enabled":true,"provider":"openai","features":[]}} | at least one feature
            byos repeated feature        | {"organizationId":"o","name":"n","tier":"DEV","byos":{"enabled":true,"provider":"openai","features":["AI_TASK","AI_TASK"]}} | must not repeat
            byos without enabled         | {"organizationId":"o","name":"n","tier":"DEV","byos":{"provider":"openai","features":["AI_TASK"]}} | byos.enabled is required
            byos unknown field           | {"organizationId":"o","name":"n","tier":"DEV","byos":{"enabled":false,"apiKey":"sk-1"}} | unknown field 'apiKey'
            """)
    void aBadWorkspaceIsRefusedAndNothingIsWritten(String description, String body, String message) {
        long items = table.itemCount();

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("put-workspace.json", "ws-bad", body), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains(message);
        assertThat(table.itemCount()).isEqualTo(items);
    }

    @Test
    void theByosSettingIsStoredShownAndMovesTheOpenBalances() {
        Map<String, Object> byos = Map.of("enabled", true, "provider", "azure-openai", "features", List.of("AI_AGENT", "AI_TASK"));
        APIGatewayV2HTTPResponse created = put("ws-byos", Map.of("organizationId", "org-a", "name", "Own model", "tier", "DEV",
                "byos", byos));
        table.services(clock).debits().record("ws-byos", new com.aicredits.service.RecordExecution("run-1", "agent.execution", null, "BYOS"));
        APIGatewayV2HTTPResponse disabled = put("ws-byos", Map.of("organizationId", "org-a", "name", "Own model", "tier", "DEV",
                "byos", Map.of("enabled", false, "features", List.of())));
        APIGatewayV2HTTPResponse fetched = handler.handleRequest(ApiEvents.load("get-workspace.json", "ws-byos", null), null);

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(json(created).get("byos")).isEqualTo(json(Json.write(byos)));
        assertThat(disabled.getStatusCode()).isEqualTo(200);
        assertThat(json(fetched).get("byos").toString()).isEqualTo("{\"enabled\":false,\"features\":[]}");
        assertThat(table.item("WS#ws-byos", "BALANCE#2026-11").get("byosFeatures").l()).as("the open balance follows").isEmpty();
        assertThat(table.item("WS#ws-byos", "BALANCE#2026-11").get("byos_AI_AGENT").n()).as("the runs stay counted").isEqualTo("1");
    }

    private APIGatewayV2HTTPResponse put(String workspaceId, Map<String, Object> body) {
        return handler.handleRequest(ApiEvents.load("put-workspace.json", workspaceId, Json.write(body)), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        return json(response.getBody());
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
