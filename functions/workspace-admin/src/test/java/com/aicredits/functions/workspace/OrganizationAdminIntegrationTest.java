package com.aicredits.functions.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PUT and GET /v1/organizations/{orgId} and the pool's add-ons (POST and GET …/addons) through the real handler on our
 * DynamoDB engine, every exchange checked against openapi.yaml; debits through the real service.
 */
class OrganizationAdminIntegrationTest {
    private static final String POOL = "{\"enabled\":true,\"notificationEmails\":[\"finance@acme.example\"]}";
    private final CreditsTable table = new CreditsTable("organizations");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(table.services(clock));
    private final DebitService debits = table.services(clock).debits();

    @Test
    void putCreatesThenUpdatesAndGetReturnsTheOrganizationShape() {
        APIGatewayV2HTTPResponse created = handler.handleRequest(ApiEvents.load("put-organization.json"), null);
        APIGatewayV2HTTPResponse again = handler.handleRequest(ApiEvents.load("put-organization.json"), null);
        APIGatewayV2HTTPResponse updated = put("org-acme", "{\"organizationId\":\"org-acme\",\"name\":\"Acme Group\","
                + "\"creditPool\":{\"enabled\":false,\"thresholds\":[90,50]}}");
        APIGatewayV2HTTPResponse fetched = handler.handleRequest(ApiEvents.load("get-organization.json"), null);

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(json(created)).isEqualTo(json("{\"organizationId\":\"org-acme\",\"name\":\"Acme\",\"creditPool\":{"
                + "\"enabled\":true,\"monthlyCredits\":20000,\"hardLimitPercent\":150,\"thresholds\":[80,100],"
                + "\"notificationEmails\":[\"finance@acme.example\"]}}"));
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getBody()).isEqualTo(created.getBody());
        assertThat(updated.getStatusCode()).as(updated.getBody()).isEqualTo(200);
        assertThat(fetched.getStatusCode()).isEqualTo(200);
        assertThat(json(fetched)).isEqualTo(json("{\"organizationId\":\"org-acme\",\"name\":\"Acme Group\",\"creditPool\":{"
                + "\"enabled\":false,\"thresholds\":[50,90],\"notificationEmails\":[]}}"));
    }

    @Test
    void anOrganizationWithoutAPoolShowsNoneAndItsWorkspacesKeepTheirOwnAllocation() {
        workspace("ws-alone", "org-plain");
        APIGatewayV2HTTPResponse created = put("org-plain", "{\"name\":\"Plain\",\"creditPool\":null}");

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(json(created)).isEqualTo(json("{\"organizationId\":\"org-plain\",\"name\":\"Plain\"}"));
        JsonNode record = json(debit("ws-alone", "run-1"));
        assertThat(record.has("pool")).isFalse();
        assertThat(record.get("creditsAllocated").asLong()).isEqualTo(500);
    }

    @Test
    void enablingThePoolMakesEveryWorkspaceOfTheOrganizationDrawFromIt() {
        workspace("ws-a", "org-pool");
        workspace("ws-b", "org-pool");
        debit("ws-a", "before");
        // The switch finds the organization's workspaces in an index, eventually consistent on DynamoDB.
        ProductionSemantics.waitOutLag();

        assertThat(put("org-pool", "{\"name\":\"Pooled\",\"creditPool\":" + POOL + "}").getStatusCode()).isEqualTo(201);

        JsonNode record = json(debit("ws-b", "pooled"));
        assertThat(record.get("pool").asText()).isEqualTo("organization");
        assertThat(record.get("creditsAllocated").asLong()).isEqualTo(1_000);
        assertThat(record.get("creditsUsed").asLong()).as("the pool starts with what its workspaces used").isEqualTo(2);
    }

    @Test
    void anUnknownOrganizationIsNotFoundOnEveryRoute() {
        for (APIGatewayV2HTTPEvent event : List.of(ApiEvents.forOrganization("get-organization.json", "org-nobody", null),
                ApiEvents.forOrganization("list-pool-addons.json", "org-nobody", null),
                ApiEvents.forOrganization("buy-pool-addon.json", "org-nobody", purchase("po-1", 10_000, "MONTHLY")))) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

            assertThat(response.getStatusCode()).as(event.getRouteKey()).isEqualTo(404);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("not_found");
            assertThat(json(response).at("/error/message").asText()).isEqualTo("organization org-nobody does not exist");
        }
        assertThat(table.itemCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"put-organization.json", "get-organization.json", "buy-pool-addon.json", "list-pool-addons.json"})
    void theServiceScopeCannotAdministerOrganizations(String eventFile) {
        APIGatewayV2HTTPEvent event = ApiEvents.load(eventFile);
        event.getRequestContext().getAuthorizer().getJwt().setScopes(List.of("credits/record"));
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", "svc", "scope", "credits/record"));

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(table.itemCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                       | {"name":"n",                                                        | body
            an array                       | []                                                                  | JSON object
            missing name                   | {"creditPool":{"enabled":false}}                                    | name is required
            blank name                     | {"name":"  "}                                                       | name is required
            other organizationId in body   | {"organizationId":"org-other","name":"n"}                           | differs from the path
            unknown field                  | {"name":"n","credits":5}                                            | unknown field 'credits'
            unknown field in the pool      | {"name":"n","creditPool":{"enabled":true,"budget":5}}               | unknown field 'budget'
            pool without enabled           | {"name":"n","creditPool":{"monthlyCredits":5000}}                   | creditPool.enabled is required
            enabled as text                | {"name":"n","creditPool":{"enabled":"yes"}}                         | wrong type
            pool as a list                 | {"name":"n","creditPool":[true]}                                    | wrong type
            zero monthly credits           | {"name":"n","creditPool":{"enabled":true,"monthlyCredits":0}}       | creditPool.monthlyCredits must be between
            too many monthly credits       | {"name":"n","creditPool":{"enabled":true,"monthlyCredits":100000001}} | creditPool.monthlyCredits must be between
            fractional monthly credits     | {"name":"n","creditPool":{"enabled":true,"monthlyCredits":10.5}}    | wrong type
            hard limit below 100           | {"name":"n","creditPool":{"enabled":true,"hardLimitPercent":99}}    | creditPool.hardLimitPercent must be between
            hard limit above 1000          | {"name":"n","creditPool":{"enabled":true,"hardLimitPercent":1001}}  | creditPool.hardLimitPercent must be between
            hard limit as text             | {"name":"n","creditPool":{"enabled":true,"hardLimitPercent":"200"}} | wrong type
            repeated threshold             | {"name":"n","creditPool":{"enabled":true,"thresholds":[80,80]}}     | must not repeat
            zero threshold                 | {"name":"n","creditPool":{"enabled":true,"thresholds":[0]}}         | between 1 and
            threshold as text              | {"name":"n","creditPool":{"enabled":true,"thresholds":["80"]}}      | wrong type
            bad email                      | {"name":"n","creditPool":{"enabled":true,"notificationEmails":["nobody"]}} | email addresses
            """)
    void aBadOrganizationIsRefusedAndNothingIsWritten(String description, String body, String message) {
        workspace("ws-bad", "org-bad");
        long items = table.itemCount();

        APIGatewayV2HTTPResponse response = put("org-bad", body);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains(message);
        assertThat(table.itemCount()).isEqualTo(items);
    }

    @Test
    void aBadOrganizationIdInThePathOrABodyOnAGetIsA400() {
        APIGatewayV2HTTPResponse badId = put("org#1", "{\"name\":\"n\"}");
        APIGatewayV2HTTPResponse bodyOnGet = handler.handleRequest(
                ApiEvents.forOrganization("get-organization.json", "org-acme", "{\"name\":\"n\"}"), null);

        assertThat(badId.getStatusCode()).isEqualTo(400);
        assertThat(json(badId).at("/error/message").asText()).contains("organizationId must be");
        assertThat(bodyOnGet.getStatusCode()).isEqualTo(400);
        assertThat(json(bodyOnGet).at("/error/code").asText()).isEqualTo("unexpected_body");
        assertThat(table.itemCount()).isZero();
    }

    /**
     * The pools' writes take the caller's {@code aicredits-timeout-ms} as a debit does (the Java client sends it):
     * a bad one is a 400 that writes nothing, a good one is heard (its effect on a busy pool: PoolAddonServiceTest).
     */
    @Test
    void thePoolsWritesTakeTheCallersTimeoutAndRefuseABadOne() {
        APIGatewayV2HTTPEvent badPut = ApiEvents.forOrganization("put-organization.json", "org-timed", "{\"name\":\"Timed\"}");
        ApiEvents.withHeader(badPut, "aicredits-timeout-ms", "soon");
        APIGatewayV2HTTPResponse refused = handler.handleRequest(badPut, null);
        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(json(refused).at("/error/code").asText()).isEqualTo("invalid_timeout");
        assertThat(table.itemCount()).isZero();

        APIGatewayV2HTTPEvent put = ApiEvents.forOrganization("put-organization.json", "org-timed",
                "{\"name\":\"Timed\",\"creditPool\":" + POOL + "}");
        ApiEvents.withHeader(put, "aicredits-timeout-ms", "7500");
        assertThat(handler.handleRequest(put, null).getStatusCode()).isEqualTo(201);

        APIGatewayV2HTTPEvent badBuy = ApiEvents.forOrganization("buy-pool-addon.json", "org-timed", purchase("po-t", 10_000, "MONTHLY"));
        ApiEvents.withHeader(badBuy, "aicredits-timeout-ms", "0");
        assertThat(json(handler.handleRequest(badBuy, null)).at("/error/code").asText()).isEqualTo("invalid_timeout");
        APIGatewayV2HTTPEvent buy = ApiEvents.forOrganization("buy-pool-addon.json", "org-timed", purchase("po-t", 10_000, "MONTHLY"));
        ApiEvents.withHeader(buy, "aicredits-timeout-ms", "7500");
        assertThat(handler.handleRequest(buy, null).getStatusCode()).isEqualTo(201);
    }

    @Test
    void aPoolAddonRaisesThePoolAtOnceAndARepeatedPurchaseIdReturnsTheOriginal() {
        workspace("ws-buyer", "org-buyer");
        String pool = "{\"enabled\":true,\"monthlyCredits\":1000}";
        put("org-buyer", "{\"name\":\"Buyer\",\"creditPool\":" + pool + "}");

        APIGatewayV2HTTPResponse first = buy("org-buyer", purchase("po-1", 25_000, "MONTHLY"));
        APIGatewayV2HTTPResponse again = buy("org-buyer", purchase("po-1", 25_000, "MONTHLY"));
        APIGatewayV2HTTPResponse sameIdOtherSize = buy("org-buyer", purchase("po-1", 100_000, "ANNUAL"));
        APIGatewayV2HTTPResponse listed = handler.handleRequest(
                ApiEvents.forOrganization("list-pool-addons.json", "org-buyer", null), null);

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(201);
        assertThat(json(first)).isEqualTo(json("{\"purchaseId\":\"po-1\",\"organizationId\":\"org-buyer\",\"monthlyCredits\":25000,"
                + "\"term\":\"MONTHLY\",\"startPeriod\":\"2026-11\",\"endPeriod\":\"2026-11\",\"totalCredits\":25000,"
                + "\"purchasedAt\":\"2026-11-25T10:00:00.000Z\"}"));
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(sameIdOtherSize.getStatusCode()).isEqualTo(200);
        assertThat(sameIdOtherSize.getBody()).isEqualTo(first.getBody());
        assertThat(listed.getStatusCode()).isEqualTo(200);
        assertThat(json(listed).get("items")).hasSize(1);
        assertThat(json(listed).get("items").get(0)).isEqualTo(json(first));
        JsonNode record = json(debit("ws-buyer", "after"));
        assertThat(record.get("pool").asText()).isEqualTo("organization");
        assertThat(record.get("creditsAllocated").asLong()).isEqualTo(26_000);
        // The organization's PUT body does not carry the packages: an update keeps them.
        put("org-buyer", "{\"name\":\"Buyer renamed\",\"creditPool\":" + pool + "}");
        assertThat(json(handler.handleRequest(ApiEvents.forOrganization("list-pool-addons.json", "org-buyer", null), null))
                .get("items")).hasSize(1);
        assertThat(json(debit("ws-buyer", "after-rename")).get("creditsAllocated").asLong()).isEqualTo(26_000);
    }

    @Test
    void anAnnualPoolAddonCountsInTheNextMonthsPoolWhenItOpens() {
        workspace("ws-annual", "org-annual");
        put("org-annual", "{\"name\":\"Annual\",\"creditPool\":{\"enabled\":true,\"monthlyCredits\":2000}}");
        buy("org-annual", purchase("po-annual", 10_000, "ANNUAL"));
        buy("org-annual", purchase("po-monthly", 50_000, "MONTHLY"));

        clock.set(Instant.parse("2026-12-03T08:00:00Z"));

        assertThat(json(debit("ws-annual", "december")).get("creditsAllocated").asLong()).isEqualTo(12_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"purchaseId\":\"p\",\"monthlyCredits\":12345,\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":10000,\"term\":\"WEEKLY\"}",
            "{\"monthlyCredits\":10000,\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p#1\",\"monthlyCredits\":10000,\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":\"10000\",\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":10000,\"term\":\"MONTHLY\",\"workspaceId\":\"ws-1\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":10000,"})
    void aBadPoolPurchaseIsA400AndWritesNothing(String body) {
        put("org-bad-buy", "{\"name\":\"Bad buyer\",\"creditPool\":" + POOL + "}");
        long items = table.itemCount();

        APIGatewayV2HTTPResponse response = buy("org-bad-buy", body);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(table.itemCount()).isEqualTo(items);
        assertThat(json(handler.handleRequest(ApiEvents.forOrganization("list-pool-addons.json", "org-bad-buy", null), null))
                .get("items")).isEmpty();
    }

    private APIGatewayV2HTTPResponse put(String organizationId, String body) {
        return handler.handleRequest(ApiEvents.forOrganization("put-organization.json", organizationId, body), null);
    }

    private APIGatewayV2HTTPResponse buy(String organizationId, String body) {
        return handler.handleRequest(ApiEvents.forOrganization("buy-pool-addon.json", organizationId, body), null);
    }

    private static String purchase(String purchaseId, long monthlyCredits, String term) {
        return Json.write(Map.of("purchaseId", purchaseId, "monthlyCredits", monthlyCredits, "term", term));
    }

    private void workspace(String workspaceId, String organizationId) {
        String spec = Json.write(Map.of("organizationId", organizationId, "name", workspaceId, "tier", "DEV"));
        assertThat(handler.handleRequest(ApiEvents.load("put-workspace.json", workspaceId, spec), null).getStatusCode())
                .isBetween(200, 201);
    }

    private String debit(String workspaceId, String executionId) {
        return debits.record(workspaceId, new RecordExecution(executionId, "task.execution", null)).body();
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
