package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The production mode: conflicts, stale reads, partition throughput, lost answers, with its counters. */
class ProductionModeTest {

    private static void createTable(DynamoDbClient client) {
        client.createTable(r -> r.tableName("table").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(EngineTestSupport.definition("id")).keySchema(EngineTestSupport.hash("id")));
    }

    /** {@code table} keyed by {@code id}, with a global secondary index {@code byOwner} on {@code owner} (ALL). */
    private static void createIndexedTable(DynamoDbClient client) {
        client.createTable(r -> r.tableName("table").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(EngineTestSupport.definition("id"), EngineTestSupport.definition("owner"))
                .keySchema(EngineTestSupport.hash("id"))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byOwner").keySchema(EngineTestSupport.hash("owner"))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
    }

    /** An engine in production mode whose partition buckets refill by {@code ticker} alone (no conflicts held, no stale reads). */
    private static DynamoDbEngine engine(ProductionMode.Settings settings, AtomicLong ticker) {
        return DynamoDbEngine.inMemory().productionMode(settings.withStaleReadPercent(0).withConflictHold(Duration.ZERO))
                .productionTicker(ticker::get).start();
    }

    /**
     * Puts {@code count} small items (1 write unit each, each on its own table partition) at {@code perSecond} on the
     * ticker, 25 to a BatchWriteItem (the ticker moved before each); how many were throttled (came back unprocessed).
     */
    private static int putAtRate(DynamoDbClient client, AtomicLong ticker, int count, int perSecond, IntFunction<String> owner) {
        int throttled = 0;
        for (int first = 0; first < count; first += 25) {
            ticker.set(first * 1_000_000_000L / perSecond);
            List<WriteRequest> batch = new ArrayList<>();
            for (int n = first; n < Math.min(count, first + 25); n++) {
                Map<String, AttributeValue> item = EngineTestSupport.item("id", "item-" + n, "owner", owner.apply(n));
                batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            }
            try {
                throttled += client.batchWriteItem(r -> r.requestItems(Map.of("table", batch))).unprocessedItems()
                        .getOrDefault("table", List.of()).size();
            } catch (ProvisionedThroughputExceededException e) {
                throttled += batch.size();
            }
        }
        return throttled;
    }

    /** With a 10-unit write limit and the ticker standing still: 10 one-unit puts (item-0 to item-9) empty index partition "hot". */
    private static void drainHotIndexPartition(DynamoDbClient client) {
        for (int i = 0; i < 10; i++) {
            int n = i;
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "item-" + n, "owner", "hot")));
        }
    }

    private static void assertIndexWriteThrottle(ProvisionedThroughputExceededException e) {
        assertThat(e.throttlingReasons()).extracting(ThrottlingReason::reason).containsExactly("IndexWriteKeyRangeThroughputExceeded");
        assertThat(e.throttlingReasons().getFirst().resource()).endsWith(":table/table/index/byOwner");
        assertThat(e.getMessage()).startsWith("Throughput exceeds the current capacity for one or more global secondary indexes.");
    }

    @Test
    void transactions_on_an_item_in_flight_in_another_are_cancelled_with_TransactionConflict() throws Exception {
        ProductionMode.Settings settings = ProductionMode.Settings.of(7).withConflictHold(Duration.ofMillis(30)).withStaleReadPercent(0);
        try (DynamoDbEngine engine = DynamoDbEngine.inMemory().productionMode(settings).start();
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            List<Future<String>> outcomes = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 8; i++) {
                    outcomes.add(pool.submit(() -> {
                        try {
                            client.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().update(u -> u.tableName("table")
                                    .key(EngineTestSupport.item("id", "hot")).updateExpression("ADD n :one")
                                    .expressionAttributeValues(Map.of(":one", EngineTestSupport.n("1")))).build()));
                            return "ok";
                        } catch (TransactionCanceledException e) {
                            return e.cancellationReasons().getFirst().code();
                        }
                    }));
                }
            }
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertThat(results).contains("ok", "TransactionConflict").containsOnly("ok", "TransactionConflict");
            long committed = results.stream().filter("ok"::equals).count();
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "hot")).consistentRead(true)).item())
                    .containsEntry("n", EngineTestSupport.n(Long.toString(committed)));
            assertThat(engine.stats().transactions()).isEqualTo(8);
            assertThat(engine.stats().transactionsCancelledByConflict()).isEqualTo(8 - committed);
        }
    }

    @Test
    void eventually_consistent_reads_may_be_served_an_older_version_and_consistent_reads_never() throws Exception {
        ProductionMode.Settings settings = ProductionMode.Settings.of(3).withStaleReadPercent(100).withLag(Duration.ofSeconds(10))
                .withConflictHold(Duration.ZERO);
        try (DynamoDbEngine engine = DynamoDbEngine.inMemory().productionMode(settings).start();
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "a", "v", 1)));
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "a", "v", 2)));
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "a"))).hasItem()).isFalse();
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "a")).consistentRead(true)).item())
                    .containsEntry("v", EngineTestSupport.n("2"));
            assertThat(engine.stats().staleReads()).isEqualTo(1);
            assertThat(engine.stats().readsMissingNewItem()).isEqualTo(1);
        }
    }

    @Test
    void a_partition_past_1000_write_units_a_second_is_throttled_with_ProvisionedThroughputExceededException() {
        ProductionMode.Settings settings = ProductionMode.Settings.of(5).withStaleReadPercent(0).withConflictHold(Duration.ZERO)
                .withPartitionLimits(10, 3000);
        try (DynamoDbEngine engine = DynamoDbEngine.inMemory().productionMode(settings).start();
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "hot", "v", "x".repeat(2000))));
                }
            }).isInstanceOf(ProvisionedThroughputExceededException.class);
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "cold")));
            assertThat(engine.stats().partitionThrottles()).isPositive();
        }
    }

    @Test
    void a_lost_response_answers_500_after_the_write_committed() {
        ProductionMode.Settings settings = ProductionMode.Settings.of(9).withStaleReadPercent(0).withConflictHold(Duration.ZERO)
                .withFaults(0, 100);
        try (DynamoDbEngine engine = DynamoDbEngine.inMemory().productionMode(settings).start();
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            assertThatThrownBy(() -> client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "a"))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "a")).consistentRead(true)).hasItem()).isTrue();
            assertThat(engine.stats().lostResponses()).isEqualTo(1);
        }
    }

    @Test
    void added_latency_delays_every_call() {
        ProductionMode.Settings settings = ProductionMode.Settings.of(1).withLatency(Duration.ofMillis(20), Duration.ofMillis(25));
        try (DynamoDbEngine engine = DynamoDbEngine.inMemory().productionMode(settings).start();
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            long start = System.nanoTime();
            client.listTables();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        }
    }

    @Test
    void puts_spread_over_table_partitions_are_throttled_when_they_share_a_hot_index_partition() {
        AtomicLong ticker = new AtomicLong();
        try (DynamoDbEngine engine = engine(ProductionMode.Settings.of(11), ticker);
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createIndexedTable(client);
            // 3,000 puts in a second, each on its own table partition, all on one index partition of 1,000 units a second
            int throttled = putAtRate(client, ticker, 3000, 3000, n -> "hot");
            // a second of burst (1,000 units) and what refilled by the last batch (at 0.992 s: 992 units) are written
            assertThat(3000 - throttled).isBetween(1990, 1995);
            assertThat(engine.stats().indexPartitionThrottles()).isEqualTo(throttled);
            assertThat(engine.stats().partitionThrottles()).isEqualTo(throttled);
            assertThat(client.query(r -> r.tableName("table").indexName("byOwner").keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":o", EngineTestSupport.s("hot")))
                    .select(Select.COUNT)).count()).isEqualTo(3000 - throttled);
            assertThatThrownBy(() -> client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "late", "owner", "hot"))))
                    .isInstanceOfSatisfying(ProvisionedThroughputExceededException.class, ProductionModeTest::assertIndexWriteThrottle);
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "late")).consistentRead(true)).hasItem())
                    .isFalse();
        }
    }

    @Test
    void the_same_puts_spread_over_ten_index_partitions_are_never_throttled() {
        AtomicLong ticker = new AtomicLong();
        try (DynamoDbEngine engine = engine(ProductionMode.Settings.of(11), ticker);
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createIndexedTable(client);
            assertThat(putAtRate(client, ticker, 3000, 3000, n -> "owner-" + n % 10)).isZero();
            assertThat(engine.stats().partitionThrottles()).isZero();
        }
    }

    @Test
    void a_hot_index_partition_cancels_a_transaction_writing_to_it_and_nothing_is_written() {
        AtomicLong ticker = new AtomicLong();
        try (DynamoDbEngine engine = engine(ProductionMode.Settings.of(13).withPartitionLimits(10, 3000), ticker);
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createIndexedTable(client);
            drainHotIndexPartition(client);
            assertThatThrownBy(() -> client.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("table").item(EngineTestSupport.item("id", "t1", "owner", "hot"))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName("table").item(EngineTestSupport.item("id", "t2", "owner", "cold"))).build())))
                    .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                        assertThat(e.cancellationReasons()).extracting(CancellationReason::code).containsExactly("ThrottlingError", "None");
                        assertThat(e.cancellationReasons().getFirst().message())
                                .startsWith("Throughput exceeds the current capacity for one or more global secondary indexes.");
                    });
            for (String id : List.of("t1", "t2")) {
                assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", id)).consistentRead(true)).hasItem())
                        .isFalse();
            }
            assertThat(engine.stats().indexPartitionThrottles()).isEqualTo(1);
            // the same transaction without the hot item commits: the cold index partition and the table partitions are not charged for it
            client.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("table").item(EngineTestSupport.item("id", "t2", "owner", "cold"))).build()));
        }
    }

    @Test
    void a_write_moving_an_item_out_of_a_hot_index_partition_is_charged_there_and_an_item_outside_the_index_is_not() {
        AtomicLong ticker = new AtomicLong();
        try (DynamoDbEngine engine = engine(ProductionMode.Settings.of(17).withPartitionLimits(10, 3000), ticker);
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createIndexedTable(client);
            drainHotIndexPartition(client);
            // the index entry moves from "hot" to "cold": a delete charged to "hot" (empty) and a put to "cold"
            assertThatThrownBy(() -> client.updateItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "item-0"))
                    .updateExpression("SET #o = :cold").expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":cold", EngineTestSupport.s("cold")))))
                    .isInstanceOfSatisfying(ProvisionedThroughputExceededException.class, ProductionModeTest::assertIndexWriteThrottle);
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "item-0")).consistentRead(true)).item())
                    .containsEntry("owner", EngineTestSupport.s("hot"));
            // sparse: items without the index's key attribute write nothing to it, and a table partition named "hot" is its own
            for (int i = 0; i < 20; i++) {
                int n = i;
                client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "plain-" + n, "v", n)));
            }
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "hot")));
            // a batch: the item for the hot index partition comes back unprocessed, the other is written
            var unprocessed = client.batchWriteItem(r -> r.requestItems(Map.of("table", List.of(
                    WriteRequest.builder().putRequest(p -> p.item(EngineTestSupport.item("id", "b1", "owner", "hot"))).build(),
                    WriteRequest.builder().putRequest(p -> p.item(EngineTestSupport.item("id", "b2", "owner", "cold"))).build()))))
                    .unprocessedItems();
            assertThat(unprocessed.get("table")).extracting(w -> w.putRequest().item().get("id").s()).containsExactly("b1");
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "b2")).consistentRead(true)).hasItem())
                    .isTrue();
            assertThat(engine.stats().indexPartitionThrottles()).isEqualTo(2);
            assertThat(engine.stats().partitionThrottles()).isEqualTo(2);
        }
    }

    @Test
    void a_query_on_an_index_is_charged_to_the_index_partition_not_the_table_partition_of_the_same_value() {
        AtomicLong ticker = new AtomicLong();
        try (DynamoDbEngine engine = engine(ProductionMode.Settings.of(19).withPartitionLimits(1000, 1), ticker);
             DynamoDbClient client = EngineTestSupport.client(engine)) {
            createIndexedTable(client);
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "a", "owner", "hot")));
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "hot")));
            Runnable query = () -> client.query(r -> r.tableName("table").indexName("byOwner").keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":o", EngineTestSupport.s("hot"))));
            query.run(); // half a unit each (eventually consistent, under 4 KB): two queries empty the unit
            query.run();
            assertThatThrownBy(query::run).isInstanceOfSatisfying(ProvisionedThroughputExceededException.class,
                    e -> assertThat(e.throttlingReasons()).extracting(ThrottlingReason::reason)
                            .containsExactly("IndexReadKeyRangeThroughputExceeded"));
            // the table's partition "hot" has its own unit
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "hot"))).hasItem()).isTrue();
            ticker.addAndGet(1_000_000_000L); // a second later the index partition has refilled
            query.run();
            assertThat(engine.stats().indexPartitionThrottles()).isEqualTo(1);
        }
    }
}
