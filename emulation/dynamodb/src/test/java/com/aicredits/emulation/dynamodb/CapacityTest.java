package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** ReturnConsumedCapacity as the Developer Guide computes it ("Read/write capacity mode", "Capacity unit consumption"). */
class CapacityTest extends EngineTestSupport {

    @Test
    void a_put_of_up_to_1_KB_costs_one_write_unit_and_of_1_KB_and_a_byte_two() {
        String table = simpleTable();
        // "id"(2) + "a"(1) + "v"(1) + value
        ConsumedCapacity small = dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", "x".repeat(1020)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertThat(small.capacityUnits()).isEqualTo(1.0);
        assertThat(small.tableName()).isEqualTo(table);
        ConsumedCapacity larger = dynamo.putItem(r -> r.tableName(table).item(item("id", "b", "v", "x".repeat(1021)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertThat(larger.capacityUnits()).isEqualTo(2.0);
    }

    @Test
    void a_put_replacing_a_larger_item_costs_by_the_larger_of_the_two() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", "x".repeat(3000))));
        ConsumedCapacity capacity = dynamo.putItem(r -> r.tableName(table).item(item("id", "a"))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertThat(capacity.capacityUnits()).isEqualTo(3.0);
    }

    @Test
    void an_eventually_consistent_get_costs_half_a_unit_per_4_KB_and_a_strongly_consistent_one_a_unit() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", "x".repeat(5000))));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "a")).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().capacityUnits()).isEqualTo(1.0);
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "a")).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits()).isEqualTo(2.0);
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "none")).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().capacityUnits()).isEqualTo(0.5);
    }

    @Test
    void indexes_mode_splits_the_table_and_each_index_written() {
        String table = creditsTable();
        ConsumedCapacity capacity = dynamo.putItem(r -> r.tableName(table)
                .item(item("PK", "a", "SK", "1", "GSI1PK", "g", "GSI1SK", "1"))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
        assertThat(capacity.table().capacityUnits()).isEqualTo(1.0);
        assertThat(capacity.globalSecondaryIndexes()).containsOnlyKeys("GSI1");
        assertThat(capacity.globalSecondaryIndexes().get("GSI1").capacityUnits()).isEqualTo(1.0);
        assertThat(capacity.capacityUnits()).isEqualTo(2.0);
    }

    @Test
    void changing_an_index_key_costs_two_index_writes_a_delete_and_a_put() {
        String table = creditsTable();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "GSI1PK", "g", "GSI1SK", "1")));
        ConsumedCapacity capacity = dynamo.putItem(r -> r.tableName(table)
                .item(item("PK", "a", "SK", "1", "GSI1PK", "g", "GSI1SK", "2"))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
        assertThat(capacity.globalSecondaryIndexes().get("GSI1").capacityUnits()).isEqualTo(2.0);
    }

    @Test
    void a_write_that_touches_no_projected_attribute_of_an_index_writes_nothing_to_it() {
        String table = creditsTable();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1")));
        ConsumedCapacity capacity = dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "v", 1))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
        assertThat(capacity.hasGlobalSecondaryIndexes()).isFalse();
        assertThat(capacity.capacityUnits()).isEqualTo(1.0);
    }

    @Test
    void a_transactional_write_costs_two_units_per_KB() {
        String table = simpleTable();
        var capacity = dynamo.transactWriteItems(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "a"))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "b", "v", "x".repeat(1500)))).build()))
                .consumedCapacity();
        assertThat(capacity).hasSize(1);
        assertThat(capacity.getFirst().capacityUnits()).isEqualTo(2.0 + 4.0);
    }

    @Test
    void a_transactional_write_reports_its_index_writes_per_index_and_does_not_double_them() {
        String table = creditsTable();
        var capacity = dynamo.transactWriteItems(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(item("PK", "a", "SK", "1", "GSI1PK", "g", "GSI1SK", "1", "GSI2PK", "h", "GSI2SK", "1"))).build()))
                .consumedCapacity().getFirst();
        assertThat(capacity.table().capacityUnits()).isEqualTo(2.0);
        assertThat(capacity.globalSecondaryIndexes()).containsOnlyKeys("GSI1", "GSI2");
        assertThat(capacity.globalSecondaryIndexes().get("GSI1").capacityUnits()).isEqualTo(1.0);
        assertThat(capacity.globalSecondaryIndexes().get("GSI2").capacityUnits()).isEqualTo(1.0);
        assertThat(capacity.capacityUnits()).isEqualTo(4.0);
    }

    @Test
    void a_batch_write_reports_its_index_writes_with_indexes_and_counts_them_in_total() {
        String table = creditsTable();
        var request = java.util.List.of(
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(
                        item("PK", "a", "SK", "1", "GSI1PK", "g", "GSI1SK", "1"))).build(),
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(
                        item("PK", "b", "SK", "1"))).build());
        ConsumedCapacity indexes = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, request))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity().getFirst();
        assertThat(indexes.table().capacityUnits()).isEqualTo(2.0);
        assertThat(indexes.globalSecondaryIndexes()).containsOnlyKeys("GSI1");
        assertThat(indexes.globalSecondaryIndexes().get("GSI1").capacityUnits()).isEqualTo(1.0);
        ConsumedCapacity total = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, request))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().getFirst();
        // the same items again: the index entry is unchanged, so only the table is written
        assertThat(total.capacityUnits()).isEqualTo(2.0);
        assertThat(total.hasGlobalSecondaryIndexes()).isFalse();
    }

    @Test
    void a_transactional_get_costs_two_units_per_4_KB() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a")));
        var capacity = dynamo.transactGetItems(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(t -> t.get(g -> g.tableName(table).key(item("id", "a"))))).consumedCapacity();
        assertThat(capacity.getFirst().capacityUnits()).isEqualTo(2.0);
    }

    @Test
    void batch_get_rounds_each_item_up_separately() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a")));
        dynamo.putItem(r -> r.tableName(table).item(item("id", "b")));
        var capacity = dynamo.batchGetItem(r -> r.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).requestItems(Map.of(table,
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(item("id", "a"), item("id", "b")).build())))
                .consumedCapacity();
        assertThat(capacity.getFirst().capacityUnits()).isEqualTo(1.0);
    }
}
