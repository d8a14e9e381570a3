package com.aicredits.adapter.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** BatchGetItem for any number of keys: 100 keys a call (DynamoDB's limit), until no key is left unprocessed. */
final class BatchGet {
    private static final int KEYS_PER_CALL = 100;

    private BatchGet() {
    }

    /** The items found for {@code keys}, in no particular order; keys with no item are simply absent. */
    static List<Map<String, AttributeValue>> items(DynamoDbClient dynamoDb, String tableName,
                                                   List<Map<String, AttributeValue>> keys, boolean consistent) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_CALL) {
            Map<String, KeysAndAttributes> pending = Map.of(tableName, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_CALL))).consistentRead(consistent).build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(request));
                found.addAll(response.responses().getOrDefault(tableName, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }
}
