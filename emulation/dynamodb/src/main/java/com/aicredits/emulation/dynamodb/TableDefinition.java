package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A table as CreateTable defines it, validated as DynamoDB validates it, with what UpdateTimeToLive and UpdateTable
 * change later (TTL, stream, billing). {@link #request} keeps the CreateTable request, which the journal replays.
 */
final class TableDefinition {
    static final String ACCOUNT = "000000000000";
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final Pattern INDEX_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final DateTimeFormatter STREAM_LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    final String name;
    final String region;
    final KeySchema key;
    final Map<String, String> attributeTypes;
    final Map<String, IndexDefinition> indexes;
    final ObjectNode request;
    final Instant created;
    final String tableId;
    volatile String billingMode;
    volatile long readCapacity;
    volatile long writeCapacity;
    volatile String streamViewType;
    volatile Instant streamCreated;
    volatile String ttlAttribute;
    volatile boolean ttlEnabled;

    private TableDefinition(String name, String region, KeySchema key, Map<String, String> attributeTypes,
            Map<String, IndexDefinition> indexes, ObjectNode request, Instant created) {
        this.name = name;
        this.region = region;
        this.key = key;
        this.attributeTypes = attributeTypes;
        this.indexes = indexes;
        this.request = request;
        this.created = created;
        this.tableId = java.util.UUID.nameUUIDFromBytes((name + created.toEpochMilli()).getBytes()).toString();
    }

    static void checkTableName(String name) {
        if (name == null) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        }
        if (name.length() < 3 || name.length() > 255) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy constraint: "
                    + "Member must have length " + (name.length() < 3 ? "greater than or equal to 3" : "less than or equal to 255"));
        }
        if (!TABLE_NAME.matcher(name).matches()) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }

    /** Parses and validates a CreateTable request. */
    static TableDefinition create(ObjectNode request, String region, Instant created) {
        String name = request.path("TableName").asText(null);
        checkTableName(name);
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode definition : request.path("AttributeDefinitions")) {
            String type = definition.path("AttributeType").asText();
            if (!Set.of("S", "N", "B").contains(type)) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + type + "' at 'attributeDefinitions."
                        + (types.size() + 1) + ".member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }
            if (types.put(definition.path("AttributeName").asText(), type) != null) {
                throw DynamoDbError.validation("Cannot have two attributes with the same name");
            }
        }
        KeySchema key = keySchema(request.path("KeySchema"), types, null);
        Set<String> used = new HashSet<>();
        used.add(key.hashName());
        if (key.hasRange()) {
            used.add(key.rangeName());
        }
        Map<String, IndexDefinition> indexes = new LinkedHashMap<>();
        if (request.has("LocalSecondaryIndexes")) {
            throw new DynamoDbError("ValidationException", 400, "LocalSecondaryIndexes are not supported by this engine");
        }
        JsonNode gsis = request.path("GlobalSecondaryIndexes");
        if (request.has("GlobalSecondaryIndexes") && gsis.isEmpty()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty");
        }
        for (JsonNode gsi : gsis) {
            String indexName = gsi.path("IndexName").asText(null);
            if (indexName == null || !INDEX_NAME.matcher(indexName).matches()) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + indexName
                        + "' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
            }
            KeySchema indexKey = keySchema(gsi.path("KeySchema"), types, indexName);
            used.add(indexKey.hashName());
            if (indexKey.hasRange()) {
                used.add(indexKey.rangeName());
            }
            JsonNode projection = gsi.path("Projection");
            String projectionType = projection.path("ProjectionType").asText("");
            List<String> nonKey = new ArrayList<>();
            projection.path("NonKeyAttributes").forEach(attribute -> nonKey.add(attribute.asText()));
            switch (projectionType) {
                case "ALL", "KEYS_ONLY" -> {
                    if (!nonKey.isEmpty()) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: ProjectionType is " + projectionType
                                + ", but NonKeyAttributes is specified");
                    }
                }
                case "INCLUDE" -> {
                    if (nonKey.isEmpty()) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
                    }
                }
                default -> throw DynamoDbError.validation("1 validation error detected: Value '" + projectionType
                        + "' at 'globalSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
            }
            if (indexes.put(indexName, new IndexDefinition(indexName, indexKey, projectionType, List.copyOf(nonKey))) != null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Duplicate index name: " + indexName);
            }
        }
        if (gsis.size() > 20) {
            throw DynamoDbError.validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
        }
        if (!used.equals(types.keySet())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
                    + "number of attributes defined in AttributeDefinitions");
        }
        TableDefinition table = new TableDefinition(name, region, key, Map.copyOf(types), indexes, request, created);
        table.billingMode = request.path("BillingMode").asText("PROVISIONED");
        JsonNode throughput = request.path("ProvisionedThroughput");
        if (table.billingMode.equals("PAY_PER_REQUEST")) {
            if (!throughput.isMissingNode() && !throughput.isNull()) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                        + "specified when BillingMode is PAY_PER_REQUEST");
            }
        } else if (table.billingMode.equals("PROVISIONED")) {
            if (throughput.isMissingNode()) {
                throw DynamoDbError.validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                        + "specified when BillingMode is PROVISIONED");
            }
            table.readCapacity = throughput.path("ReadCapacityUnits").asLong();
            table.writeCapacity = throughput.path("WriteCapacityUnits").asLong();
        } else {
            throw DynamoDbError.validation("1 validation error detected: Value '" + table.billingMode
                    + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }
        table.setStream(request.path("StreamSpecification"), created);
        return table;
    }

    private static KeySchema keySchema(JsonNode schema, Map<String, String> types, String indexName) {
        String hash = null;
        String range = null;
        if (!schema.isArray() || schema.isEmpty() || schema.size() > 2) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + schema + "' at 'keySchema' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 2");
        }
        for (JsonNode element : schema) {
            String attribute = element.path("AttributeName").asText();
            switch (element.path("KeyType").asText()) {
                case "HASH" -> {
                    if (hash != null) {
                        throw DynamoDbError.validation("Invalid KeySchema: Some index key attribute have no definition");
                    }
                    hash = attribute;
                }
                case "RANGE" -> range = attribute;
                default -> throw DynamoDbError.validation("1 validation error detected: Value '" + element.path("KeyType").asText()
                        + "' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
            }
        }
        if (hash == null || !schema.get(0).path("KeyType").asText().equals("HASH")) {
            throw DynamoDbError.validation(indexName == null
                    ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                    : "One or more parameter values were invalid: Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (hash.equals(range)) {
            throw DynamoDbError.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        for (String attribute : range == null ? List.of(hash) : List.of(hash, range)) {
            if (!types.containsKey(attribute)) {
                throw DynamoDbError.validation(indexName == null
                        ? "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
                                + "Keys: [" + attribute + "], AttributeDefinitions: " + types.keySet()
                        : "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
                                + "Keys: [" + attribute + "], AttributeDefinitions: " + types.keySet());
            }
        }
        return new KeySchema(hash, types.get(hash), range, range == null ? null : types.get(range));
    }

    void setStream(JsonNode specification, Instant now) {
        if (specification.isMissingNode() || !specification.path("StreamEnabled").asBoolean(false)) {
            if (specification.has("StreamViewType") && !specification.path("StreamEnabled").asBoolean(false)) {
                throw DynamoDbError.validation("One or more parameter values were invalid: StreamViewType cannot be specified when StreamEnabled is false");
            }
            streamViewType = null;
            return;
        }
        String viewType = specification.path("StreamViewType").asText("");
        if (!Set.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY").contains(viewType)) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Stream view type is required when StreamEnabled is true");
        }
        streamViewType = viewType;
        streamCreated = now;
    }

    String arn() {
        return "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/" + name;
    }

    String streamLabel() {
        return streamCreated == null ? null : STREAM_LABEL.format(streamCreated);
    }

    String streamArn() {
        return streamCreated == null ? null : arn() + "/stream/" + streamLabel();
    }

    IndexDefinition index(String indexName) {
        IndexDefinition index = indexes.get(indexName);
        if (index == null) {
            throw DynamoDbError.validation("The table does not have the specified index: " + indexName);
        }
        return index;
    }

    static ArrayNode keySchemaJson(KeySchema key) {
        ArrayNode schema = JsonNodeFactory.instance.arrayNode();
        schema.addObject().put("AttributeName", key.hashName()).put("KeyType", "HASH");
        if (key.hasRange()) {
            schema.addObject().put("AttributeName", key.rangeName()).put("KeyType", "RANGE");
        }
        return schema;
    }

    static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /** DescribeTable's TableDescription. */
    ObjectNode describe(String status, long itemCount, long sizeBytes, Map<String, long[]> indexCounts) {
        ObjectNode table = JsonNodeFactory.instance.objectNode();
        ArrayNode definitions = table.putArray("AttributeDefinitions");
        attributeTypes.forEach((attribute, type) -> definitions.addObject().put("AttributeName", attribute).put("AttributeType", type));
        table.put("TableName", name);
        table.set("KeySchema", keySchemaJson(key));
        table.put("TableStatus", status);
        table.put("CreationDateTime", epochSeconds(created));
        table.set("ProvisionedThroughput", throughput());
        table.put("TableSizeBytes", sizeBytes);
        table.put("ItemCount", itemCount);
        table.put("TableArn", arn());
        table.put("TableId", tableId);
        if (billingMode.equals("PAY_PER_REQUEST")) {
            table.putObject("BillingModeSummary").put("BillingMode", "PAY_PER_REQUEST")
                    .put("LastUpdateToPayPerRequestDateTime", epochSeconds(created));
        }
        if (!indexes.isEmpty()) {
            ArrayNode gsis = table.putArray("GlobalSecondaryIndexes");
            for (IndexDefinition index : indexes.values()) {
                ObjectNode gsi = gsis.addObject();
                gsi.put("IndexName", index.name());
                gsi.set("KeySchema", keySchemaJson(index.key()));
                ObjectNode projection = gsi.putObject("Projection").put("ProjectionType", index.projectionType());
                if (!index.nonKeyAttributes().isEmpty()) {
                    ArrayNode nonKey = projection.putArray("NonKeyAttributes");
                    index.nonKeyAttributes().forEach(nonKey::add);
                }
                gsi.put("IndexStatus", "ACTIVE");
                gsi.set("ProvisionedThroughput", throughput());
                long[] counts = indexCounts.getOrDefault(index.name(), new long[2]);
                gsi.put("IndexSizeBytes", counts[1]);
                gsi.put("ItemCount", counts[0]);
                gsi.put("IndexArn", arn() + "/index/" + index.name());
            }
        }
        if (streamViewType != null) {
            table.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", streamViewType);
        }
        if (streamCreated != null) {
            table.put("LatestStreamLabel", streamLabel());
            table.put("LatestStreamArn", streamArn());
        }
        table.put("DeletionProtectionEnabled", false);
        return table;
    }

    private ObjectNode throughput() {
        return JsonNodeFactory.instance.objectNode().put("NumberOfDecreasesToday", 0)
                .put("ReadCapacityUnits", readCapacity).put("WriteCapacityUnits", writeCapacity);
    }
}
