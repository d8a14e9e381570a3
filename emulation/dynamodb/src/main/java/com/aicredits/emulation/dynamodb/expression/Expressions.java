package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Value;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DynamoDB's expression languages: condition (and filter), key condition, update and projection. Each parse
 * validates as DynamoDB does (syntax, reserved words used bare, undefined placeholders, overlapping paths, operand
 * types known at parse time) and throws {@link com.aicredits.emulation.dynamodb.DynamoDbError#validation} with
 * DynamoDB's message; evaluation errors of the same kind (an operand of the wrong type at run time in an update)
 * are thrown by {@code apply}. Items are attribute maps; an absent item is an empty map.
 */
public final class Expressions {
    private Expressions() {
    }

    /** A ConditionExpression or FilterExpression. */
    public interface Condition {
        boolean test(Map<String, Value> item);
    }

    /** An UpdateExpression: SET (with + and -, if_not_exists, list_append), REMOVE, ADD, DELETE. */
    public interface Update {
        /** The item after the update (a new map; {@code item} is left as it was). */
        Map<String, Value> apply(Map<String, Value> item);

        /** Throws DynamoDB's ValidationException if the update touches one of these (key) attributes. */
        void rejectKeyUpdates(Set<String> keyAttributes);

        /**
         * The paths this update writes, as a projection: applied to the item before and after the update it gives
         * ReturnValues UPDATED_OLD and UPDATED_NEW.
         */
        Projection updatedPaths();
    }

    /** A ProjectionExpression. */
    public interface Projection {
        /** The projected item: only the named paths, nested maps and lists kept as far as they are named. */
        Map<String, Value> apply(Map<String, Value> item);
    }

    /** The sort key's part of a KeyConditionExpression: =, <, <=, >, >=, BETWEEN or begins_with. */
    public interface RangeCondition {
        boolean test(Value sortKey);

        /** The operator: {@code = < <= > >= BETWEEN begins_with}, the key on its left. */
        String operator();

        /** The operator's values: one, or two for BETWEEN (low, high). */
        java.util.List<Value> values();
    }

    /** A KeyConditionExpression: equality on the partition key, optionally one condition on the sort key. */
    public record KeyCondition(Value partitionKey, Optional<RangeCondition> sortKey) {
    }

    /** A ConditionExpression (its errors name it so). */
    public static Condition condition(String expression, Placeholders placeholders) {
        return Parser.condition(expression, placeholders, "ConditionExpression");
    }

    /** A FilterExpression: a condition whose errors name it "FilterExpression". */
    public static Condition filter(String expression, Placeholders placeholders) {
        return Parser.condition(expression, placeholders, "FilterExpression");
    }

    public static Update update(String expression, Placeholders placeholders) {
        return Parser.update(expression, placeholders);
    }

    public static Projection projection(String expression, Placeholders placeholders) {
        return Parser.projection(expression, placeholders);
    }

    /**
     * Parses a KeyConditionExpression against the key schema of the table or index queried ({@code sortKeyName}
     * null when it has none), with DynamoDB's errors for a missing partition key condition, a non-key attribute or
     * an operator not allowed on keys.
     */
    public static KeyCondition keyCondition(String expression, Placeholders placeholders, String partitionKeyName,
            String sortKeyName) {
        return keyCondition(expression, placeholders, partitionKeyName, null, sortKeyName, null);
    }

    /**
     * As {@link #keyCondition(String, Placeholders, String, String)}, also checking the values' types against the
     * keys' ({@code S}, {@code N} or {@code B}; null to skip): "Condition parameter type does not match schema type".
     */
    public static KeyCondition keyCondition(String expression, Placeholders placeholders, String partitionKeyName,
            String partitionKeyType, String sortKeyName, String sortKeyType) {
        ConditionNode condition = Parser.condition(expression, placeholders, "KeyConditionExpression");
        return KeyConditions.check(condition, partitionKeyName, partitionKeyType, sortKeyName, sortKeyType);
    }
}
