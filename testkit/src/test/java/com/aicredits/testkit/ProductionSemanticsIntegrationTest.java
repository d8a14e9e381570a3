package com.aicredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.emulation.dynamodb.ProductionMode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The tests' switch for production at its least kind: a table given a {@link ProductionSemantics} lands on an engine
 * of its own playing the engine's production mode with these settings, the shared engine stays kind, and the mode's
 * figures are read back through the switch. What the mode itself does, case by case, is the engine's conformance
 * suite's business ({@code emulation/dynamodb}, ProductionModeTest).
 */
class ProductionSemanticsIntegrationTest {

    /** Writes held up to a second in flight: long enough for a second call to overlap the first. */
    private static final ProductionSemantics.Settings LONG_HOLD = new ProductionSemantics.Settings(
            1, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0);

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }

    private static TransactWriteItem put(String table, String pk, String sk) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(key(pk, sk))).build();
    }

    @Test
    void theSettingsMapOntoTheEnginesModeWithDynamoDbsPartitionLimitsAndNoAddedLatency() {
        ProductionMode.Settings engine = new ProductionSemantics.Settings(5, 40, Duration.ofMillis(700), Duration.ofMillis(4), 2, 3)
                .engineSettings();

        assertThat(engine).isEqualTo(new ProductionMode.Settings(5, 40, Duration.ofMillis(700), Duration.ofMillis(4), 1000, 3000,
                Duration.ZERO, Duration.ZERO, 2, 3));
        assertThat(ProductionSemantics.Settings.of(9).engineSettings()).isEqualTo(ProductionMode.Settings.of(9));
    }

    @Test
    void aTableGivenTheModeIsOnAnEngineOfItsOwnWhereOverlappingTransactionsAreCancelled() throws Exception {
        ProductionSemantics semantics = new ProductionSemantics(LONG_HOLD);
        CreditsTable table = new CreditsTable("semantics", semantics);
        assertThat(table.dynamoDbLocal.endpoint()).isNotEqualTo(LocalDynamoDb.shared().endpoint());
        assertThat(semantics.dynamoDb()).isSameAs(table.dynamoDbLocal);

        // Drawn until one holds its transaction long enough for a second one to meet it in flight.
        TransactionCanceledException cancelled = null;
        for (int attempt = 0; attempt < 10 && cancelled == null; attempt++) {
            String pk = "WS#a" + attempt;
            CompletableFuture<Void> first = CompletableFuture.runAsync(() ->
                    table.client.transactWriteItems(b -> b.transactItems(put(table.name, pk, "X"), put(table.name, pk, "Y"))));
            Thread.sleep(150);
            try {
                table.client.transactWriteItems(b -> b.transactItems(put(table.name, "WS#b", "Z" + pk), put(table.name, pk, "Y")));
            } catch (TransactionCanceledException e) {
                cancelled = e;
            }
            first.get();
        }

        assertThat(cancelled).as(semantics.stats().toString()).isNotNull();
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None", "TransactionConflict");
        assertThat(cancelled.awsErrorDetails().errorCode()).isEqualTo("TransactionCanceledException");
        assertThat(semantics.stats().transactionsCancelledByConflict()).isPositive();
        assertThat(semantics.stats().transactions()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theSharedEngineStaysKindWhenTheJvmWideSwitchIsOff() throws Exception {
        assertThat(ProductionSemantics.fromSystemProperties()).isNull();
        CreditsTable table = new CreditsTable("kind");
        CompletableFuture<Void> first = CompletableFuture.runAsync(() ->
                table.client.transactWriteItems(b -> b.transactItems(put(table.name, "WS#a", "X"))));
        table.client.transactWriteItems(b -> b.transactItems(put(table.name, "WS#a", "X")));
        first.get();

        table.client.putItem(b -> b.tableName(table.name).item(key("WS#new", "X")));
        assertThat(table.client.getItem(b -> b.tableName(table.name).key(key("WS#new", "X"))).hasItem()).isTrue();
        assertThat(LocalDynamoDb.shared().stats().transactions()).isZero();
    }

    @Test
    void staleReadsAndLostAnswersAreCountedThroughTheSwitch() {
        ProductionSemantics stale = new ProductionSemantics(new ProductionSemantics.Settings(7, 100, Duration.ofSeconds(10),
                Duration.ZERO, 0, 0));
        CreditsTable table = new CreditsTable("semantics-stale", stale);
        table.client.putItem(b -> b.tableName(table.name).item(key("WS#a", "X")));

        // Created just now: an eventually consistent read misses it; a consistent one never does.
        assertThat(table.client.getItem(b -> b.tableName(table.name).key(key("WS#a", "X"))).hasItem()).isFalse();
        assertThat(table.item("WS#a", "X")).isNotEmpty();
        assertThat(stale.stats().staleReads()).isEqualTo(1);
        assertThat(stale.stats().readsMissingNewItem()).isEqualTo(1);

        ProductionSemantics losing = new ProductionSemantics(new ProductionSemantics.Settings(3, 0, Duration.ofSeconds(1),
                Duration.ZERO, 0, 100));
        try (DynamoDbClient client = losing.dynamoDb().client()) {
            String name = losing.dynamoDb().createTable("semantics-lost");
            // Every attempt's answer is lost (500, which the SDK retries): the caller sees an error, the write is there.
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(name).item(key("WS#a", "lost"))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(client.getItem(b -> b.tableName(name).key(key("WS#a", "lost")).consistentRead(true)).hasItem()).isTrue();
            assertThat(losing.stats().lostResponses()).isPositive();
        }
    }
}
