package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.Map;

/**
 * A request's {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues}, shared by every expression of
 * the request, remembering which were used: DynamoDB refuses a request with a placeholder no expression uses
 * ({@link #checkAllUsed()}) or an expression naming one that is not defined (at parse time).
 */
public final class Placeholders {
    private final Map<String, String> names;
    private final Map<String, Value> values;

    public Placeholders(Map<String, String> names, Map<String, Value> values) {
        this.names = names == null ? Map.of() : names;
        this.values = values == null ? Map.of() : values;
    }

    public Map<String, String> names() {
        return names;
    }

    public Map<String, Value> values() {
        return values;
    }

    /** Throws DynamoDB's ValidationException when a name or value placeholder was defined and not used. */
    public void checkAllUsed() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
