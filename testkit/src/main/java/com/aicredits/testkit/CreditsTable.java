package com.aicredits.testkit;

import com.aicredits.adapter.dynamodb.DynamoDbCreditStore;
import com.aicredits.app.Services;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A fresh table on the shared DynamoDB engine, with a client whose calls are counted, and the real store on it.
 * Each test class takes its own table, so classes never see each other's items.
 */
public final class CreditsTable {
    public final LocalDynamoDb dynamoDbLocal;
    public final DynamoDbCalls calls = new DynamoDbCalls();
    public final DynamoDbClient client;
    public final String name;
    public final DynamoDbCreditStore store;

    public CreditsTable(String namePrefix) {
        this(LocalDynamoDb.shared(), namePrefix);
    }

    /** A table on another engine than the shared one (a bench phase that must not share one). */
    public CreditsTable(LocalDynamoDb dynamoDbLocal, String namePrefix) {
        this.dynamoDbLocal = dynamoDbLocal;
        this.client = dynamoDbLocal.client(calls);
        this.name = dynamoDbLocal.createTable(namePrefix);
        this.store = new DynamoDbCreditStore(client, name);
    }

    /**
     * A table on an engine playing {@code semantics} (production at its least kind: conflicts, stale reads, partition
     * limits), an engine of that mode's own, so the rest of the JVM is not touched.
     */
    public CreditsTable(String namePrefix, ProductionSemantics semantics) {
        this(semantics.dynamoDb(), namePrefix);
    }

    /**
     * The product's services on this table (the composition root production uses), with the deployed catalog; every
     * exchange of an HTTP handler built on them is checked against openapi.yaml.
     */
    public Services services(Clock clock) {
        return Services.on(client, name, clock).withExchanges(HandlerContractCheck.OPENAPI);
    }

    public long itemCount() {
        return dynamoDbLocal.itemCount(name);
    }

    public Map<String, AttributeValue> item(String pk, String sk) {
        return client.getItem(b -> b.tableName(name).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))).item();
    }

    /** The usage record of {@code executionId} as stored (an empty map if none). */
    public Map<String, AttributeValue> record(String workspaceId, String executionId) {
        return RecordItems.record(client, name, workspaceId, executionId);
    }

    /** Every usage record of the workspace whose executionId starts with {@code idPrefix}, in no particular order. */
    public List<Map<String, AttributeValue>> records(String workspaceId, String idPrefix) {
        return RecordItems.records(client, name, workspaceId, idPrefix);
    }

    /** Every item of a partition whose sort key starts with {@code skPrefix}. */
    public List<Map<String, AttributeValue>> items(String pk, String skPrefix) {
        QueryRequest request = QueryRequest.builder().tableName(name).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":sk", AttributeValue.fromS(skPrefix)))
                .build();
        return client.queryPaginator(request).items().stream().toList();
    }
}
