package com.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

class BareDebitsTest {
    private static TransactWriteItemsRequest debit(String executionId, long sequence, long used) {
        Put record = Put.builder().tableName("t").conditionExpression("attribute_not_exists(PK)").item(Map.of(
                "PK", AttributeValue.fromS("WS#ws-1"),
                "SK", AttributeValue.fromS("EXEC#" + executionId),
                "GSI1SK", AttributeValue.fromS(String.format("%012d", sequence)),
                "body", AttributeValue.fromS("{\"executionId\":\"" + executionId + "\",\"sequence\":" + sequence + "}"),
                "creditsConsumed", AttributeValue.fromN("1"))).build();
        Update balance = Update.builder().tableName("t").updateExpression("SET #a0 = :a0, #a1 = :a1")
                .conditionExpression("#revision = :expectedRevision")
                .expressionAttributeNames(Map.of("#a0", "used", "#a1", "sequence", "#revision", "revision"))
                .expressionAttributeValues(Map.of(":a0", AttributeValue.fromN(Long.toString(used)),
                        ":a1", AttributeValue.fromN(Long.toString(sequence)),
                        ":expectedRevision", AttributeValue.fromN(Long.toString(sequence - 1))))
                .build();
        return TransactWriteItemsRequest.builder().transactItems(List.of(TransactWriteItem.builder().put(record).build(),
                TransactWriteItem.builder().update(balance).build())).build();
    }

    @Test
    void eachNextRequestIsTheDebitAfterThePreviousOne() {
        BareDebits debits = new BareDebits(debit("capture-1", 2, 7), debit("capture-2", 3, 8), "capture-2");

        TransactWriteItemsRequest first = debits.next();
        TransactWriteItemsRequest second = debits.next();

        assertThat(first).isEqualTo(rename(debit("bare-1", 4, 9), "bare-1"));
        assertThat(second.transactItems().get(0).put().item().get("SK").s()).isEqualTo("EXEC#bare-2");
        assertThat(second.transactItems().get(0).put().item().get("GSI1SK").s()).isEqualTo("000000000005");
        assertThat(second.transactItems().get(1).update().expressionAttributeValues())
                .containsEntry(":expectedRevision", AttributeValue.fromN("4"))
                .containsEntry(":a0", AttributeValue.fromN("10"))
                .containsEntry(":a1", AttributeValue.fromN("5"));
        assertThat(debits.issued()).isEqualTo(2);
    }

    /** The body keeps the second capture's other fields (only its execution id changes): same shape and size. */
    private static TransactWriteItemsRequest rename(TransactWriteItemsRequest request, String executionId) {
        Put put = request.transactItems().get(0).put();
        Map<String, AttributeValue> item = new java.util.HashMap<>(put.item());
        item.put("body", AttributeValue.fromS("{\"executionId\":\"" + executionId + "\",\"sequence\":3}"));
        return request.toBuilder().transactItems(List.of(TransactWriteItem.builder().put(put.toBuilder().item(item).build()).build(),
                request.transactItems().get(1))).build();
    }

    @Test
    void refusesCapturesThatAreNotTwoSteadyStateDebits() {
        TransactWriteItemsRequest opening = TransactWriteItemsRequest.builder().transactItems(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName("t").item(Map.of()).build()).build())).build();

        assertThatThrownBy(() -> new BareDebits(opening, debit("capture-2", 3, 8), "capture-2"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
