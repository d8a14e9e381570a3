package com.aicredits.emulation.dynamodb.expression;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.aicredits.emulation.dynamodb.value.Value;

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
    }

    /** A ProjectionExpression. */
    public interface Projection {
        /** The projected item: only the named paths, nested maps and lists kept as far as they are named. */
        Map<String, Value> apply(Map<String, Value> item);
    }

    /** The sort key's part of a KeyConditionExpression: =, <, <=, >, >=, BETWEEN or begins_with. */
    public interface RangeCondition {
        boolean test(Value sortKey);
    }

    /** A KeyConditionExpression: equality on the partition key, optionally one condition on the sort key. */
    public record KeyCondition(Value partitionKey, Optional<RangeCondition> sortKey) {
    }

    public static Condition condition(String expression, Placeholders placeholders) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Update update(String expression, Placeholders placeholders) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Projection projection(String expression, Placeholders placeholders) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Parses a KeyConditionExpression against the key schema of the table or index queried ({@code sortKeyName}
     * null when it has none), with DynamoDB's errors for a missing partition key condition, a non-key attribute or
     * an operator not allowed on keys.
     */
    public static KeyCondition keyCondition(String expression, Placeholders placeholders, String partitionKeyName,
            String sortKeyName) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
