package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchGetItem, BatchWriteItem, TransactWriteItems and TransactGetItems: limits and all-or-nothing (API Reference). */
class BatchAndTransactionsTest extends EngineTestSupport {

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    @Test
    void batch_write_puts_and_deletes_and_batch_get_returns_the_items() {
        String table = simpleTable();
        dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(put(item("id", "a")), put(item("id", "b")), put(item("id", "c"))))));
        dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(WriteRequest.builder().deleteRequest(d -> d.key(item("id", "c"))).build()))));
        var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder()
                .keys(item("id", "a"), item("id", "b"), item("id", "c")).build())));
        assertThat(response.responses().get(table)).extracting(i -> i.get("id").s()).containsExactlyInAnyOrder("a", "b");
        assertThat(response.unprocessedKeys()).isEmpty();
    }

    @Test
    void batch_write_of_more_than_25_requests_is_refused() {
        String table = simpleTable();
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            writes.add(put(item("id", "k" + i)));
        }
        assertThatThrownBy(() -> dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, writes))))
                .hasMessageContaining("Member must have length less than or equal to 25");
    }

    @Test
    void batch_write_with_the_same_key_twice_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, List.of(put(item("id", "a")), put(item("id", "a", "v", 1)))))))
                .hasMessageContaining("Provided list of item keys contains duplicates");
    }

    @Test
    void batch_get_of_more_than_100_keys_is_refused() {
        String table = simpleTable();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            keys.add(item("id", "k" + i));
        }
        assertThatThrownBy(() -> dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder().keys(keys).build()))))
                .hasMessageContaining("Too many items requested for the BatchGetItem call");
    }

    @Test
    void batch_get_answers_past_16_MB_leave_the_rest_in_UnprocessedKeys() {
        String table = simpleTable();
        String big = "x".repeat(399 * 1024);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            String id = "k" + i;
            dynamo.putItem(r -> r.tableName(table).item(item("id", id, "v", big)));
            keys.add(item("id", id));
        }
        var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder().keys(keys).build())));
        int returned = response.responses().get(table).size();
        assertThat(returned).isLessThan(45).isGreaterThanOrEqualTo(41);
        assertThat(response.unprocessedKeys().get(table).keys()).hasSize(45 - returned);
    }

    @Test
    void a_transaction_puts_every_item() {
        String table = simpleTable();
        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "a"))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "b"))).build()));
        var got = dynamo.transactGetItems(r -> r.transactItems(
                t -> t.get(g -> g.tableName(table).key(item("id", "a"))),
                t -> t.get(g -> g.tableName(table).key(item("id", "b"))),
                t -> t.get(g -> g.tableName(table).key(item("id", "none")))));
        assertThat(got.responses()).hasSize(3);
        assertThat(got.responses().get(0).item()).containsEntry("id", s("a"));
        assertThat(got.responses().get(2).hasItem()).isFalse();
    }

    @Test
    void a_transaction_touching_one_item_twice_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "a"))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(item("id", "a"))).build())))
                .hasMessageContaining("Transaction request cannot include multiple operations on one item");
    }

    @Test
    void a_transaction_of_more_than_100_actions_is_refused() {
        String table = simpleTable();
        List<TransactWriteItem> items = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            String id = "k" + i;
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", id))).build());
        }
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(items)))
                .hasMessageContaining("Member must have length less than or equal to 100");
    }

    @Test
    void a_client_request_token_replays_the_first_answer_and_refuses_another_request() {
        String table = simpleTable();
        dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "a", "v", 1))).build()));
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", 2)));
        dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "a", "v", 1))).build()));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "a"))).item()).containsEntry("v", n("2"));
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "a", "v", 3))).build())))
                .hasMessageContaining("The request uses the same client token as a previous, but non-identical request.");
    }
}
