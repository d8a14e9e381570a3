package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Many writers on one workspace while transactions fail at random. Our DynamoDB engine, its production mode off,
 * runs transactions one at a time and never conflicts, throttles or loses a response, so these faults are injected by an SDK interceptor
 * (testkit's DynamoDbCalls): cancellations for TransactionConflict and ThrottlingError (the service retries them
 * itself, at most 40 times), throughput errors (a 503 to the client, who sends the same request again),
 * and committed transactions whose response is lost (a 503; the client's retry finds the record and gets it back).
 * Nothing is lost or doubled and the ledger stays exact.
 */
class TransactionFaultsUnderLoadIntegrationTest {
    private static final int THREADS = 8;
    private static final int REQUESTS_PER_THREAD = 60;
    private static final int MAX_CLIENT_ATTEMPTS = 30;
    private static final String[] ACTIVITIES = {"task.execution", "agent.execution", "case.investigation", "case.conversation"};
    private static final Map<String, Long> PRICES = Map.of("task.execution", 1L, "agent.execution", 6L,
            "case.investigation", 12L, "case.conversation", 8L);

    private final DebitFixture api = new DebitFixture("faults", Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void conflictsThrottlesAndLostResponsesAreRetriedBoundedAndDoubleNothing() throws Exception {
        api.workspace("ws-faulty", "ELITE_PLUS", Map.of());
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer(), api.newContainer(), api.newContainer());
        api.table.calls.reset();
        api.table.calls.failTransactionsAtRandom(20261125L, 30, List.of(
                cancelled("TransactionConflict"), cancelled("TransactionConflict"), cancelled("ThrottlingError"),
                () -> ProvisionedThroughputExceededException.builder().message("injected: throughput exceeded").statusCode(400).build()),
                4);

        ConcurrentClients.Run run = ConcurrentClients.run(containers, "ws-faulty", "f", ACTIVITIES, THREADS,
                REQUESTS_PER_THREAD, MAX_CLIENT_ATTEMPTS);
        api.table.calls.stopFailingTransactions();

        assertThat(run.wrong()).isEmpty();
        // Each lost answer of a committed debit: the client's retry found the record and got it back.
        assertThat(run.answeredByReplay()).isEqualTo(api.table.calls.lostResponses()).isPositive();
        assertThat(run.gaveUp()).isZero();
        int debits = THREADS * REQUESTS_PER_THREAD * 9 / 10;
        List<JsonNode> ledger = api.assertLedgerIsExact("ws-faulty", "2026-11", debits);
        for (JsonNode record : ledger) {
            assertThat(record.toString()).isEqualTo(DebitFixture.Response.parse(run.firstBodies().get(record.get("executionId").asText())).toString());
        }
        assertThat(ledger.getLast().get("creditsUsed").asLong()).isEqualTo(run.activityOf().values().stream().mapToLong(PRICES::get).sum());
        // Bounded: the service never ran out of tries, and a request took a handful of transactions on average.
        int transactions = api.table.calls.count("TransactWriteItems");
        assertThat(transactions).isLessThan(10 * THREADS * REQUESTS_PER_THREAD);
        System.out.printf("faults: %d debits, %d transactions, %d client retries on 503, %d committed answers lost and found again%n",
                debits, transactions, run.clientRetries(), run.answeredByReplay());
    }

    private static Supplier<RuntimeException> cancelled(String reason) {
        return () -> TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons [None, " + reason + "]")
                .cancellationReasons(CancellationReason.builder().code("None").build(), CancellationReason.builder().code(reason).build())
                .build();
    }
}
