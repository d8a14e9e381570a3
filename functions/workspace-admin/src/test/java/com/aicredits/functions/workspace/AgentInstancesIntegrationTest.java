package com.aicredits.functions.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.adapter.dynamodb.DynamoDbAgentStore;
import com.aicredits.json.Json;
import com.aicredits.port.AgentStore;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** AI agent instance limits, enforced exactly with conditional writes, through the real handler. */
class AgentInstancesIntegrationTest {
    private final CreditsTable table = new CreditsTable("agents");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(table.services(clock));

    @Test
    void sixtyFourConcurrentRegistrationsAgainstALimitOfTenLeaveExactlyTen() throws Exception {
        workspace("ws-race", "DEV", null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String agentId = "agent-" + i;
            statuses.add(pool.submit(() -> register("ws-race", agentId)));
        }
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            results.add(status.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();

        assertThat(results.stream().filter(s -> s == 201)).hasSize(10);
        assertThat(results.stream().filter(s -> s == 409)).hasSize(54);
        JsonNode list = json(list("ws-race"));
        assertThat(list.get("count").asInt()).isEqualTo(10);
        assertThat(list.get("items")).hasSize(10);
        assertThat(list.get("limit").asInt()).isEqualTo(10);
    }

    @Test
    void underTransactionConflictsSixtyFourConcurrentRegistrationsStillGetExactlyTenCreatedAndTheRest409() throws Exception {
        // DynamoDB cancels overlapping transactions on the counter: they are retried, never answered 503.
        ProductionSemantics semantics = new ProductionSemantics(ProductionSemantics.Settings.forTests());
        WorkspaceAdminHandler production = new WorkspaceAdminHandler(new CreditsTable("agents-conflicts", semantics).services(clock));
        workspace(production, "ws-race-prod", "DEV", null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String agentId = "agent-" + i;
            statuses.add(pool.submit(() -> register(production, "ws-race-prod", agentId)));
        }
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            results.add(status.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();

        String played = semantics.settings() + ": " + semantics.stats();
        System.out.printf("agents under production semantics: %d x 201, %d x 409 (%s)%n",
                results.stream().filter(s -> s == 201).count(), results.stream().filter(s -> s == 409).count(), played);
        assertThat(results.stream().filter(s -> s == 201)).as(played).hasSize(10);
        assertThat(results.stream().filter(s -> s == 409)).as(played).hasSize(54);
        assertThat(semantics.stats().transactionsCancelledByConflict()).as(played).isPositive();
        assertThat(json(list(production, "ws-race-prod")).get("count").asInt()).isEqualTo(10);
    }

    @Test
    void rightAfterADowngradeARegistrationIsRefusedEvenWhereReadsAreStale() throws Exception {
        // Every eventually consistent read is served as it stood up to a second ago: the limit must not come from one.
        ProductionSemantics semantics = new ProductionSemantics(ProductionSemantics.Settings.forTests().withStaleReadPercent(100));
        WorkspaceAdminHandler production = new WorkspaceAdminHandler(new CreditsTable("agents-stale", semantics).services(clock));
        workspace(production, "ws-stale-down", "ELITE", null); // 50
        Thread.sleep(ProductionSemantics.Settings.DEFAULT_LAG.toMillis() + 100); // a stale read now sees ELITE
        for (int i = 0; i < 12; i++) {
            assertThat(register(production, "ws-stale-down", "agent-" + i)).isEqualTo(201);
        }
        workspace(production, "ws-stale-down", "DEV", null); // 10

        assertThat(register(production, "ws-stale-down", "new-1")).as(semantics.settings().toString()).isEqualTo(409);
        assertThat(json(list(production, "ws-stale-down")).get("count").asInt()).isEqualTo(12);
    }

    @Test
    void aRegistrationWhoseLimitWasReadBeforeADowngradeDoesNotCommit() {
        workspace("ws-raced-down", "ELITE", null); // version 1, limit 50
        workspace("ws-raced-down", "DEV", null); // version 2, limit 10
        DynamoDbAgentStore agents = new DynamoDbAgentStore(table.client, table.name);

        assertThat(agents.register("ws-raced-down", "late", 50, 1, clock.instant())).isEqualTo(AgentStore.Registration.WORKSPACE_CHANGED);
        assertThat(json(list("ws-raced-down")).get("count").asInt()).isZero();
    }

    @Test
    void registeringAgainIsIdempotentAndAReleaseFreesASlot() {
        workspace("ws-idem", "DEV", 2);
        assertThat(register("ws-idem", "a")).isEqualTo(201);
        assertThat(register("ws-idem", "a")).isEqualTo(200);
        assertThat(register("ws-idem", "b")).isEqualTo(201);
        assertThat(register("ws-idem", "b")).isEqualTo(200); // at the limit, still 200 for a registered one
        assertThat(register("ws-idem", "c")).isEqualTo(409);

        assertThat(release("ws-idem", "a")).isEqualTo(204);
        assertThat(release("ws-idem", "a")).isEqualTo(404);
        assertThat(register("ws-idem", "c")).isEqualTo(201);
        assertThat(json(list("ws-idem")).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void aTierDowngradeBelowTheCountKeepsTheInstancesAndRefusesNewOnesUntilUnderTheLimit() {
        workspace("ws-down", "ESSENTIAL", null); // 20
        for (int i = 0; i < 12; i++) {
            assertThat(register("ws-down", "agent-" + i)).isEqualTo(201);
        }
        workspace("ws-down", "DEV", null); // 10

        assertThat(json(list("ws-down")).get("count").asInt()).isEqualTo(12);
        assertThat(register("ws-down", "new-1")).isEqualTo(409);
        for (int i = 0; i < 3; i++) {
            assertThat(release("ws-down", "agent-" + i)).isEqualTo(204);
        }
        assertThat(register("ws-down", "new-1")).isEqualTo(201);
        assertThat(register("ws-down", "new-2")).isEqualTo(409);
    }

    @Test
    void theOverrideAndThePartnerTierSetTheLimit() {
        workspace("ws-partner", "M_PARTNER", null);
        workspace("ws-override", "ELITE", 3);

        assertThat(json(list("ws-partner")).get("limit").asInt()).isEqualTo(30);
        assertThat(json(list("ws-override")).get("limit").asInt()).isEqualTo(3);
    }

    @Test
    void anUnknownWorkspaceOrABadAgentIdChangesNothing() {
        workspace("ws-bad-agent", "DEV", null);
        long items = table.itemCount();

        assertThat(register("ws-nobody", "a")).isEqualTo(404);
        assertThat(register("ws-bad-agent", "a#b")).isEqualTo(400);
        assertThat(release("ws-bad-agent", "never")).isEqualTo(404);
        assertThat(table.itemCount()).isEqualTo(items);
    }

    private void workspace(String id, String tier, Integer agentLimit) {
        workspace(handler, id, tier, agentLimit);
    }

    private static void workspace(WorkspaceAdminHandler handler, String id, String tier, Integer agentLimit) {
        Map<String, Object> spec = new HashMap<>(Map.of("organizationId", "org-agents", "name", id, "tier", tier));
        if (tier.equals("M_PARTNER")) {
            spec.put("monthlyCredits", 1_000);
        }
        if (agentLimit != null) {
            spec.put("agentInstanceLimit", agentLimit);
        }
        assertThat(handler.handleRequest(ApiEvents.load("put-workspace.json", id, Json.write(spec)), null).getStatusCode())
                .isBetween(200, 201);
    }

    private int register(String workspaceId, String agentId) {
        return register(handler, workspaceId, agentId);
    }

    private static int register(WorkspaceAdminHandler handler, String workspaceId, String agentId) {
        return handler.handleRequest(agentEvent("register-agent.json", workspaceId, agentId), null).getStatusCode();
    }

    private int release(String workspaceId, String agentId) {
        return handler.handleRequest(agentEvent("release-agent.json", workspaceId, agentId), null).getStatusCode();
    }

    private String list(String workspaceId) {
        return list(handler, workspaceId);
    }

    private static String list(WorkspaceAdminHandler handler, String workspaceId) {
        return handler.handleRequest(ApiEvents.load("list-agents.json", workspaceId, null), null).getBody();
    }

    private static APIGatewayV2HTTPEvent agentEvent(String file, String workspaceId, String agentId) {
        APIGatewayV2HTTPEvent event = ApiEvents.load(file, workspaceId, null);
        event.setPathParameters(Map.of("workspaceId", workspaceId, "agentId", agentId));
        return event;
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
