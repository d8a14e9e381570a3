package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.expression.Expressions;
import com.aicredits.emulation.dynamodb.expression.Placeholders;
import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reading and validating the parts requests share: keys, items, placeholders, expressions, enums. */
final class Requests {
    static final long MAX_ITEM_SIZE = 400 * 1024;

    private Requests() {
    }

    static String text(JsonNode request, String field) {
        JsonNode node = request.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** The request's placeholders; an empty map given is refused as DynamoDB refuses it. */
    static Placeholders placeholders(JsonNode request) {
        JsonNode names = request.get("ExpressionAttributeNames");
        JsonNode values = request.get("ExpressionAttributeValues");
        Map<String, String> nameMap = null;
        Map<String, Value> valueMap = null;
        if (names != null && !names.isNull()) {
            if (names.isEmpty()) {
                throw DynamoDbError.validation("ExpressionAttributeNames must not be empty");
            }
            nameMap = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : names.properties()) {
                nameMap.put(entry.getKey(), entry.getValue().asText());
            }
        }
        if (values != null && !values.isNull()) {
            if (values.isEmpty()) {
                throw DynamoDbError.validation("ExpressionAttributeValues must not be empty");
            }
            valueMap = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : values.properties()) {
                try {
                    valueMap.put(entry.getKey(), Values.fromJson(entry.getValue()));
                } catch (DynamoDbError e) {
                    throw DynamoDbError.validation("ExpressionAttributeValues contains invalid value: " + e.getMessage()
                            + " for key " + entry.getKey());
                }
            }
        }
        return new Placeholders(nameMap, valueMap);
    }

    /** Refuses placeholders in a request without any expression, as DynamoDB does. */
    static void placeholdersNeedExpressions(JsonNode request, boolean anyExpression) {
        if (anyExpression) {
            return;
        }
        if (request.hasNonNull("ExpressionAttributeNames")) {
            throw DynamoDbError.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        if (request.hasNonNull("ExpressionAttributeValues")) {
            throw DynamoDbError.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
    }

    /** Refuses a defined placeholder no expression used (nothing to check when none was defined). */
    static void checkAllUsed(Placeholders placeholders) {
        if (!placeholders.names().isEmpty() || !placeholders.values().isEmpty()) {
            placeholders.checkAllUsed();
        }
    }

    static Expressions.Condition condition(JsonNode request, String field, Placeholders placeholders) {
        String expression = text(request, field);
        if (expression == null) {
            return null;
        }
        if (expression.isBlank()) {
            throw DynamoDbError.validation("Invalid " + field + ": The expression can not be empty;");
        }
        return Expressions.condition(expression, placeholders);
    }

    static Expressions.Projection projection(JsonNode request, Placeholders placeholders) {
        String expression = text(request, "ProjectionExpression");
        if (expression == null) {
            return null;
        }
        if (expression.isBlank()) {
            throw DynamoDbError.validation("Invalid ProjectionExpression: The expression can not be empty;");
        }
        return Expressions.projection(expression, placeholders);
    }

    static String enumeration(JsonNode request, String field, String fallback, Set<String> allowed, String message) {
        String value = text(request, field);
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw DynamoDbError.validation(message != null ? message
                    : "1 validation error detected: Value '" + value + "' at '" + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                            + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return value;
    }

    static String returnValuesOnFailure(JsonNode request) {
        return enumeration(request, "ReturnValuesOnConditionCheckFailure", "NONE", Set.of("NONE", "ALL_OLD"), null);
    }

    /** A {@code Key} parameter: exactly the table's key attributes, with their types. */
    static PrimaryKey key(Table table, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
        }
        Map<String, Value> key = Values.itemFromJson(node);
        KeySchema schema = table.key();
        if (key.size() != (schema.hasRange() ? 2 : 1) || !schema.coveredBy(key)) {
            throw DynamoDbError.validation("The provided key element does not match the schema");
        }
        checkKeyValue(schema.hashName(), key.get(schema.hashName()), true);
        if (schema.hasRange()) {
            checkKeyValue(schema.rangeName(), key.get(schema.rangeName()), false);
        }
        return table.keyOf(key);
    }

    private static void checkKeyValue(String name, Value value, boolean partition) {
        long size = switch (value) {
            case Value.S s -> {
                if (s.value().isEmpty()) {
                    throw DynamoDbError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                            + "cannot contain an empty string value. Key: " + name);
                }
                yield Values.utf8Length(s.value());
            }
            case Value.B b -> {
                if (b.value().length() == 0) {
                    throw DynamoDbError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                            + "cannot contain an empty binary value. Key: " + name);
                }
                yield b.value().length();
            }
            default -> 0;
        };
        if (partition && size > 2048) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
        }
        if (!partition && size > 1024) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        }
    }

    /** An {@code Item} parameter: the parsed item, its key checked, its index keys checked, its size checked. */
    static Map<String, Value> item(Table table, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
        }
        Map<String, Value> item = Values.itemFromJson(node);
        checkItem(table, item, "Item size has exceeded the maximum allowed size");
        return java.util.Collections.unmodifiableMap(item);
    }

    /** The checks of a whole item about to be stored (after a Put's parsing, or an update's evaluation). */
    static void checkItem(Table table, Map<String, Value> item, String sizeMessage) {
        KeySchema schema = table.key();
        for (String name : schema.hasRange() ? new String[] {schema.hashName(), schema.rangeName()} : new String[] {schema.hashName()}) {
            Value value = item.get(name);
            if (value == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Missing the key " + name + " in the item");
            }
            String expected = name.equals(schema.hashName()) ? schema.hashType() : schema.rangeType();
            if (!value.type().equals(expected)) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for key " + name + " expected: "
                        + expected + " actual: " + value.type());
            }
            checkKeyValue(name, value, name.equals(schema.hashName()));
        }
        for (IndexDefinition index : table.definition.indexes.values()) {
            KeySchema indexKey = index.key();
            for (String name : indexKey.hasRange() ? new String[] {indexKey.hashName(), indexKey.rangeName()} : new String[] {indexKey.hashName()}) {
                Value value = item.get(name);
                if (value == null) {
                    continue;
                }
                String expected = name.equals(indexKey.hashName()) ? indexKey.hashType() : indexKey.rangeType();
                if (!value.type().equals(expected)) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for Index Key " + name
                            + " Expected: " + expected + " Actual: " + value.type() + " IndexName: " + index.name());
                }
                if (value instanceof Value.S s && s.value().isEmpty() || value instanceof Value.B b && b.value().length() == 0) {
                    throw DynamoDbError.validation("One or more parameter values are not valid. A value specified for a secondary index key "
                            + "is not supported. The AttributeValue for a key attribute cannot contain an empty "
                            + (value instanceof Value.S ? "string" : "binary") + " value. IndexName: " + index.name() + ", IndexKey: " + name);
                }
            }
        }
        if (Values.itemSize(item) > MAX_ITEM_SIZE) {
            throw DynamoDbError.validation(sizeMessage);
        }
    }
}
