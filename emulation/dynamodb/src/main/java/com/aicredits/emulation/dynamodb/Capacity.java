package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consumed capacity as the Developer Guide computes it: a write costs 1 unit per 1 KB (rounded up) of the larger of
 * the item's old and new versions, a read 1 unit per 4 KB (half when eventually consistent), a transactional
 * request twice as much; a write to an index costs per index touched, by the size of the index's projection.
 */
final class Capacity {
    final String tableName;
    double table;
    final Map<String, Double> indexes = new LinkedHashMap<>();

    Capacity(String tableName) {
        this.tableName = tableName;
    }

    static double writeUnits(long sizeBytes) {
        return Math.max(1, (sizeBytes + 1023) / 1024);
    }

    static double readUnits(long sizeBytes, boolean consistent) {
        double units = Math.max(1, (sizeBytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    void addTable(double units) {
        table += units;
    }

    void addIndex(String index, double units) {
        if (units > 0) {
            indexes.merge(index, units, Double::sum);
        }
    }

    double total() {
        return table + indexes.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The ConsumedCapacity object for {@code ReturnConsumedCapacity} TOTAL or INDEXES (null for NONE). */
    ObjectNode toJson(String mode) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("TableName", tableName);
        node.put("CapacityUnits", total());
        if ("INDEXES".equals(mode)) {
            node.putObject("Table").put("CapacityUnits", table);
            if (!indexes.isEmpty()) {
                ObjectNode gsis = node.putObject("GlobalSecondaryIndexes");
                indexes.forEach((name, units) -> gsis.putObject(name).put("CapacityUnits", units));
            }
        }
        return node;
    }

    static String mode(com.fasterxml.jackson.databind.JsonNode request) {
        String mode = request.path("ReturnConsumedCapacity").asText("NONE");
        if (!mode.equals("NONE") && !mode.equals("TOTAL") && !mode.equals("INDEXES")) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + mode
                    + "' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
        }
        return mode;
    }
}
