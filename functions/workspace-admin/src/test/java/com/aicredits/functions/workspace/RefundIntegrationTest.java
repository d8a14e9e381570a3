package com.aicredits.functions.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Caller;
import com.aicredits.json.Json;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.UsageService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Refunds through the real admin handler, with debits through the real service and usage read by the real usage
 * service, on our DynamoDB engine.
 */
class RefundIntegrationTest {
    private static final Caller MANAGER = new Caller("manager", Set.of(), Set.of(UsageService.MANAGER_ROLE), "org-refunds");

    private final CreditsTable table = new CreditsTable("refunds");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(table.services(clock));
    private final DebitService debits = table.services(clock).debits();
    private final UsageService usage = table.services(clock).usage();

    @Test
    void aRefundReturnsTheCreditsOnceAndIsItselfALineOfTheLedger() {
        workspace("ws-refund");
        String original = debit("ws-refund", "inv-1", "case.investigation"); // 12
        debit("ws-refund", "task-1", "task.execution"); // 13
        debit("ws-refund", "agent-1", "agent.execution"); // 19
        clock.advance(java.time.Duration.ofHours(2));

        APIGatewayV2HTTPResponse first = refund("ws-refund", "inv-1", "aborted by incident INC-5521");
        long revisionAfterFirst = balanceRevision("ws-refund");
        APIGatewayV2HTTPResponse second = refund("ws-refund", "inv-1", "a second try, another reason");

        assertThat(first.getStatusCode()).isEqualTo(200);
        JsonNode refunded = json(first.getBody());
        assertThat(first.getBody()).startsWith(original.substring(0, original.length() - 1));
        assertThat(refunded.get("refundedAt").asText()).isEqualTo("2026-11-25T12:00:00.000Z");
        assertThat(refunded.get("refundReason").asText()).isEqualTo("aborted by incident INC-5521");
        assertThat(second.getStatusCode()).isEqualTo(200);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(balanceRevision("ws-refund")).as("a second refund writes nothing").isEqualTo(revisionAfterFirst);

        UsageService.WorkspaceUsage after = settledUsage("ws-refund", "2026-11");
        assertThat(after.creditsUsed()).isEqualTo(Credits.of(7));
        assertThat(after.byFeature()).containsEntry(com.aicredits.domain.Feature.CASE_INVESTIGATION, Credits.of(0))
                .containsEntry(com.aicredits.domain.Feature.AI_AGENT, Credits.of(6));
        assertThat(after.daily().getLast().cumulative()).isEqualTo(Credits.of(7));

        List<JsonNode> ledger = ledger("ws-refund");
        assertThat(ledger).hasSize(4);
        JsonNode refundLine = ledger.getLast();
        assertThat(refundLine.get("entry").asText()).isEqualTo("REFUND");
        assertThat(refundLine.get("executionId").asText()).isEqualTo("inv-1");
        assertThat(refundLine.get("creditsConsumed").asLong()).isEqualTo(-12);
        assertThat(refundLine.get("creditsUsed").asLong()).isEqualTo(7);
        assertThat(refundLine.get("sequence").asLong()).isEqualTo(4);
        assertThat(refundLine.get("refundReason").asText()).isEqualTo("aborted by incident INC-5521");
        assertThat(ledger.getFirst().get("refundedAt").asText()).as("the listed record carries its refund")
                .isEqualTo("2026-11-25T12:00:00.000Z");
    }

    @Test
    void aDebitReplayAfterARefundStillReturnsTheStoredOriginal() {
        workspace("ws-replay");
        String original = debit("ws-replay", "inv-1", "case.investigation");
        refund("ws-replay", "inv-1", "duplicate run");

        String replay = debit("ws-replay", "inv-1", "case.investigation");

        assertThat(replay).isEqualTo(original);
        assertThat(settledUsage("ws-replay", "2026-11").creditsUsed()).isEqualTo(Credits.ZERO);
    }

    @Test
    void aRecordOfThePreviousPeriodIsRefundedIntoThatPeriod() {
        workspace("ws-late");
        debit("ws-late", "nov-run", "agent.execution");
        clock.set(Instant.parse("2026-12-02T09:00:00Z"));
        debit("ws-late", "dec-run", "agent.execution");

        assertThat(refund("ws-late", "nov-run", "billing correction").getStatusCode()).isEqualTo(200);

        assertThat(settledUsage("ws-late", "2026-11").creditsUsed()).isEqualTo(Credits.ZERO);
        assertThat(settledUsage("ws-late", "2026-12").creditsUsed()).isEqualTo(Credits.of(6));
        assertThat(ledger("ws-late", "2026-11").getFirst().get("period").asText()).isEqualTo("2026-11");
    }

    @Test
    void refundsOfUnknownRecordsAndBadBodiesAreClearErrorsThatWriteNothing() {
        workspace("ws-errors");
        debit("ws-errors", "run-1", "task.execution");
        long items = table.itemCount();

        assertThat(refund("ws-errors", "no-such-run", "x").getStatusCode()).isEqualTo(404);
        assertThat(refund("ws-nobody", "run-1", "x").getStatusCode()).isEqualTo(404);
        assertThat(refundWithBody("ws-errors", "run-1", "{}").getStatusCode()).isEqualTo(400);
        assertThat(refundWithBody("ws-errors", "run-1", "{\"reason\":\"  \"}").getStatusCode()).isEqualTo(400);
        assertThat(refundWithBody("ws-errors", "run-1", "{\"reason\":\"ok\",\"credits\":5}").getStatusCode()).isEqualTo(400);
        assertThat(refundWithBody("ws-errors", "run-1", "{\"reason\":7}").getStatusCode()).isEqualTo(400);
        assertThat(refund("ws-errors", "run-1", "r".repeat(501)).getStatusCode()).isEqualTo(400);
        assertThat(refund("ws-errors", "bad#id", "x").getStatusCode()).isEqualTo(400);

        assertThat(json(refundWithBody("ws-errors", "run-1", "{}").getBody()).at("/error/message").asText())
                .contains("reason is required");
        assertThat(table.itemCount()).isEqualTo(items);
        assertThat(balanceRevision("ws-errors")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void concurrentRefundsOfOneRecordReturnItsCreditsExactlyOnce(int round) throws Exception {
        String workspaceId = "ws-twice-" + round;
        workspace(workspaceId);
        debit(workspaceId, "inv-1", "case.investigation");
        debit(workspaceId, "task-1", "task.execution");

        List<APIGatewayV2HTTPResponse> answers = together(8, i -> refund(workspaceId, "inv-1", "reason " + i));

        assertThat(answers).extracting(APIGatewayV2HTTPResponse::getStatusCode).containsOnly(200);
        assertThat(answers).extracting(APIGatewayV2HTTPResponse::getBody).containsOnly(answers.getFirst().getBody());
        assertThat(settledUsage(workspaceId, "2026-11").creditsUsed()).isEqualTo(Credits.of(1));
        assertThat(ledger(workspaceId)).filteredOn(line -> line.has("entry")).hasSize(1);
        assertLedgerAddsUp(workspaceId);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aRefundRacingDebitsKeepsTheLedgerExact(int round) throws Exception {
        String workspaceId = "ws-race-" + round;
        workspace(workspaceId);
        debit(workspaceId, "inv-1", "case.investigation");

        List<Object> results = together(9, i -> i == 0
                ? refund(workspaceId, "inv-1", "racing") : debit(workspaceId, "task-" + i, "task.execution"));

        assertThat(((APIGatewayV2HTTPResponse) results.getFirst()).getStatusCode()).isEqualTo(200);
        assertThat(settledUsage(workspaceId, "2026-11").creditsUsed()).isEqualTo(Credits.of(8));
        assertThat(ledger(workspaceId)).hasSize(10);
        assertLedgerAddsUp(workspaceId);
    }

    /** In commit order each line's running total is the previous one's plus its own credits, sequences 1..n. */
    private void assertLedgerAddsUp(String workspaceId) {
        List<JsonNode> lines = ledger(workspaceId);
        long used = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            assertThat(line.get("sequence").asLong()).isEqualTo(i + 1);
            used += line.get("creditsConsumed").asLong();
            assertThat(line.get("creditsUsed").asLong()).as("running total at line %d", i + 1).isEqualTo(used);
        }
        assertThat(settledUsage(workspaceId, "2026-11").creditsUsed()).isEqualTo(Credits.of(used));
    }

    private <T> List<T> together(int threads, java.util.function.IntFunction<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The period's ledger in commit order (oldest first). */
    private List<JsonNode> ledger(String workspaceId) {
        return ledger(workspaceId, "2026-11");
    }

    private List<JsonNode> ledger(String workspaceId, String period) {
        ProductionSemantics.waitOutLag();
        List<JsonNode> lines = new ArrayList<>(usage.executions(MANAGER, workspaceId, period, "500", null).items()
                .stream().map(RefundIntegrationTest::json).toList());
        return lines.reversed();
    }

    /**
     * Usage as the API shows it once the writes have settled: its reads are eventually consistent, so under production
     * semantics they can lag the last write by up to the lag (README).
     */
    private UsageService.WorkspaceUsage settledUsage(String workspaceId, String period) {
        ProductionSemantics.waitOutLag();
        return usage.workspaceUsage(MANAGER, workspaceId, period);
    }

    private long balanceRevision(String workspaceId) {
        return Long.parseLong(table.item("WS#" + workspaceId, "BALANCE#2026-11").get("revision").n());
    }

    @Test
    void aByosRecordIsRefundedLikeAnyOtherAndItsRunStaysCounted() {
        workspace("ws-byos-refund");
        String byosSpec = Json.write(Map.of("organizationId", "org-refunds", "name", "ws-byos-refund", "tier", "DEV",
                "byos", Map.of("enabled", true, "provider", "openai", "features", List.of("AI_AGENT"))));
        handler.handleRequest(ApiEvents.load("put-workspace.json", "ws-byos-refund", byosSpec), null);
        debit("ws-byos-refund", "agent-1", "agent.execution"); // 6
        String byos = debits.record("ws-byos-refund", new RecordExecution("agent-2", "agent.execution", null, "BYOS")).body();

        APIGatewayV2HTTPResponse refunded = refund("ws-byos-refund", "agent-2", "run on the wrong subscription");

        assertThat(refunded.getStatusCode()).isEqualTo(200);
        assertThat(refunded.getBody()).startsWith(byos.substring(0, byos.length() - 1));
        assertThat(json(refunded.getBody()).get("model").asText()).isEqualTo("BYOS");
        List<JsonNode> ledger = ledger("ws-byos-refund");
        assertThat(ledger).hasSize(3);
        assertLedgerAddsUp("ws-byos-refund");
        UsageService.WorkspaceUsage after = settledUsage("ws-byos-refund", "2026-11");
        assertThat(after.creditsUsed()).isEqualTo(Credits.of(6));
        assertThat(after.byosExecutions().get(com.aicredits.domain.Feature.AI_AGENT)).isEqualTo(1);
    }

    private void workspace(String id) {
        String spec = Json.write(Map.of("organizationId", "org-refunds", "name", id, "tier", "DEV"));
        assertThat(handler.handleRequest(ApiEvents.load("put-workspace.json", id, spec), null).getStatusCode()).isEqualTo(201);
    }

    private String debit(String workspaceId, String executionId, String activity) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, null)).body();
    }

    private APIGatewayV2HTTPResponse refund(String workspaceId, String executionId, String reason) {
        return refundWithBody(workspaceId, executionId, Json.write(Map.of("reason", reason)));
    }

    private APIGatewayV2HTTPResponse refundWithBody(String workspaceId, String executionId, String body) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("refund-execution.json", workspaceId, body);
        event.setPathParameters(Map.of("workspaceId", workspaceId, "executionId", executionId));
        return handler.handleRequest(event, null);
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
