package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** PutItem, GetItem, DeleteItem without expressions: the API Reference's behaviour, key checks and limits. */
class ItemsTest extends EngineTestSupport {

    @Test
    void put_then_get_returns_every_type_of_the_data_model_as_written() {
        String table = simpleTable();
        Map<String, AttributeValue> item = item("id", "a",
                "s", s("text"), "n", n("12.50"), "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bin")),
                "bool", AttributeValue.fromBool(true), "null", AttributeValue.fromNul(true),
                "l", AttributeValue.fromL(java.util.List.of(s("x"), n("1"))),
                "m", AttributeValue.fromM(Map.of("k", s("v"))),
                "ss", AttributeValue.fromSs(java.util.List.of("p", "q")), "ns", AttributeValue.fromNs(java.util.List.of("1", "2")),
                "bs", AttributeValue.fromBs(java.util.List.of(SdkBytes.fromUtf8String("z"))));
        dynamo.putItem(r -> r.tableName(table).item(item));
        GetItemResponse got = dynamo.getItem(r -> r.tableName(table).key(item("id", "a")).consistentRead(true));
        assertThat(got.item()).containsEntry("n", n("12.5")).containsEntry("m", AttributeValue.fromM(Map.of("k", s("v"))))
                .containsEntry("ss", AttributeValue.fromSs(java.util.List.of("p", "q"))).hasSize(item.size());
    }

    @Test
    void numbers_keep_38_significant_digits_exactly() {
        String table = simpleTable();
        String digits = "1234567890123456789012345678901234567.8";
        dynamo.putItem(r -> r.tableName(table).item(item("id", "n", "v", n(digits))));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "n"))).item().get("v").n()).isEqualTo(digits);
    }

    @Test
    void a_number_of_39_significant_digits_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "n", "v", n("1234567890123456789012345678901234567890")))))
                .hasMessageContaining("Attempting to store more than 38 significant digits in a Number");
    }

    @Test
    void get_of_an_absent_item_returns_no_item() {
        String table = simpleTable();
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "none"))).hasItem()).isFalse();
    }

    @Test
    void put_with_ReturnValues_ALL_OLD_returns_the_replaced_item() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", 1)));
        PutItemResponse response = dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", 2)).returnValues(ReturnValue.ALL_OLD));
        assertThat(response.attributes()).containsEntry("v", n("1"));
    }

    @Test
    void put_with_ReturnValues_ALL_NEW_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a")).returnValues(ReturnValue.ALL_NEW)))
                .hasMessageContaining("ReturnValues can only be ALL_OLD or NONE");
    }

    @Test
    void delete_with_ReturnValues_ALL_OLD_returns_the_deleted_item_and_the_item_is_gone() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", 1)));
        assertThat(dynamo.deleteItem(r -> r.tableName(table).key(item("id", "a")).returnValues(ReturnValue.ALL_OLD)).attributes())
                .containsEntry("v", n("1"));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "a"))).hasItem()).isFalse();
    }

    @Test
    void an_item_missing_its_key_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("other", "a"))))
                .hasMessageContaining("One or more parameter values were invalid: Missing the key id in the item");
    }

    @Test
    void a_key_of_the_wrong_type_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", n("1")))))
                .hasMessageContaining("One or more parameter values were invalid: Type mismatch for key id expected: S actual: N");
    }

    @Test
    void an_empty_string_key_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", ""))))
                .hasMessageContaining("The AttributeValue for a key attribute cannot contain an empty string value. Key: id");
    }

    @Test
    void an_empty_string_in_a_non_key_attribute_is_stored() {
        String table = simpleTable();
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "empty", "")));
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("id", "a"))).item()).containsEntry("empty", s(""));
    }

    @Test
    void a_get_key_with_extra_attributes_does_not_match_the_schema() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName(table).key(item("id", "a", "x", "y"))))
                .hasMessageContaining("The provided key element does not match the schema");
    }

    @Test
    void an_item_over_400_KB_is_refused_and_one_at_400_KB_is_stored() {
        String table = simpleTable();
        // item size = name lengths + values: "id" + "a" (3) + "v" + value
        String fits = "x".repeat(400 * 1024 - 4);
        dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", fits)));
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "v", fits + "x"))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("Item size has exceeded the maximum allowed size");
    }

    @Test
    void a_write_to_an_absent_table_is_ResourceNotFoundException() {
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("no-such-table").item(item("id", "a"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void a_set_with_duplicates_is_refused() {
        String table = simpleTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("id", "a", "ss", AttributeValue.fromSs(java.util.List.of("x", "x"))))))
                .hasMessageContaining("contains duplicates");
    }

    @Test
    void an_index_key_of_the_wrong_type_is_refused() {
        String table = creditsTable();
        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "b", "GSI1PK", n("1")))))
                .hasMessageContaining("Type mismatch for Index Key GSI1PK Expected: S Actual: N IndexName: GSI1");
    }
}
