package com.aicredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** The production-semantics mode plays DynamoDB's conflicts and stale reads on DynamoDB Local, in DynamoDB's shapes. */
class ProductionSemanticsIntegrationTest {
    private static final LocalDynamoDb DYNAMODB = LocalDynamoDb.shared();

    /** Seed 1's first draw holds the first write 73% of maxHold: long enough for a second call to overlap it. */
    private static final ProductionSemantics.Settings LONG_HOLD = new ProductionSemantics.Settings(
            1, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0);

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }

    private static TransactWriteItem put(String table, String pk, String sk) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(key(pk, sk))).build();
    }

    @Test
    void aTransactionOverlappingAnInFlightOneIsCancelledWithOneReasonPerItem() throws Exception {
        String table = DYNAMODB.createTable("semantics");
        try (DynamoDbClient client = DYNAMODB.client(new ProductionSemantics(LONG_HOLD))) {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() ->
                    client.transactWriteItems(b -> b.transactItems(put(table, "WS#a", "X"), put(table, "WS#a", "Y"))));
            Thread.sleep(300);

            assertThatThrownBy(() -> client.transactWriteItems(b -> b.transactItems(put(table, "WS#b", "Z"), put(table, "WS#a", "Y"))))
                    .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                        assertThat(e.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None", "TransactionConflict");
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TransactionCanceledException");
                        assertThat(e.statusCode()).isEqualTo(400);
                    });
            first.get();
            // Once the first one is done, the same transaction goes through.
            client.transactWriteItems(b -> b.transactItems(put(table, "WS#b", "Z"), put(table, "WS#a", "Y")));
        }
    }

    @Test
    void aSingleItemWriteRacingATransactionOnItsItemFailsWithTransactionConflict() throws Exception {
        String table = DYNAMODB.createTable("semantics");
        try (DynamoDbClient client = DYNAMODB.client(new ProductionSemantics(LONG_HOLD))) {
            CompletableFuture<Void> transaction = CompletableFuture.runAsync(() ->
                    client.transactWriteItems(b -> b.transactItems(put(table, "WS#a", "X"))));
            Thread.sleep(300);

            assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(key("WS#a", "X"))))
                    .isInstanceOf(TransactionConflictException.class);
            // Another item is free.
            client.putItem(b -> b.tableName(table).item(key("WS#a", "other")));
            transaction.get();
        }
    }

    @Test
    // A lag of 2 s: the first calls of a cold JVM on a loaded machine took longer than a shorter one.
    void anEventuallyConsistentReadSeesTheItemAsItWasWithinTheLag() throws Exception {
        String table = DYNAMODB.createTable("semantics");
        ProductionSemantics semantics = new ProductionSemantics(new ProductionSemantics.Settings(
                7, 100, Duration.ofMillis(2_000), Duration.ZERO, 0, 0));
        try (DynamoDbClient client = DYNAMODB.client(semantics)) {
            client.putItem(b -> b.tableName(table).item(Map.of("PK", AttributeValue.fromS("WS#a"), "SK", AttributeValue.fromS("X"),
                    "n", AttributeValue.fromN("1"))));

            // Created just now: an eventually consistent read may miss it; a consistent one never does.
            assertThat(client.getItem(b -> b.tableName(table).key(key("WS#a", "X"))).hasItem()).isFalse();
            assertThat(client.batchGetItem(b -> b.requestItems(Map.of(table, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes
                    .builder().keys(key("WS#a", "X")).build()))).responses().get(table)).isEmpty();
            assertThat(client.query(b -> b.tableName(table).keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("WS#a")))).items()).isEmpty();
            assertThat(client.getItem(b -> b.tableName(table).key(key("WS#a", "X")).consistentRead(true)).item().get("n").n()).isEqualTo("1");

            Thread.sleep(2_500);
            client.updateItem(b -> b.tableName(table).key(key("WS#a", "X")).updateExpression("SET n = :two")
                    .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2"))));
            // Updated just now: the previous version, which stood more than the lag.
            assertThat(client.getItem(b -> b.tableName(table).key(key("WS#a", "X"))).item().get("n").n()).isEqualTo("1");
            assertThat(client.query(b -> b.tableName(table).keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("WS#a")))).items())
                    .extracting(item -> item.get("n").n()).containsExactly("1");

            Thread.sleep(2_500);
            // Past the lag, every read is fresh again.
            assertThat(client.getItem(b -> b.tableName(table).key(key("WS#a", "X"))).item().get("n").n()).isEqualTo("2");
            assertThat(semantics.stats().staleReads()).isEqualTo(5);
            assertThat(semantics.stats().readsMissingNewItem()).isEqualTo(3);
        }
    }

    /**
     * Issue 30, item 8: a ledger read after {@link ProductionSemantics#waitOutLag} missed a refund line written just
     * before. The wait counted the lag from the moment a write's read-back started, while the version it records is
     * dated when the read-back ended: a read drawn at the far end of the lag fell between the two and saw the item as
     * not yet there. On a clock that spends a whole lag reading back, a read right when the lag has passed must see the
     * write, whatever the draw.
     */
    @Test
    void onceTheLagHasPassedSinceTheLastWriteEveryReadSeesIt() {
        String table = DYNAMODB.createTable("semantics");
        Duration lag = Duration.ofSeconds(1);
        long[] now = {0};
        // Every reading of the clock takes a lag: the read-back between "written" and "recorded" is as slow as can be.
        ProductionSemantics semantics = new ProductionSemantics(new ProductionSemantics.Settings(3, 100, lag, Duration.ZERO, 0, 0),
                () -> {
                    long at = now[0];
                    now[0] += lag.toNanos();
                    return at;
                });
        try (DynamoDbClient client = DYNAMODB.client(semantics)) {
            client.putItem(b -> b.tableName(table).item(key("WS#a", "REFUND#1")));
            for (int i = 0; i < 20; i++) {
                now[0] = semantics.settledAt();
                assertThat(client.query(b -> b.tableName(table).keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("WS#a")))).items()).as("read %d", i).hasSize(1);
                assertThat(client.getItem(b -> b.tableName(table).key(key("WS#a", "REFUND#1"))).hasItem()).isTrue();
            }
        }
    }

    @Test
    void throttlesAreRetriedByTheSdkAndALostResponseHidesACommittedWrite() {
        String table = DYNAMODB.createTable("semantics");
        ProductionSemantics throttling = new ProductionSemantics(new ProductionSemantics.Settings(3, 0, Duration.ofSeconds(1),
                Duration.ZERO, 100, 0));
        try (DynamoDbClient client = DYNAMODB.client(throttling)) {
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(key("WS#a", "X"))))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.class);
            // The SDK's retries (its standard mode: 3 attempts for DynamoDB) each met a throttle.
            assertThat(throttling.stats().throttles()).isGreaterThan(1);
        }
        ProductionSemantics losing = new ProductionSemantics(new ProductionSemantics.Settings(3, 0, Duration.ofSeconds(1),
                Duration.ZERO, 0, 100));
        try (DynamoDbClient client = DYNAMODB.client(losing)) {
            assertThatThrownBy(() -> client.transactWriteItems(b -> b.transactItems(put(table, "WS#a", "lost"))))
                    .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
            assertThat(client.getItem(b -> b.tableName(table).key(key("WS#a", "lost")).consistentRead(true)).hasItem()).isTrue();
            assertThat(losing.stats().lostResponses()).isEqualTo(1);
        }
    }

    @Test
    void theSameSeedDrawsTheSameDecisions() {
        List<Long> first = holds(new ProductionSemantics(ProductionSemantics.Settings.of(42)));
        assertThat(holds(new ProductionSemantics(ProductionSemantics.Settings.of(42)))).isEqualTo(first);
    }

    private static List<Long> holds(ProductionSemantics semantics) {
        return java.util.stream.IntStream.range(0, 5).mapToObj(i -> semantics.nextHoldNanos()).toList();
    }
}
