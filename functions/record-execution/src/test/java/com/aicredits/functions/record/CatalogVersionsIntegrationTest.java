package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.functions.record.DebitFixture.Response;
import com.aicredits.testkit.AmendedCatalog;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A catalog amendment taking effect at a month boundary, through the real handler on our DynamoDB engine: each debit is
 * priced by the version in force at its occurredAt, and its record keeps that price and version.
 */
class CatalogVersionsIntegrationTest {
    private static final Instant DECEMBER = AmendedCatalog.EFFECTIVE;

    private final DebitFixture api = new DebitFixture("catalog", Instant.parse("2026-11-30T23:50:00Z"), AmendedCatalog.fromDecember());

    @Test
    void eachDebitIsPricedByTheVersionInForceAtItsOccurredAt() {
        api.workspace("ws-boundary", "PRO", Map.of());
        Response novemberLast = api.debit("ws-boundary", "nov-last", "case.investigation");
        api.clock.set(DECEMBER.plusSeconds(120));

        Response lateForNovember = api.debitAt("ws-boundary", "nov-late", "case.investigation", "2026-11-30T23:59:59.999Z");
        Response decemberFirst = api.debitAt("ws-boundary", "dec-first", "case.investigation", "2026-12-01T00:00:00Z");
        Response decemberTask = api.debit("ws-boundary", "dec-task", "task.execution");

        assertThat(novemberLast.json().get("creditsConsumed").asLong()).isEqualTo(12);
        assertThat(novemberLast.json().get("priceVersion").asText()).isEqualTo("2026-01-01");
        assertThat(lateForNovember.json().get("creditsConsumed").asLong()).isEqualTo(12);
        assertThat(lateForNovember.json().get("priceVersion").asText()).isEqualTo("2026-01-01");
        assertThat(lateForNovember.json().get("period").asText()).isEqualTo("2026-11");
        assertThat(decemberFirst.json().get("creditsConsumed").asLong()).isEqualTo(15);
        assertThat(decemberFirst.json().get("priceVersion").asText()).isEqualTo("2026-12-01");
        assertThat(decemberFirst.json().get("period").asText()).isEqualTo("2026-12");
        assertThat(decemberTask.json().get("creditsConsumed").asLong()).isEqualTo(2);
        assertThat(decemberTask.json().get("creditsUsed").asLong()).isEqualTo(17);
        assertThat(api.balance("ws-boundary", "2026-11").get("used").asLong()).isEqualTo(24);
    }

    @Test
    void aReplayAfterThePriceChangeReturnsTheOriginalPriceAndVersion() {
        api.workspace("ws-kept", "PRO", Map.of());
        Response original = api.debit("ws-kept", "run-1", "task.execution");
        api.clock.set(DECEMBER.plusSeconds(3600));

        Response replay = api.debitAt("ws-kept", "run-1", "task.execution", "2026-11-30T23:50:00Z");

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(original.body());
        assertThat(replay.json().get("priceVersion").asText()).isEqualTo("2026-01-01");
    }

    @Test
    void anActivityAddedByTheAmendmentExistsOnlyFromItsEffectiveTime() {
        api.workspace("ws-new", "PRO", Map.of());
        api.clock.set(DECEMBER.plusSeconds(60));

        Response before = api.debitAt("ws-new", "deep-1", "agent.deep-research", "2026-11-30T23:59:00Z");
        Response after = api.debit("ws-new", "deep-2", "agent.deep-research");

        assertThat(before.status()).isEqualTo(400);
        assertThat(before.json().at("/error/code").asText()).isEqualTo("unknown_activity");
        assertThat(after.status()).isEqualTo(201);
        assertThat(after.json().get("creditsConsumed").asLong()).isEqualTo(20);
        assertThat(api.balance("ws-new", "2026-11")).as("the refused debit wrote nothing").isNull();
    }
}
