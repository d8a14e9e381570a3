package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTimeToLive, DescribeTimeToLive (API Reference). */
class TablesTest extends EngineTestSupport {

    @Test
    void a_created_table_is_active_at_once_and_describes_its_keys_indexes_and_stream() {
        String name = creditsTable();
        TableDescription table = dynamo.describeTable(r -> r.tableName(name)).table();
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.keySchema()).extracting(k -> k.attributeName()).containsExactly("PK", "SK");
        assertThat(table.globalSecondaryIndexes()).extracting(i -> i.indexName()).containsExactly("GSI1", "GSI2");
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/" + name);
        assertThat(table.latestStreamArn()).startsWith(table.tableArn() + "/stream/");
        assertThat(table.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
    }

    @Test
    void creating_an_existing_table_is_ResourceInUseException() {
        String name = simpleTable();
        assertThatThrownBy(() -> dynamo.createTable(CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("id")).keySchema(hash("id")).build()))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("Table already exists: " + name);
    }

    @Test
    void an_attribute_definition_no_key_uses_is_refused() {
        assertThatThrownBy(() -> dynamo.createTable(CreateTableRequest.builder().tableName("unused-defs").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("id"), definition("other")).keySchema(hash("id")).build()))
                .hasMessageContaining("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }

    @Test
    void a_provisioned_table_needs_its_throughput() {
        assertThatThrownBy(() -> dynamo.createTable(CreateTableRequest.builder().tableName("no-throughput").billingMode(BillingMode.PROVISIONED)
                .attributeDefinitions(definition("id")).keySchema(hash("id")).build()))
                .hasMessageContaining("ReadCapacityUnits and WriteCapacityUnits must both be specified");
    }

    @Test
    void list_tables_pages_by_name_with_LastEvaluatedTableName() {
        simpleTable();
        simpleTable();
        var first = dynamo.listTables(r -> r.limit(1));
        assertThat(first.tableNames()).hasSize(1);
        assertThat(first.lastEvaluatedTableName()).isEqualTo(first.tableNames().getFirst());
        var next = dynamo.listTables(r -> r.exclusiveStartTableName(first.lastEvaluatedTableName()));
        assertThat(next.tableNames()).doesNotContain(first.tableNames().getFirst()).isSorted();
    }

    @Test
    void a_deleted_table_is_gone() {
        String name = simpleTable();
        assertThat(dynamo.deleteTable(r -> r.tableName(name)).tableDescription().tableStatus()).isEqualTo(TableStatus.DELETING);
        assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName(name))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void time_to_live_is_enabled_and_described_and_enabling_twice_is_refused() {
        String name = simpleTable();
        assertThat(dynamo.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.DISABLED);
        dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        var description = dynamo.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription();
        assertThat(description.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(description.attributeName()).isEqualTo("expiresAt");
        assertThatThrownBy(() -> dynamo.updateTimeToLive(r -> r.tableName(name)
                .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true))))
                .hasMessageContaining("TimeToLive is already enabled");
    }

    @Test
    void describe_counts_items_and_bytes_of_the_table_and_its_sparse_indexes() {
        String name = creditsTable();
        dynamo.putItem(r -> r.tableName(name).item(item("PK", "a", "SK", "1", "GSI1PK", "g", "GSI1SK", "1")));
        dynamo.putItem(r -> r.tableName(name).item(item("PK", "a", "SK", "2")));
        TableDescription table = dynamo.describeTable(r -> r.tableName(name)).table();
        assertThat(table.itemCount()).isEqualTo(2);
        assertThat(table.globalSecondaryIndexes().get(0).itemCount()).isEqualTo(1);
        assertThat(table.globalSecondaryIndexes().get(1).itemCount()).isZero();
        assertThat(table.tableSizeBytes()).isEqualTo((2 + 1 + 2 + 1 + 6 + 1 + 6 + 1) + (2 + 1 + 2 + 1));
    }
}
