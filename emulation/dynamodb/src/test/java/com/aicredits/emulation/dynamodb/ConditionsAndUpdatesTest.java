package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** ConditionExpression, UpdateExpression and ReturnValues on single writes and in transactions (API Reference). */
class ConditionsAndUpdatesTest extends EngineTestSupport {

    @Test
    void attribute_not_exists_refuses_a_second_put_with_ConditionalCheckFailedException() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a")).conditionExpression("attribute_not_exists(id)"));
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a")).conditionExpression("attribute_not_exists(id)")))
                .isInstanceOf(ConditionalCheckFailedException.class).hasMessageContaining("The conditional request failed");
    }

    @Test
    void return_values_on_condition_check_failure_ALL_OLD_returns_the_item_with_the_exception() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", 1)));
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", 2))
                .conditionExpression("v = :two").expressionAttributeValues(Map.of(":two", n("2")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.item()).containsEntry("v", n("1")));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "a"))).item()).containsEntry("v", n("1"));
    }

    @Test
    void update_creates_an_absent_item_and_returns_ALL_NEW() {
        String table = simpleTable();
        var response = dynamo.updateItem(r -> r.tableName(table).key(item("id", "a"))
                .updateExpression("SET balance = if_not_exists(balance, :zero) + :amount")
                .expressionAttributeValues(Map.of(":zero", n("0"), ":amount", n("5"))).returnValues(ReturnValue.ALL_NEW));
        assertThat(response.attributes()).isEqualTo(item("id", "a", "balance", 5));
    }

    @Test
    void updated_old_and_updated_new_return_only_the_changed_attributes() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "x", 1, "y", 1)));
        var oldValues = dynamo.updateItem(r -> r.tableName(table).key(item("id", "a")).updateExpression("SET x = :v")
                .expressionAttributeValues(Map.of(":v", n("2"))).returnValues(ReturnValue.UPDATED_OLD));
        assertThat(oldValues.attributes()).isEqualTo(item("x", 1));
        var newValues = dynamo.updateItem(r -> r.tableName(table).key(item("id", "a")).updateExpression("SET x = :v")
                .expressionAttributeValues(Map.of(":v", n("3"))).returnValues(ReturnValue.UPDATED_NEW));
        assertThat(newValues.attributes()).isEqualTo(item("x", 3));
    }

    @Test
    void updating_a_key_attribute_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.updateItem(r -> r.tableName(table).key(item("id", "a")).updateExpression("SET id = :v")
                .expressionAttributeValues(Map.of(":v", s("b")))))
                .hasMessageContaining("Cannot update attribute id. This attribute is part of the key");
    }

    @Test
    void an_unused_expression_attribute_value_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a")).conditionExpression("attribute_not_exists(id)")
                .expressionAttributeValues(Map.of(":unused", n("1")))))
                .hasMessageContaining("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
    }

    @Test
    void placeholders_without_any_expression_are_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a")).expressionAttributeValues(Map.of(":v", n("1")))))
                .hasMessageContaining("ExpressionAttributeValues can only be specified when using expressions");
    }

    @Test
    void a_failed_condition_check_cancels_the_whole_transaction_with_a_reason_per_action() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "ws", "active", AttributeValue.fromBool(false))));
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(item("id", "ws"))
                        .conditionExpression("active = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "record"))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(item("id", "balance"))
                        .updateExpression("ADD amount :one").expressionAttributeValues(Map.of(":one", n("1")))).build())))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                            .containsExactly("ConditionalCheckFailed", "None", "None");
                    assertThat(e.cancellationReasons().getFirst().item()).containsEntry("active", AttributeValue.fromBool(false));
                    assertThat(e.getMessage()).contains("Transaction cancelled, please refer cancellation reasons for specific reasons "
                            + "[ConditionalCheckFailed, None, None]");
                });
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "record"))).hasItem()).isFalse();
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "balance"))).hasItem()).isFalse();
    }

    @Test
    void a_transaction_whose_conditions_hold_commits_every_action() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "ws", "active", AttributeValue.fromBool(true))));
        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(item("id", "ws"))
                        .conditionExpression("active = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item("id", "record")).conditionExpression("attribute_not_exists(id)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(item("id", "balance"))
                        .updateExpression("ADD amount :one").expressionAttributeValues(Map.of(":one", n("1")))).build()));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "balance"))).item()).containsEntry("amount", n("1"));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "record"))).hasItem()).isTrue();
    }

    @Test
    void concurrent_conditional_increments_are_serialized() throws Exception {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "c", "n", 0)));
        int threads = 4;
        int each = 25;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        while (true) {
                            var current = dynamo.getItem(r -> r.tableName(table).key(item("id", "c")).consistentRead(true)).item().get("n");
                            try {
                                dynamo.updateItem(r -> r.tableName(table).key(item("id", "c")).updateExpression("SET n = n + :one")
                                        .conditionExpression("n = :seen").expressionAttributeValues(Map.of(":one", n("1"), ":seen", current)));
                                break;
                            } catch (ConditionalCheckFailedException lost) {
                                // another thread won; read again
                            }
                        }
                    }
                    return null;
                });
            }
        }
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "c")).consistentRead(true)).item()).containsEntry("n", n("100"));
    }
}
