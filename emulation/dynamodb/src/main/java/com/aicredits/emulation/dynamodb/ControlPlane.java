package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/** CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTable, UpdateTimeToLive, DescribeTimeToLive. */
final class ControlPlane {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Database database;

    ControlPlane(Database database) {
        this.database = database;
    }

    private static ObjectNode describe(Table table, String status) {
        Map<String, long[]> indexCounts = new HashMap<>();
        table.indexes.forEach((name, index) -> indexCounts.put(name, new long[] {index.itemCount, index.sizeBytes}));
        return table.definition.describe(status, table.itemCount, table.sizeBytes, indexCounts);
    }

    JsonNode createTable(JsonNode request) {
        if (!request.isObject()) {
            throw DynamoDbError.validation("The request must be a JSON object");
        }
        return database.write(() -> {
            Table table = database.createTable((ObjectNode) request);
            ObjectNode out = JSON.objectNode();
            out.set("TableDescription", describe(table, "ACTIVE"));
            return out;
        });
    }

    JsonNode describeTable(JsonNode request) {
        String name = Requests.text(request, "TableName");
        TableDefinition.checkTableName(name);
        return database.read(() -> {
            ObjectNode out = JSON.objectNode();
            out.set("Table", describe(database.table(name), "ACTIVE"));
            return out;
        });
    }

    JsonNode deleteTable(JsonNode request) {
        String name = Requests.text(request, "TableName");
        TableDefinition.checkTableName(name);
        return database.write(() -> {
            Table table = database.deleteTable(name);
            ObjectNode out = JSON.objectNode();
            out.set("TableDescription", describe(table, "DELETING"));
            return out;
        });
    }

    JsonNode listTables(JsonNode request) {
        int limit = request.path("Limit").asInt(100);
        if (limit < 1 || limit > 100) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        }
        String start = Requests.text(request, "ExclusiveStartTableName");
        return database.read(() -> {
            ObjectNode out = JSON.objectNode();
            ArrayNode names = out.putArray("TableNames");
            var view = start == null ? database.tables.navigableKeySet() : database.tables.navigableKeySet().tailSet(start, false);
            String last = null;
            for (String name : view) {
                if (names.size() == limit) {
                    out.put("LastEvaluatedTableName", last);
                    break;
                }
                names.add(name);
                last = name;
            }
            return out;
        });
    }

    JsonNode updateTable(JsonNode request) {
        String name = Requests.text(request, "TableName");
        TableDefinition.checkTableName(name);
        if (request.has("GlobalSecondaryIndexUpdates")) {
            throw DynamoDbError.validation("GlobalSecondaryIndexUpdates are not supported by this engine yet");
        }
        return database.write(() -> {
            Table table = database.table(name);
            if (request.has("BillingMode") || request.has("ProvisionedThroughput")) {
                String mode = request.path("BillingMode").asText(table.definition.billingMode);
                JsonNode throughput = request.path("ProvisionedThroughput");
                database.setBilling(table, mode, mode.equals("PAY_PER_REQUEST") ? 0 : throughput.path("ReadCapacityUnits").asLong(table.definition.readCapacity),
                        mode.equals("PAY_PER_REQUEST") ? 0 : throughput.path("WriteCapacityUnits").asLong(table.definition.writeCapacity));
            }
            if (request.has("StreamSpecification")) {
                JsonNode specification = request.get("StreamSpecification");
                boolean enable = specification.path("StreamEnabled").asBoolean(false);
                if (enable && table.definition.streamViewType != null) {
                    throw DynamoDbError.validation("Table already has an enabled stream: " + table.definition.streamArn());
                }
                if (!enable && table.definition.streamViewType == null) {
                    throw DynamoDbError.validation("Table already has no enabled stream");
                }
                database.setStream(table, specification);
            }
            ObjectNode out = JSON.objectNode();
            out.set("TableDescription", describe(table, "ACTIVE"));
            return out;
        });
    }

    JsonNode updateTimeToLive(JsonNode request) {
        String name = Requests.text(request, "TableName");
        TableDefinition.checkTableName(name);
        JsonNode specification = request.get("TimeToLiveSpecification");
        if (specification == null || !specification.has("Enabled") || !specification.hasNonNull("AttributeName")) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        }
        String attribute = specification.get("AttributeName").asText();
        boolean enabled = specification.get("Enabled").asBoolean();
        return database.write(() -> {
            Table table = database.table(name);
            if (enabled && table.definition.ttlEnabled) {
                throw DynamoDbError.validation("TimeToLive is already enabled");
            }
            if (!enabled && !table.definition.ttlEnabled) {
                throw DynamoDbError.validation("TimeToLive is already disabled");
            }
            database.setTimeToLive(table, attribute, enabled);
            ObjectNode out = JSON.objectNode();
            out.putObject("TimeToLiveSpecification").put("AttributeName", attribute).put("Enabled", enabled);
            return out;
        });
    }

    JsonNode describeTimeToLive(JsonNode request) {
        String name = Requests.text(request, "TableName");
        TableDefinition.checkTableName(name);
        return database.read(() -> {
            TableDefinition definition = database.table(name).definition;
            ObjectNode out = JSON.objectNode();
            ObjectNode description = out.putObject("TimeToLiveDescription").put("TimeToLiveStatus", definition.ttlEnabled ? "ENABLED" : "DISABLED");
            if (definition.ttlEnabled) {
                description.put("AttributeName", definition.ttlAttribute);
            }
            return out;
        });
    }
}
