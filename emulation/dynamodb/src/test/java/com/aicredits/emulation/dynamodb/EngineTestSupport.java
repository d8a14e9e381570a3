package com.aicredits.emulation.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** One in-memory engine for a test class, and the real SDK v2 clients pointed at it. */
abstract class EngineTestSupport {
    static DynamoDbEngine engine;
    static DynamoDbClient dynamo;
    static DynamoDbStreamsClient streams;
    private static int tables;

    @BeforeAll
    static void startEngine() {
        engine = DynamoDbEngine.inMemory().ttlSweepInterval(java.time.Duration.ZERO).start();
        dynamo = client(engine);
        streams = DynamoDbStreamsClient.builder().endpointOverride(engine.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static DynamoDbClient client(DynamoDbEngine target) {
        return DynamoDbClient.builder().endpointOverride(target.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @AfterAll
    static void stopEngine() {
        dynamo.close();
        streams.close();
        engine.close();
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + (++tables);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    /** An item from pairs: name, value, name, value… */
    static Map<String, AttributeValue> item(Object... pairs) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            item.put((String) pairs[i], value instanceof AttributeValue attribute ? attribute
                    : value instanceof Number number ? n(number.toString()) : s(value.toString()));
        }
        return item;
    }

    /** A table shaped as the product's CreditsTable: PK/SK strings, GSI1 and GSI2 (ALL), a NEW_AND_OLD_IMAGES stream. */
    static String creditsTable() {
        String name = uniqueName("credits");
        dynamo.createTable(CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("PK"), definition("SK"), definition("GSI1PK"), definition("GSI1SK"),
                        definition("GSI2PK"), definition("GSI2SK"))
                .keySchema(hash("PK"), range("SK"))
                .globalSecondaryIndexes(index("GSI1"), index("GSI2"))
                .streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build());
        return name;
    }

    /** A table with a string partition key {@code id} and no sort key. */
    static String simpleTable() {
        String name = uniqueName("simple");
        dynamo.createTable(CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("id")).keySchema(hash("id")).build());
        return name;
    }

    static AttributeDefinition definition(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static GlobalSecondaryIndex index(String name) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(name + "PK"), range(name + "SK"))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }
}
