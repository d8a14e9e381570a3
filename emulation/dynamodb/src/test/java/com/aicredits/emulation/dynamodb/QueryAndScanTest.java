package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Query and Scan on the table and its GSIs: key conditions, order, pages, filters, projections, segments (API Reference). */
class QueryAndScanTest extends EngineTestSupport {
    private static String table;

    @BeforeAll
    static void items() {
        table = creditsTable();
        for (int i = 1; i <= 9; i++) {
            String sk = "REC#" + i;
            dynamo.putItem(r -> r.tableName(table).item(item("PK", "WS#1", "SK", sk, "amount", Integer.parseInt(sk.substring(4)),
                    "GSI1PK", "USER#u", "GSI1SK", "T#" + sk.substring(4))));
        }
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "WS#1", "SK", "BALANCE", "amount", 100)));
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "WS#2", "SK", "REC#1", "amount", 7)));
    }

    private static QueryResponse query(String condition, Map<String, AttributeValue> values) {
        return dynamo.query(r -> r.tableName(table).keyConditionExpression(condition).expressionAttributeValues(values));
    }

    @Test
    void a_query_returns_the_partition_in_sort_key_order_by_utf8_bytes() {
        QueryResponse response = query("PK = :pk", Map.of(":pk", s("WS#1")));
        assertThat(response.items()).extracting(i -> i.get("SK").s())
                .containsExactly("BALANCE", "REC#1", "REC#2", "REC#3", "REC#4", "REC#5", "REC#6", "REC#7", "REC#8", "REC#9");
        assertThat(response.count()).isEqualTo(10);
        assertThat(response.hasLastEvaluatedKey()).isFalse();
    }

    @Test
    void begins_with_and_between_select_a_range_of_sort_keys() {
        assertThat(query("PK = :pk AND begins_with(SK, :p)", Map.of(":pk", s("WS#1"), ":p", s("REC#"))).count()).isEqualTo(9);
        assertThat(query("PK = :pk AND SK BETWEEN :a AND :b", Map.of(":pk", s("WS#1"), ":a", s("REC#2"), ":b", s("REC#4"))).items())
                .extracting(i -> i.get("SK").s()).containsExactly("REC#2", "REC#3", "REC#4");
        assertThat(query("PK = :pk AND SK > :a", Map.of(":pk", s("WS#1"), ":a", s("REC#8"))).count()).isEqualTo(1);
    }

    @Test
    void scan_index_forward_false_reverses_the_order_and_limit_pages_with_LastEvaluatedKey() {
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                    .expressionAttributeValues(Map.of(":pk", s("WS#1"), ":p", s("REC#"))).scanIndexForward(false).limit(4)
                    .exclusiveStartKey(from));
            page.items().forEach(i -> seen.add(i.get("SK").s()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertThat(seen).containsExactly("REC#9", "REC#8", "REC#7", "REC#6", "REC#5", "REC#4", "REC#3", "REC#2", "REC#1");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void the_filter_applies_after_the_limit_so_ScannedCount_counts_what_was_read() {
        QueryResponse response = dynamo.query(r -> r.tableName(table).keyConditionExpression("PK = :pk")
                .filterExpression("amount > :five").expressionAttributeValues(Map.of(":pk", s("WS#1"), ":five", n("5"))).limit(5));
        assertThat(response.scannedCount()).isEqualTo(5);
        assertThat(response.items()).extracting(i -> i.get("SK").s()).containsExactly("BALANCE");
        assertThat(response.hasLastEvaluatedKey()).isTrue();
    }

    @Test
    void select_count_returns_counts_and_no_items() {
        QueryResponse response = dynamo.query(r -> r.tableName(table).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", s("WS#1"))).select(Select.COUNT));
        assertThat(response.count()).isEqualTo(10);
        assertThat(response.hasItems()).isFalse();
    }

    @Test
    void a_projection_expression_returns_only_the_named_attributes() {
        QueryResponse response = dynamo.query(r -> r.tableName(table).keyConditionExpression("PK = :pk AND SK = :sk")
                .projectionExpression("amount").expressionAttributeValues(Map.of(":pk", s("WS#1"), ":sk", s("BALANCE"))));
        assertThat(response.items()).containsExactly(item("amount", 100));
    }

    @Test
    void a_gsi_query_finds_only_items_carrying_its_keys_and_pages_with_index_and_table_keys() {
        QueryResponse first = dynamo.query(r -> r.tableName(table).indexName("GSI1").keyConditionExpression("GSI1PK = :u")
                .expressionAttributeValues(Map.of(":u", s("USER#u"))).limit(2));
        assertThat(first.items()).extracting(i -> i.get("GSI1SK").s()).containsExactly("T#1", "T#2");
        assertThat(first.lastEvaluatedKey()).containsOnlyKeys("PK", "SK", "GSI1PK", "GSI1SK");
        QueryResponse rest = dynamo.query(r -> r.tableName(table).indexName("GSI1").keyConditionExpression("GSI1PK = :u")
                .expressionAttributeValues(Map.of(":u", s("USER#u"))).exclusiveStartKey(first.lastEvaluatedKey()));
        assertThat(rest.count()).isEqualTo(7);
        assertThat(dynamo.scan(r -> r.tableName(table).indexName("GSI2")).count()).isZero();
    }

    @Test
    void a_consistent_read_on_a_gsi_is_refused() {
        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table).indexName("GSI1").keyConditionExpression("GSI1PK = :u")
                .expressionAttributeValues(Map.of(":u", s("USER#u"))).consistentRead(true)))
                .hasMessageContaining("Consistent reads are not supported on global secondary indexes");
    }

    @Test
    void a_query_on_an_absent_index_is_refused() {
        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table).indexName("NOPE").keyConditionExpression("x = :u")
                .expressionAttributeValues(Map.of(":u", s("u")))))
                .hasMessageContaining("The table does not have the specified index: NOPE");
    }

    @Test
    void a_query_without_a_key_condition_is_refused() {
        assertThatThrownBy(() -> dynamo.query(r -> r.tableName(table)))
                .hasMessageContaining("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }

    @Test
    void a_query_reads_are_summed_over_the_page_then_rounded_to_4_KB() {
        QueryResponse response = dynamo.query(r -> r.tableName(table).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", s("WS#1"))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(response.consumedCapacity().capacityUnits()).isEqualTo(0.5);
    }

    @Test
    void a_scan_reads_every_item_and_its_segments_split_them_without_overlap() {
        ScanResponse all = dynamo.scan(r -> r.tableName(table));
        assertThat(all.count()).isEqualTo(11);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int segment = 0; segment < 3; segment++) {
            int current = segment;
            ScanResponse part = dynamo.scan(r -> r.tableName(table).segment(current).totalSegments(3));
            part.items().forEach(i -> seen.add(i.get("PK").s() + "|" + i.get("SK").s()));
            total += part.count();
        }
        assertThat(total).isEqualTo(11);
        assertThat(seen).hasSize(11);
    }

    @Test
    void a_scan_pages_by_limit_through_every_item() {
        Set<String> seen = new HashSet<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).limit(3).exclusiveStartKey(from));
            page.items().forEach(i -> seen.add(i.get("PK").s() + "|" + i.get("SK").s()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        assertThat(seen).hasSize(11);
    }

    @Test
    void a_segment_not_below_total_segments_is_refused() {
        assertThatThrownBy(() -> dynamo.scan(r -> r.tableName(table).segment(1).totalSegments(1)))
                .hasMessageContaining("The Segment parameter is zero-based and must be less than parameter TotalSegments");
    }

    @Test
    void a_page_ends_at_1_MB_read() {
        String big = simpleTable();
        String value = "x".repeat(300 * 1024);
        for (int i = 0; i < 5; i++) {
            String id = "k" + i;
            dynamo.putItem(r -> r.tableName(big).item(item("id", id, "v", value)));
        }
        ScanResponse page = dynamo.scan(r -> r.tableName(big));
        assertThat(page.count()).isEqualTo(3);
        assertThat(page.hasLastEvaluatedKey()).isTrue();
    }
}
