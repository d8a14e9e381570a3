package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.service.Retries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * BatchGetItem for any number of keys: 100 keys a call (DynamoDB's limit), until no key is left unprocessed. Keys left
 * unprocessed (DynamoDB throttled part of the batch) are asked for again after a backoff with full jitter, as AWS
 * advises, within the retry budget; past it, a 503 {@code unavailable}.
 */
final class BatchGet {
    private static final int KEYS_PER_CALL = 100;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Retries retries;

    BatchGet(DynamoDbClient dynamoDb, String tableName, Retries retries) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.retries = retries;
    }

    /** The items found for {@code keys}, in no particular order; keys with no item are simply absent. */
    List<Map<String, AttributeValue>> items(List<Map<String, AttributeValue>> keys, boolean consistent) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Retries.Deadline deadline = retries.start();
        for (int from = 0; from < keys.size(); from += KEYS_PER_CALL) {
            Map<String, KeysAndAttributes> pending = Map.of(tableName, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_CALL))).consistentRead(consistent).build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(request));
                found.addAll(response.responses().getOrDefault(tableName, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!pending.isEmpty() && !deadline.backOff()) {
                    throw new CreditsException(Refusal.UNAVAILABLE, "DynamoDB left keys unprocessed through every retry;"
                            + " it is safe to retry the same request");
                }
            }
        }
        return found;
    }
}
