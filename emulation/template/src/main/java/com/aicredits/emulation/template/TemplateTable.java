package com.aicredits.emulation.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
  * Turns an {@code AWS::DynamoDB::Table} of template.yaml into the DynamoDB API's
  * {@link CreateTableRequest}, so that the local table has exactly the deployed shape: keys,
  * attribute definitions, secondary indexes with their projections, billing mode and stream.
  *
  * <p>What CreateTable cannot carry is left out on purpose: time to live (see
  * {@link #ttlAttribute}, applied with UpdateTimeToLive), point-in-time recovery, encryption and tags
  * do not change how the table behaves for the code under test. Only literal values are accepted: a
  * property written as an intrinsic ({@code !Ref}, {@code !If}, ...) is refused with a clear message
  * rather than guessed.
  */
public final class TemplateTable {

    private static final String TABLE_TYPE = "AWS::DynamoDB::Table";

    private TemplateTable() {
    }

    /** The CreateTable request for the table resource {@code logicalId}, named {@code tableName}. */
    public static CreateTableRequest createTableRequest(CloudFormationTemplate template, String logicalId,
            String tableName) {
        Map<String, Object> properties = tableProperties(template, logicalId);
        String where = logicalId + ".Properties";

        BillingMode billingMode = BillingMode.fromValue(
                optionalString(properties, "BillingMode", where).orElse(BillingMode.PROVISIONED.toString()));
        if (billingMode == BillingMode.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException(where + ".BillingMode is not a billing mode: " + properties.get("BillingMode"));
        }
        boolean provisioned = billingMode == BillingMode.PROVISIONED;

        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(billingMode)
                .keySchema(keySchema(properties.get("KeySchema"), where + ".KeySchema"))
                .attributeDefinitions(attributeDefinitions(properties.get("AttributeDefinitions"),
                        where + ".AttributeDefinitions"));
        if (provisioned) {
            request.provisionedThroughput(throughput(properties.get("ProvisionedThroughput"),
                    where + ".ProvisionedThroughput"));
        }

        List<GlobalSecondaryIndex> globalIndexes = new ArrayList<>();
        List<Object> gsis = optionalList(properties, "GlobalSecondaryIndexes", where);
        for (int i = 0; i < gsis.size(); i++) {
            String at = where + ".GlobalSecondaryIndexes[" + i + "]";
            Map<String, Object> index = map(gsis.get(i), at);
            GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                    .indexName(string(index, "IndexName", at))
                    .keySchema(keySchema(index.get("KeySchema"), at + ".KeySchema"))
                    .projection(projection(index.get("Projection"), at + ".Projection"));
            if (provisioned) {
                gsi.provisionedThroughput(throughput(index.get("ProvisionedThroughput"), at + ".ProvisionedThroughput"));
            }
            globalIndexes.add(gsi.build());
        }
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes);
        }

        List<LocalSecondaryIndex> localIndexes = new ArrayList<>();
        List<Object> lsis = optionalList(properties, "LocalSecondaryIndexes", where);
        for (int i = 0; i < lsis.size(); i++) {
            String at = where + ".LocalSecondaryIndexes[" + i + "]";
            Map<String, Object> index = map(lsis.get(i), at);
            localIndexes.add(LocalSecondaryIndex.builder()
                    .indexName(string(index, "IndexName", at))
                    .keySchema(keySchema(index.get("KeySchema"), at + ".KeySchema"))
                    .projection(projection(index.get("Projection"), at + ".Projection"))
                    .build());
        }
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes);
        }

        if (properties.get("StreamSpecification") != null) {
            Map<String, Object> stream = map(properties.get("StreamSpecification"), where + ".StreamSpecification");
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(string(stream, "StreamViewType", where + ".StreamSpecification"))
                    .build());
        }
        return request.build();
    }

    /** The table's time-to-live attribute, if the template enables TTL on it. */
    public static Optional<String> ttlAttribute(CloudFormationTemplate template, String logicalId) {
        Map<String, Object> properties = tableProperties(template, logicalId);
        String where = logicalId + ".Properties.TimeToLiveSpecification";
        if (properties.get("TimeToLiveSpecification") == null) {
            return Optional.empty();
        }
        Map<String, Object> ttl = map(properties.get("TimeToLiveSpecification"), where);
        Object enabled = literal(ttl.get("Enabled"), where + ".Enabled");
        if (!(enabled instanceof Boolean || enabled instanceof String)) {
            throw new IllegalArgumentException(where + ".Enabled must be true or false, got " + enabled);
        }
        if (!Boolean.parseBoolean(String.valueOf(enabled))) {
            return Optional.empty();
        }
        return Optional.of(string(ttl, "AttributeName", where));
    }

    private static Map<String, Object> tableProperties(CloudFormationTemplate template, String logicalId) {
        Map<String, Object> resource = template.resource(logicalId);
        if (!TABLE_TYPE.equals(resource.get("Type"))) {
            throw new IllegalArgumentException(logicalId + " is a " + resource.get("Type") + ", not an " + TABLE_TYPE);
        }
        return map(resource.get("Properties"), logicalId + ".Properties");
    }

    private static List<KeySchemaElement> keySchema(Object value, String where) {
        List<KeySchemaElement> keys = eachMap(value, where, (element, at) -> KeySchemaElement.builder()
                .attributeName(string(element, "AttributeName", at))
                .keyType(string(element, "KeyType", at))
                .build());
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty");
        }
        return keys;
    }

    private static List<AttributeDefinition> attributeDefinitions(Object value, String where) {
        return eachMap(value, where, (element, at) -> AttributeDefinition.builder()
                .attributeName(string(element, "AttributeName", at))
                .attributeType(string(element, "AttributeType", at))
                .build());
    }

    /** Converts each mapping of the list {@code value}, telling the converter where it stands for messages. */
    private static <T> List<T> eachMap(Object value, String where, BiFunction<Map<String, Object>, String, T> convert) {
        List<Object> elements = list(value, where);
        List<T> converted = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            String at = where + "[" + i + "]";
            converted.add(convert.apply(map(elements.get(i), at), at));
        }
        return converted;
    }

    private static Projection projection(Object value, String where) {
        Map<String, Object> projection = map(value, where);
        Projection.Builder builder = Projection.builder();
        optionalString(projection, "ProjectionType", where).ifPresent(builder::projectionType);
        List<Object> nonKey = optionalList(projection, "NonKeyAttributes", where);
        if (!nonKey.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < nonKey.size(); i++) {
                names.add(stringValue(nonKey.get(i), where + ".NonKeyAttributes[" + i + "]"));
            }
            builder.nonKeyAttributes(names);
        }
        return builder.build();
    }

    private static ProvisionedThroughput throughput(Object value, String where) {
        Map<String, Object> throughput = map(value, where + " (required with BillingMode PROVISIONED)");
        return ProvisionedThroughput.builder()
                .readCapacityUnits(number(throughput, "ReadCapacityUnits", where))
                .writeCapacityUnits(number(throughput, "WriteCapacityUnits", where))
                .build();
    }

    private static long number(Map<String, Object> map, String key, String where) {
        Object value = literal(map.get(key), where + "." + key);
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "." + key + " is not a number: " + value, e);
        }
    }

    private static String string(Map<String, Object> map, String key, String where) {
        return optionalString(map, key, where)
                .orElseThrow(() -> new IllegalArgumentException(where + "." + key + " is missing"));
    }

    private static Optional<String> optionalString(Map<String, Object> map, String key, String where) {
        Object value = map.get(key);
        return value == null ? Optional.empty() : Optional.of(stringValue(value, where + "." + key));
    }

    private static String stringValue(Object value, String where) {
        Object literal = literal(value, where);
        if (literal instanceof Map<?, ?> || literal instanceof List<?>) {
            throw new IllegalArgumentException(where + " must be a string, got " + literal);
        }
        return String.valueOf(literal);
    }

    private static Object literal(Object value, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + " is missing");
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            String key = String.valueOf(map.keySet().iterator().next());
            if (key.equals("Ref") || key.startsWith("Fn::")) {
                throw new IllegalArgumentException(where + " is an intrinsic function (" + key
                        + "); the local table needs a literal value");
            }
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (literal(value, where) instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + " must be a mapping, got " + value);
    }

    private static List<Object> list(Object value, String where) {
        if (literal(value, where) instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw new IllegalArgumentException(where + " must be a list, got " + value);
    }

    private static List<Object> optionalList(Map<String, Object> map, String key, String where) {
        return map.get(key) == null ? List.of() : list(map.get(key), where + "." + key);
    }
}
