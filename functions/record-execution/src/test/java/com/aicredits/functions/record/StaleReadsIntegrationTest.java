package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.ProductionSemantics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Debits where every eventually consistent read is stale (served as the table stood between half the lag and the lag
 * ago), as DynamoDB may serve them: no decision may be taken from such a read alone.
 */
class StaleReadsIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static ProductionSemantics staleReads(Duration lag) {
        return new ProductionSemantics(new ProductionSemantics.Settings(ProductionSemantics.Settings.forTests().seed(),
                100, lag, Duration.ofMillis(1), 0, 0));
    }

    @Test
    void theFirstDebitRightAfterAWorkspaceIsCreatedIsRecordedNotRefusedWith404() {
        // A long lag, so that even a cold JVM's first debit comes well within it.
        ProductionSemantics semantics = staleReads(Duration.ofSeconds(10));
        DebitFixture api = new DebitFixture("stale-reads", NOW, semantics);
        api.workspace("ws-new", "DEV", Map.of());

        DebitFixture.Response first = coldDebit(api, "ws-new", "exec-1");

        assertThat(first.status()).as(first.body() + " " + semantics.settings()).isEqualTo(201);
        assertThat(semantics.stats().readsMissingNewItem()).as(semantics.stats().toString()).isPositive();
        assertThat(coldDebit(api, "ws-nobody", "exec-1").status()).isEqualTo(404);
    }

    @Test
    void aDebitRightAfterATierChangeOpensThePeriodAtTheNewAllocationWithoutLooping() throws Exception {
        Duration lag = Duration.ofSeconds(1);
        ProductionSemantics semantics = staleReads(lag);
        DebitFixture api = new DebitFixture("stale-reads", NOW, semantics);
        api.workspace("ws-upgraded", "DEV", Map.of());
        Thread.sleep(lag.toMillis() + 100);
        api.workspace("ws-upgraded", "PRO", Map.of());
        api.table.calls.reset();

        DebitFixture.Response debit = coldDebit(api, "ws-upgraded", "exec-1");

        assertThat(debit.status()).as(debit.body() + " " + semantics.stats()).isEqualTo(201);
        assertThat(debit.json().get("creditsAllocated").asLong()).isEqualTo(5_000);
        // One try on the stale version, found out by its condition, then one on a consistent read: not a loop of
        // tries, each on a stale read again, until the lag has passed.
        assertThat(api.table.calls.count("TransactWriteItems")).isEqualTo(2);
    }

    /** A debit served by a new container: nothing cached, its first read of the workspace is eventually consistent. */
    private static DebitFixture.Response coldDebit(DebitFixture api, String workspaceId, String executionId) {
        return DebitFixture.send(api.newContainer(), ApiEvents.load("record-execution.json", workspaceId,
                "{\"executionId\":\"" + executionId + "\",\"activity\":\"task.execution\"}"));
    }
}
