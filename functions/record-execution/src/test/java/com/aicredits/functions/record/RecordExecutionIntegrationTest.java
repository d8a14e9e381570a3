package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.functions.record.DebitFixture.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The debit path end to end: real handler, real SDK client, the DynamoDB engine. */
class RecordExecutionIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final DebitFixture api = new DebitFixture("debits", NOW);

    @Test
    void aNewExecutionIsRecordedWithTheWholeRecordShape() {
        api.workspace("ws-new", "PRO", Map.of());

        Response response = api.debitAt("ws-new", "run-1", "case.investigation", "2026-11-25T09:59:00+01:00");

        assertThat(response.status()).isEqualTo(201);
        JsonNode record = response.json();
        assertThat(fieldNames(record)).containsExactly("executionId", "workspaceId", "activity", "feature",
                "creditsConsumed", "creditsUsed", "creditsRemaining", "creditsAllocated", "sequence", "period",
                "occurredAt", "recordedAt", "priceVersion", "renewsAt", "model");
        assertThat(record.get("executionId").asText()).isEqualTo("run-1");
        assertThat(record.get("workspaceId").asText()).isEqualTo("ws-new");
        assertThat(record.get("feature").asText()).isEqualTo("CASE_INVESTIGATION");
        assertThat(record.get("creditsConsumed").asLong()).isEqualTo(12);
        assertThat(record.get("creditsUsed").asLong()).isEqualTo(12);
        assertThat(record.get("creditsRemaining").asLong()).isEqualTo(4_988);
        assertThat(record.get("creditsAllocated").asLong()).isEqualTo(5_000);
        assertThat(record.get("sequence").asLong()).isEqualTo(1);
        assertThat(record.get("period").asText()).isEqualTo("2026-11");
        assertThat(record.get("occurredAt").asText()).isEqualTo("2026-11-25T08:59:00.000Z");
        assertThat(record.get("recordedAt").asText()).isEqualTo("2026-11-25T10:00:00.000Z");
        assertThat(record.get("priceVersion").asText()).isEqualTo("2026-01-01");
        assertThat(record.get("model").asText()).isEqualTo("PLATFORM");
    }

    @Test
    void aReplayReturnsTheStoredRecordByteForByteAndDebitsOnceEvenAYearLater() {
        api.workspace("ws-replay", "DEV", Map.of());
        Response first = api.debit("ws-replay", "run-1", "agent.execution");
        api.clock.advance(Duration.ofMinutes(11));

        Response soon = api.debit("ws-replay", "run-1", "agent.execution");
        api.clock.advance(Duration.ofDays(400));
        Response muchLater = DebitFixture.send(api.newContainer(),
                com.aicredits.testkit.ApiEvents.load("record-execution.json", "ws-replay",
                        "{\"executionId\":\"run-1\",\"activity\":\"agent.execution\"}"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(soon.status()).isEqualTo(200);
        assertThat(soon.body()).isEqualTo(first.body());
        assertThat(muchLater.status()).isEqualTo(200);
        assertThat(muchLater.body()).isEqualTo(first.body());
        assertThat(api.balance("ws-replay", "2026-11").get("used").asLong()).isEqualTo(6);
        assertThat(api.ledger("ws-replay", "2026-11")).hasSize(1);
    }

    @Test
    void aReplayWithAnExplicitOccurredAtLongPastTheWindowStillAnswersTheRecord() {
        api.workspace("ws-old", "DEV", Map.of());
        Response first = api.debitAt("ws-old", "run-1", "task.execution", "2026-11-25T09:00:00Z");
        api.clock.advance(Duration.ofDays(120));

        Response replay = api.debitAt("ws-old", "run-1", "task.execution", "2026-11-25T09:00:00Z");

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
    }

    @Test
    void theSameExecutionIdWithAnotherActivityIsAConflictAndChangesNothing() {
        api.workspace("ws-conflict", "DEV", Map.of());
        api.debit("ws-conflict", "run-1", "task.execution");
        long items = api.table.itemCount();

        Response conflict = api.debit("ws-conflict", "run-1", "agent.execution");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("execution_id_reused");
        assertThat(conflict.json().at("/error/message").asText()).contains("task.execution");
        assertThat(api.table.itemCount()).isEqualTo(items);
        assertThat(api.balance("ws-conflict", "2026-11").get("used").asLong()).isEqualTo(1);
    }

    @Test
    void theLedgerRunsExactlyLineByLine() {
        api.workspace("ws-ledger", "ESSENTIAL", Map.of());
        String[] activities = {"task.execution", "case.investigation", "case.summary", "agent.execution", "case.conversation"};
        for (int i = 0; i < 25; i++) {
            assertThat(api.debit("ws-ledger", "run-" + i, activities[i % activities.length]).status()).isEqualTo(201);
        }

        api.assertLedgerIsExact("ws-ledger", "2026-11", 25);
        JsonNode balance = api.balance("ws-ledger", "2026-11");
        assertThat(balance.get("used").asLong()).isEqualTo(5 * (1 + 12 + 0 + 6 + 8));
        assertThat(balance.get("freeExecutions").asLong()).isEqualTo(5);
        assertThat(balance.get("feature_CASE_INVESTIGATION").asLong()).isEqualTo(60);
        assertThat(balance.get("day_25").asLong()).isEqualTo(135);
    }

    @Test
    void aFreeActivityIsRecordedAtZeroCreditsAndNeverRefused() {
        api.workspace("ws-free", "DEV", Map.of("hardLimitPercent", 100));
        for (int i = 0; i < 83; i++) {
            assertThat(api.debit("ws-free", "fill-" + i, "agent.execution").status()).isEqualTo(201); // 498
        }
        assertThat(api.debit("ws-free", "to-499", "task.execution").status()).isEqualTo(201);
        assertThat(api.debit("ws-free", "to-500", "task.execution").status()).isEqualTo(201);
        assertThat(api.debit("ws-free", "over", "task.execution").status()).isEqualTo(402);

        Response free = api.debit("ws-free", "summary-1", "case.summary");

        assertThat(free.status()).isEqualTo(201);
        assertThat(free.json().get("creditsConsumed").asLong()).isZero();
        assertThat(free.json().get("feature").asText()).isEqualTo("FREE");
        assertThat(free.json().get("creditsUsed").asLong()).isEqualTo(api.balance("ws-free", "2026-11").get("used").asLong());
    }

    @Test
    void theHardLimitIsExactAtTheBoundaryAndARefusalLeavesNoTrace() {
        api.workspace("ws-limit", "DEV", Map.of()); // 500 credits, hard limit 200% = 1,000
        for (int i = 0; i < 83; i++) {
            api.debit("ws-limit", "fill-" + i, "case.investigation"); // 83 x 12 = 996
        }
        for (int used = 997; used <= 1_000; used++) {
            assertThat(api.debit("ws-limit", "to-" + used, "task.execution").status()).isEqualTo(201);
        }
        long items = api.table.itemCount();

        Response refused = api.debit("ws-limit", "over-by-one", "task.execution");

        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.errorCode()).isEqualTo("hard_limit_exceeded");
        assertThat(refused.json().at("/error/message").asText()).contains("1001").contains("200%");
        // Issue 30, item 9: the numbers as values, for programs (the Java client's HardLimitExceeded reads them).
        assertThat(refused.json().at("/error/detail")).isEqualTo(Response.parse("{\"period\":\"2026-11\",\"credits\":1,"
                + "\"creditsUsed\":1000,\"usageAfter\":1001,\"hardLimitPercent\":200,\"creditsAllocated\":500,\"hardLimitCredits\":1000}"));
        assertThat(api.table.itemCount()).isEqualTo(items);
        JsonNode balance = api.balance("ws-limit", "2026-11");
        assertThat(balance.get("used").asLong()).isEqualTo(1_000);
        assertThat(balance.get("sequence").asLong()).isEqualTo(87);

        api.workspace("ws-limit", "DEV", Map.of("hardLimitPercent", 250));
        Response later = api.debit("ws-limit", "over-by-one", "task.execution");
        assertThat(later.status()).isEqualTo(201);
        assertThat(later.json().get("sequence").asLong()).isEqualTo(88);
        assertThat(later.json().get("creditsRemaining").asLong()).isEqualTo(-501);
    }

    @Test
    void theFirstDebitOfAPeriodOpensItsBalanceWithTheFullShape() {
        api.workspace("ws-lazy", "ELITE", Map.of());
        assertThat(api.balance("ws-lazy", "2026-11")).isNull();

        assertThat(api.debit("ws-lazy", "run-1", "task.execution").status()).isEqualTo(201);

        JsonNode balance = api.balance("ws-lazy", "2026-11");
        assertThat(balance.get("allocated").asLong()).isEqualTo(10_000);
        assertThat(balance.get("used").asLong()).isEqualTo(1);
        for (int day = 1; day <= 30; day++) {
            assertThat(balance.has(String.format("day_%02d", day))).as("day %d", day).isTrue();
        }
        assertThat(balance.has("day_31")).isFalse();
        for (String feature : List.of("CASE_INVESTIGATION", "CASE_CONVERSATION", "AI_AGENT", "AI_TASK")) {
            assertThat(balance.has("feature_" + feature)).isTrue();
        }
    }

    @Test
    void aDebitBooksIntoThePeriodOfItsOccurredAtAcrossTheMonthBoundary() {
        api.clock.set(Instant.parse("2026-12-01T00:00:00.500Z"));
        api.workspace("ws-boundary", "DEV", Map.of());

        Response lastOfNovember = api.debitAt("ws-boundary", "late", "task.execution", "2026-11-30T23:59:59.999Z");
        Response firstOfDecember = api.debitAt("ws-boundary", "early", "agent.execution", "2026-12-01T00:00:00Z");

        assertThat(lastOfNovember.json().get("period").asText()).isEqualTo("2026-11");
        assertThat(lastOfNovember.json().get("sequence").asLong()).isEqualTo(1);
        assertThat(firstOfDecember.json().get("period").asText()).isEqualTo("2026-12");
        assertThat(firstOfDecember.json().get("sequence").asLong()).isEqualTo(1);
        assertThat(api.balance("ws-boundary", "2026-11").get("day_30").asLong()).isEqualTo(1);
        assertThat(api.balance("ws-boundary", "2026-12").get("day_01").asLong()).isEqualTo(6);
    }

    @Test
    void occurredAtOutsideTheWindowIsRefused() {
        api.workspace("ws-window", "DEV", Map.of());

        assertThat(api.debitAt("ws-window", "a", "task.execution", "2026-11-25T10:05:00Z").status()).isEqualTo(201);
        assertThat(api.debitAt("ws-window", "b", "task.execution", "2026-11-25T10:05:00.001Z").status()).isEqualTo(400);
        assertThat(api.debitAt("ws-window", "c", "task.execution", "2026-10-01T00:00:00Z").status()).isEqualTo(201);
        assertThat(api.debitAt("ws-window", "d", "task.execution", "2026-09-30T23:59:59.999Z").status()).isEqualTo(400);
    }

    @Test
    void caseActivitiesNeedCasesAndUnknownWorkspacesAreNotFound() {
        api.workspace("ws-nocases", "PRO", Map.of("casesEnabled", false));

        Response forbidden = api.debit("ws-nocases", "run-1", "case.conversation");
        Response allowed = api.debit("ws-nocases", "run-2", "task.execution");
        Response unknown = api.debit("ws-missing", "run-1", "task.execution");

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errorCode()).isEqualTo("cases_disabled");
        assertThat(allowed.status()).isEqualTo(201);
        assertThat(allowed.json().get("sequence").asLong()).isEqualTo(1);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.balance("ws-missing", "2026-11")).isNull();
    }

    @Test
    void underLegacyPricingCaseActivitiesAreCountedNotDebited() {
        api.workspace("ws-legacy", "PRO", Map.of("pricingModel", "LEGACY"));

        Response caseRun = api.debit("ws-legacy", "case-1", "case.investigation");
        Response taskRun = api.debit("ws-legacy", "task-1", "task.execution");

        assertThat(caseRun.json().get("creditsConsumed").asLong()).isZero();
        assertThat(taskRun.json().get("creditsUsed").asLong()).isEqualTo(1);
        assertThat(api.balance("ws-legacy", "2026-11").get("casesCounted").asLong()).isEqualTo(1);
    }

    @Test
    void aTierChangeMovesTheCurrentAllocationAtOnce() {
        api.workspace("ws-tier", "DEV", Map.of());
        api.debit("ws-tier", "run-1", "task.execution");

        api.workspace("ws-tier", "PRO", Map.of());
        Response next = api.debit("ws-tier", "run-2", "task.execution");

        assertThat(next.json().get("creditsAllocated").asLong()).isEqualTo(5_000);
        assertThat(next.json().get("creditsRemaining").asLong()).isEqualTo(4_998);
    }

    @Test
    void aTierChangeDownOrToPartnerMovesTheAllocationAndKeepsTheUsage() {
        api.workspace("ws-down", "PRO", Map.of());
        api.debit("ws-down", "run-1", "case.investigation");

        api.workspace("ws-down", "DEV", Map.of());
        Response afterDowngrade = api.debit("ws-down", "run-2", "task.execution");
        api.workspace("ws-down", "M_PARTNER", Map.of("monthlyCredits", 777));
        Response afterPartner = api.debit("ws-down", "run-3", "task.execution");

        assertThat(afterDowngrade.json().get("creditsAllocated").asLong()).isEqualTo(500);
        assertThat(afterDowngrade.json().get("creditsUsed").asLong()).isEqualTo(13);
        assertThat(afterPartner.json().get("creditsAllocated").asLong()).isEqualTo(777);
        assertThat(afterPartner.json().get("creditsRemaining").asLong()).isEqualTo(763);
    }

    @Test
    void theDryRunSaysWhetherAndWhyAndWritesNothing() {
        api.workspace("ws-check", "DEV", Map.of("casesEnabled", false, "hardLimitPercent", 100));
        long items = api.table.itemCount();

        JsonNode task = check("ws-check", "{\"executionId\":\"c-1\",\"activity\":\"agent.execution\"}");
        JsonNode caseRun = check("ws-check", "{\"executionId\":\"c-2\",\"activity\":\"case.investigation\"}");

        assertThat(task.toString()).isEqualTo("{\"allowed\":true,\"creditsConsumed\":6,\"creditsRemainingAfter\":494,\"reason\":null}");
        assertThat(caseRun.get("allowed").asBoolean()).isFalse();
        assertThat(caseRun.get("reason").asText()).contains("does not have Cases enabled");
        assertThat(api.table.itemCount()).isEqualTo(items);

        for (int i = 0; i < 500; i++) {
            api.debit("ws-check", "fill-" + i, "task.execution");
        }
        JsonNode over = check("ws-check", "{\"executionId\":\"c-3\",\"activity\":\"task.execution\"}");
        JsonNode replay = check("ws-check", "{\"executionId\":\"fill-1\",\"activity\":\"task.execution\"}");
        assertThat(over.get("allowed").asBoolean()).isFalse();
        assertThat(over.get("reason").asText()).contains("hard limit");
        assertThat(over.get("creditsRemainingAfter").asLong()).isEqualTo(-1);
        assertThat(replay.get("allowed").asBoolean()).isTrue();
        assertThat(replay.get("creditsConsumed").asLong()).isZero();
    }

    @Test
    void theDryRunOfARecordedExecutionWhoseOccurredAtLeftTheWindowAgreesWithTheDebit() {
        api.workspace("ws-check-old", "DEV", Map.of());
        api.debitAt("ws-check-old", "run-1", "task.execution", "2026-11-25T09:00:00Z");
        api.clock.advance(Duration.ofDays(120));
        String old = "\"occurredAt\":\"2026-11-25T09:00:00Z\"";

        Response debit = api.debitAt("ws-check-old", "run-1", "task.execution", "2026-11-25T09:00:00Z");
        JsonNode dryRun = check("ws-check-old", "{\"executionId\":\"run-1\",\"activity\":\"task.execution\"," + old + "}");
        Response otherActivity = api.debitAt("ws-check-old", "run-1", "agent.execution", "2026-11-25T09:00:00Z");
        JsonNode otherDryRun = check("ws-check-old", "{\"executionId\":\"run-1\",\"activity\":\"agent.execution\"," + old + "}");

        assertThat(debit.status()).isEqualTo(200);
        assertThat(dryRun.get("allowed").asBoolean()).isTrue();
        assertThat(dryRun.get("creditsConsumed").asLong()).isZero();
        assertThat(dryRun.get("reason").asText()).startsWith("already recorded");
        assertThat(otherActivity.status()).isEqualTo(409);
        assertThat(otherDryRun.get("allowed").asBoolean()).isFalse();
        assertThat(otherDryRun.get("reason").asText()).contains("already recorded for activity 'task.execution'");
        // An id never recorded is refused by both alike.
        assertThat(api.debitAt("ws-check-old", "run-2", "task.execution", "2026-11-25T09:00:00Z").status()).isEqualTo(400);
        var event = com.aicredits.testkit.ApiEvents.load("record-execution.json", "ws-check-old",
                "{\"executionId\":\"run-2\",\"activity\":\"task.execution\"," + old + "}");
        event.setRouteKey(RecordExecutionHandler.CHECK);
        assertThat(DebitFixture.send(api.handler, event).status()).isEqualTo(400);
    }

    private JsonNode check(String workspaceId, String body) {
        var event = com.aicredits.testkit.ApiEvents.load("record-execution.json", workspaceId, body);
        event.setRouteKey(RecordExecutionHandler.CHECK);
        Response response = DebitFixture.send(api.handler, event);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }


    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
