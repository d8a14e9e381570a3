package com.aicredits.functions.workspace;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.domain.CreditsException;
import com.aicredits.json.Json;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Add-on packages through the real handler, with debits through the real service, on our DynamoDB engine. */
class AddonPackagesIntegrationTest {
    private final CreditsTable table = new CreditsTable("addons");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(table.services(clock));
    private final DebitService debits = table.services(clock).debits();

    @Test
    void aPurchaseRaisesTheCurrentAllocationAtOnceAndARepeatAddsNothing() {
        workspace("ws-buy", Map.of());
        debit("ws-buy", "before", "agent.execution");

        APIGatewayV2HTTPResponse first = buy("ws-buy", "po-1", 10_000, "MONTHLY");
        APIGatewayV2HTTPResponse again = buy("ws-buy", "po-1", 10_000, "MONTHLY");
        APIGatewayV2HTTPResponse sameIdOtherSize = buy("ws-buy", "po-1", 25_000, "ANNUAL");

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(sameIdOtherSize.getBody()).isEqualTo(first.getBody());
        JsonNode purchase = json(first.getBody());
        assertThat(purchase.get("startPeriod").asText()).isEqualTo("2026-11");
        assertThat(purchase.get("endPeriod").asText()).isEqualTo("2026-11");
        JsonNode record = json(debit("ws-buy", "after", "task.execution"));
        assertThat(record.get("creditsAllocated").asLong()).isEqualTo(10_500);
        assertThat(record.get("creditsUsed").asLong()).isEqualTo(7);
        assertThat(json(handler.handleRequest(ApiEvents.load("list-addons.json", "ws-buy", null), null).getBody()).get("items")).hasSize(1);
    }

    @Test
    void aDebitRefusedAtTheHardLimitSucceedsAfterAPurchase() {
        workspace("ws-limit", Map.of("hardLimitPercent", 100));
        for (int i = 0; i < 50; i++) {
            debit("ws-limit", "fill-" + i, "agent.execution"); // 300
        }
        for (int i = 0; i < 200; i++) {
            debit("ws-limit", "task-" + i, "task.execution"); // 500
        }
        assertThatThrownBy(() -> debit("ws-limit", "over", "task.execution"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(Refusals.status(e)).isEqualTo(402));

        assertThat(buy("ws-limit", "po-limit", 10_000, "MONTHLY").getStatusCode()).isEqualTo(201);

        assertThat(json(debit("ws-limit", "over", "task.execution")).get("creditsUsed").asLong()).isEqualTo(501);
    }

    @Test
    void anAnnualTermCoversTwelveCalendarMonthsAndAMonthlyOneOnlyItsMonth() {
        workspace("ws-terms", Map.of());
        buy("ws-terms", "annual", 10_000, "ANNUAL");
        buy("ws-terms", "monthly", 25_000, "MONTHLY");

        assertThat(allocatedAt("ws-terms", "2026-11-26T00:00:00Z")).isEqualTo(35_500);
        assertThat(allocatedAt("ws-terms", "2026-12-01T00:00:01Z")).isEqualTo(10_500);
        assertThat(allocatedAt("ws-terms", "2027-10-31T23:00:00Z")).isEqualTo(10_500);
        assertThat(allocatedAt("ws-terms", "2027-11-01T00:00:00Z")).isEqualTo(500);
    }

    @Test
    void aPurchaseBeforeThePeriodOpensCountsWhenItOpens() {
        workspace("ws-unopened", Map.of());

        buy("ws-unopened", "po-early", 50_000, "MONTHLY");

        assertThat(json(debit("ws-unopened", "first", "task.execution")).get("creditsAllocated").asLong()).isEqualTo(50_500);
    }

    @Test
    void aPurchaseRacingTheFirstDebitOfThePeriodIsNeverLost() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < 15; round++) {
            String workspaceId = "ws-race-" + round;
            workspace(workspaceId, Map.of());
            CyclicBarrier start = new CyclicBarrier(2);
            Future<?> purchase = pool.submit(() -> {
                start.await();
                return buy(workspaceId, "po-race", 10_000, "MONTHLY").getStatusCode();
            });
            Future<?> firstDebit = pool.submit(() -> {
                start.await();
                return debit(workspaceId, "first", "task.execution");
            });
            purchase.get(1, TimeUnit.MINUTES);
            firstDebit.get(1, TimeUnit.MINUTES);
            long allocated = json(debit(workspaceId, "check", "task.execution")).get("creditsAllocated").asLong();
            if (allocated != 10_500) {
                lost.add(workspaceId + " allocated " + allocated);
            }
        }
        pool.shutdown();

        assertThat(lost).isEmpty();
    }

    @Test
    void aWorkspaceUpdateKeepsItsAddons() {
        workspace("ws-keep", Map.of());
        buy("ws-keep", "po-keep", 10_000, "ANNUAL");

        workspace("ws-keep", Map.of("name", "Renamed"));

        assertThat(json(debit("ws-keep", "after-rename", "task.execution")).get("creditsAllocated").asLong()).isEqualTo(10_500);
        assertThat(json(handler.handleRequest(ApiEvents.load("list-addons.json", "ws-keep", null), null).getBody()).get("items")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"purchaseId\":\"p\",\"monthlyCredits\":12345,\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":10000,\"term\":\"WEEKLY\"}",
            "{\"monthlyCredits\":10000,\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p#1\",\"monthlyCredits\":10000,\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":\"10000\",\"term\":\"MONTHLY\"}",
            "{\"purchaseId\":\"p\",\"monthlyCredits\":10000,\"term\":\"MONTHLY\",\"price\":99}"})
    void aBadPurchaseIsA400AndWritesNothing(String body) {
        workspace("ws-bad-buy", Map.of());
        long items = table.itemCount();

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.load("buy-addon.json", "ws-bad-buy", body), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(table.itemCount()).isEqualTo(items);
        assertThat(buy("ws-nobody", "po", 10_000, "MONTHLY").getStatusCode()).isEqualTo(404);
    }

    private long allocatedAt(String workspaceId, String at) {
        clock.set(Instant.parse(at));
        return json(debit(workspaceId, "at-" + at, "task.execution")).get("creditsAllocated").asLong();
    }

    private void workspace(String id, Map<String, Object> overrides) {
        Map<String, Object> spec = new HashMap<>(Map.of("organizationId", "org-addons", "name", id, "tier", "DEV"));
        spec.putAll(overrides);
        assertThat(handler.handleRequest(ApiEvents.load("put-workspace.json", id, Json.write(spec)), null).getStatusCode())
                .isBetween(200, 201);
    }

    private APIGatewayV2HTTPResponse buy(String workspaceId, String purchaseId, long monthlyCredits, String term) {
        return handler.handleRequest(ApiEvents.load("buy-addon.json", workspaceId, Json.write(Map.of(
                "purchaseId", purchaseId, "monthlyCredits", monthlyCredits, "term", term))), null);
    }

    private String debit(String workspaceId, String executionId, String activity) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, null)).body();
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
