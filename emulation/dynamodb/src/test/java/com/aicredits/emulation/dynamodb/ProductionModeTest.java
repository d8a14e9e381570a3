package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The production mode: conflicts, stale reads, partition throughput, lost answers, with its counters. */
class ProductionModeTest {

    private static void createTable(DynamoDbClient client) {
        client.createTable(r -> r.tableName("table").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(EngineTestSupport.definition("id")).keySchema(EngineTestSupport.hash("id")));
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
}
