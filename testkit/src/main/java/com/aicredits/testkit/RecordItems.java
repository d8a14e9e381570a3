package com.aicredits.testkit;

import com.aicredits.adapter.dynamodb.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** A workspace's usage records as stored, read strongly consistent from their partitions ({@link Keys#recordPk}). */
public final class RecordItems {
    private RecordItems() {
    }

    /** The record of {@code executionId}, or an empty map. */
    public static Map<String, AttributeValue> record(DynamoDbClient client, String table, String workspaceId, String executionId) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Keys.execution(workspaceId, executionId))).item();
        return item == null ? Map.of() : item;
    }

    /** Every record of the workspace whose executionId starts with {@code idPrefix}, from each record partition. */
    public static List<Map<String, AttributeValue>> records(DynamoDbClient client, String table, String workspaceId, String idPrefix) {
        List<Map<String, AttributeValue>> records = new ArrayList<>();
        for (int shard = 0; shard < Keys.RECORD_SHARDS; shard++) {
            QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.recordPartition(workspaceId, shard)),
                            ":sk", AttributeValue.fromS(Keys.EXECUTION_SK_PREFIX + idPrefix)))
                    .build();
            client.queryPaginator(request).items().forEach(records::add);
        }
        return records;
    }
}
