package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.service.Retries;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.ItemSize;
import com.aicredits.testkit.ProductionSemantics;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * DynamoDB calls per debit, counted by an SDK interceptor, and write units by DynamoDB's published rules (DynamoDB
 * Local reports half of what DynamoDB charges for transactions). Printed for the closing note and bench.
 */
class DebitCostIntegrationTest {
    private final DebitFixture api = new DebitFixture("cost", Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void steadyStateDebitIsOneCallAndAtMostFiveWriteUnits() {
        api.workspace("ws-cost", "PRO", Map.of());
        api.debit("ws-cost", "warm-up", "task.execution");
        api.table.calls.reset();

        assertThat(api.debit("ws-cost", "run-1", "case.investigation").status()).isEqualTo(201);

        Map<String, Integer> calls = api.table.calls.snapshot();
        assertThat(calls).isEqualTo(Map.of("TransactWriteItems", 1));
        Map<String, AttributeValue> record = api.table.record("ws-cost", "run-1");
        Map<String, AttributeValue> balance = api.table.item("WS#ws-cost", "BALANCE#2026-11");
        int units = ItemSize.transactionalWriteUnits(record) + ItemSize.transactionalWriteUnits(balance)
                + ItemSize.indexWriteUnits(record);
        assertThat(units).isLessThanOrEqualTo(5);
        System.out.printf("bench: first debit (steady state): calls %s, write units by DynamoDB's rules %d"
                        + " (record %d B, balance %d B, GSI1 entry), the DynamoDB engine reported %s%n",
                calls, units, ItemSize.bytes(record), ItemSize.bytes(balance),
                api.table.calls.reportedTransactionCapacity());
    }

    @Test
    void aReplayIsOneCall() {
        api.workspace("ws-cost-replay", "PRO", Map.of());
        api.debit("ws-cost-replay", "run-1", "task.execution");
        api.table.calls.reset();

        assertThat(api.debit("ws-cost-replay", "run-1", "task.execution").status()).isEqualTo(200);

        assertThat(api.table.calls.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1));
        System.out.printf("bench: replay: calls %s, no item written%n", api.table.calls.snapshot());
    }

    @Test
    void aLostRaceIsTwoCallsWithTheFreshBalanceFromTheCancellation() {
        api.workspace("ws-cost-race", "PRO", Map.of());
        RecordExecutionHandler other = api.newContainer();
        api.debit("ws-cost-race", "mine-1", "task.execution");
        DebitFixture.send(other, ApiEvents.load("record-execution.json", "ws-cost-race",
                "{\"executionId\":\"theirs-1\",\"activity\":\"task.execution\"}"));
        api.table.calls.reset();

        DebitFixture.Response response = api.debit("ws-cost-race", "mine-2", "task.execution");

        assertThat(response.json().get("sequence").asLong()).isEqualTo(3);
        assertThat(api.table.calls.snapshot()).isEqualTo(Map.of("TransactWriteItems", 2));
        System.out.printf("bench: lost race: calls %s (the cancellation carries the fresh balance)%n", api.table.calls.snapshot());
    }

    @Test
    void aDebitThatOpensThePeriodIsTwoCallsOnAColdContainer() {
        api.workspace("ws-cost-open", "PRO", Map.of());
        ProductionSemantics.waitOutLag(); // a read that missed the new workspace would take a second, consistent one
        api.table.calls.reset();

        assertThat(api.debit("ws-cost-open", "run-1", "task.execution").status()).isEqualTo(201);

        Map<String, Integer> calls = api.table.calls.snapshot();
        assertThat(calls).isEqualTo(Map.of("BatchGetItem", 1, "TransactWriteItems", 1));
        Map<String, AttributeValue> record = api.table.record("ws-cost-open", "run-1");
        Map<String, AttributeValue> balance = api.table.item("WS#ws-cost-open", "BALANCE#2026-11");
        Map<String, AttributeValue> workspace = api.table.item("WS#ws-cost-open", "WORKSPACE");
        int units = ItemSize.transactionalWriteUnits(record) + ItemSize.transactionalWriteUnits(balance)
                + ItemSize.indexWriteUnits(record) + ItemSize.transactionalWriteUnits(workspace);
        System.out.printf("bench: period-opening debit: calls %s, write units by DynamoDB's rules %d (incl. the workspace"
                + " condition check), read units 1 (two eventually consistent reads)%n", calls, units);
    }

    @Test
    void aTransactionConflictIsRetriedAndDebitsOnce() {
        // The DynamoDB engine, its production mode off, runs transactions one at a time and never raises these: injected by the SDK interceptor.
        api.workspace("ws-conflict-fault", "PRO", Map.of());
        api.debit("ws-conflict-fault", "warm-up", "task.execution");
        Supplier<RuntimeException> conflict = () -> TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]")
                .cancellationReasons(CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("TransactionConflict").build())
                .build();
        Supplier<RuntimeException> throttled = () -> TransactionCanceledException.builder()
                .message("Transaction cancelled [ThrottlingError, None]")
                .cancellationReasons(CancellationReason.builder().code("ThrottlingError").build(),
                        CancellationReason.builder().code("None").build())
                .build();
        api.table.calls.reset();
        api.table.calls.failNextTransactions(List.of(conflict, throttled));

        DebitFixture.Response response = api.debit("ws-conflict-fault", "run-1", "agent.execution");

        assertThat(response.status()).isEqualTo(201);
        assertThat(api.table.calls.count("TransactWriteItems")).isEqualTo(3);
        assertThat(api.balance("ws-conflict-fault", "2026-11").get("used").asLong()).isEqualTo(7);
        assertThat(api.ledger("ws-conflict-fault", "2026-11")).hasSize(2);
    }

    @Test
    void contentionThatNeverClearsIsA503AndWritesNothing() {
        // Injected: the DynamoDB engine cannot be made to conflict forever.
        api.workspace("ws-forever", "PRO", Map.of());
        // Conflicts without end (more than any budget lets through); the debit gives up when its time is spent, not
        // after a count of tries: a budget of 300 ms here, 10 s deployed (template.yaml RETRY_BUDGET_MILLIS).
        conflictsWithoutEnd();
        long items = api.table.itemCount();
        RecordExecutionHandler shortBudget = new RecordExecutionHandler(api.table.services(api.clock)
                .withRetries(Retries.within(Duration.ofMillis(300))));

        long started = System.nanoTime();
        DebitFixture.Response response = DebitFixture.send(shortBudget, ApiEvents.load("record-execution.json",
                "ws-forever", "{\"executionId\":\"run-1\",\"activity\":\"task.execution\"}"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
                Duration.ofSeconds(60)); // its tries take their time on a loaded machine
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("contention");
        assertThat(api.table.itemCount()).isEqualTo(items);
        api.table.calls.reset();
        assertThat(api.debit("ws-forever", "run-1", "task.execution").status()).isEqualTo(201);
    }

    /**
     * Issue 30, item 9: a caller that says how long it waits (the Java client sends its debit attempt's wait less a margin)
     * gets its 503 contention by then, though the service's own budget (10 s) is longer: it is not still contending
     * when the caller's retry arrives. A header that is not a number of milliseconds is a 400 that writes nothing.
     */
    @Test
    void aCallersTimeoutEndsTheRetriesOfABusyBalanceFirst() {
        api.workspace("ws-caller-deadline", "PRO", Map.of());
        conflictsWithoutEnd();
        long items = api.table.itemCount();

        long started = System.nanoTime();
        DebitFixture.Response response = DebitFixture.send(api.handler, withTimeout(
                "{\"executionId\":\"run-1\",\"activity\":\"task.execution\"}", "250"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorCode()).isEqualTo("contention");
        // At least the caller's 250 ms, and far less than the 10 s budget's tries would take (loaded machines are slow).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(60));
        assertThat(api.table.itemCount()).isEqualTo(items);
        api.table.calls.reset();
        for (String bad : new String[] {"0", "-5", "1.5", "soon", "1000000", " "}) {
            DebitFixture.Response refused = DebitFixture.send(api.handler, withTimeout(
                    "{\"executionId\":\"run-2\",\"activity\":\"task.execution\"}", bad));
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_timeout");
        }
        assertThat(api.table.itemCount()).isEqualTo(items);
        assertThat(DebitFixture.send(api.handler, withTimeout("{\"executionId\":\"run-1\",\"activity\":\"task.execution\"}",
                "60000")).status()).isEqualTo(201);
    }

    /** Every transaction from now on cancelled for a conflict (more than any budget lets through); reset() ends it. */
    private void conflictsWithoutEnd() {
        Supplier<RuntimeException> conflict = () -> TransactionCanceledException.builder()
                .message("Transaction cancelled [None, TransactionConflict]")
                .cancellationReasons(CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("TransactionConflict").build())
                .build();
        api.table.calls.failNextTransactions(Collections.nCopies(1_000_000, conflict));
    }

    private static APIGatewayV2HTTPEvent withTimeout(String body, String millis) {
        return ApiEvents.withHeader(ApiEvents.load("record-execution.json", "ws-caller-deadline", body), "aicredits-timeout-ms", millis);
    }

    @Test
    void aDynamoDbOutageIsA503ThatWritesNothingAndTheRetrySucceeds() {
        // Injected: the DynamoDB engine does not throttle with its production mode off.
        api.workspace("ws-outage", "PRO", Map.of());
        api.debit("ws-outage", "warm-up", "task.execution");
        long items = api.table.itemCount();
        api.table.calls.failNextTransactions(List.of(() -> ProvisionedThroughputExceededException.builder()
                .message("Throughput exceeds the current capacity of your table").statusCode(400).build()));

        DebitFixture.Response refused = api.debit("ws-outage", "run-1", "task.execution");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("unavailable");
        assertThat(api.table.itemCount()).isEqualTo(items);
        assertThat(api.debit("ws-outage", "run-1", "task.execution").status()).isEqualTo(201);
    }
}
