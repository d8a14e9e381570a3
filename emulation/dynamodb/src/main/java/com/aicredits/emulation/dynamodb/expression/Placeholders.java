package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Value;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A request's {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues}, shared by every expression of
 * the request, remembering which were used: DynamoDB refuses a request with a placeholder no expression uses
 * ({@link #checkAllUsed()}) or an expression naming one that is not defined (at parse time).
 *
 * <p>Not thread-safe: one instance per request.
 */
public final class Placeholders {
    private static final Pattern NAME_KEY = Pattern.compile("#[0-9a-zA-Z_]+");
    private static final Pattern VALUE_KEY = Pattern.compile(":[0-9a-zA-Z_]+");

    private final Map<String, String> names;
    private final Map<String, Value> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();
    private boolean keysChecked;

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

    /**
     * Throws DynamoDB's ValidationException when a name or value placeholder was defined and not used (names
     * first). DynamoDB prefixes this message with "1 validation error detected: " on PutItem, UpdateItem and
     * DeleteItem, not on GetItem, Query, Scan, BatchGetItem nor the transactions: see {@link #checkAllUsed(String)}.
     */
    public void checkAllUsed() {
        checkAllUsed("");
    }

    /** As {@link #checkAllUsed()}, the message starting with {@code prefix}. */
    public void checkAllUsed(String prefix) {
        String unusedNames = unused(names.keySet(), usedNames);
        if (unusedNames != null) {
            throw DynamoDbError.validation(prefix + "Value provided in ExpressionAttributeNames unused in expressions: keys: "
                    + unusedNames);
        }
        String unusedValues = unused(values.keySet(), usedValues);
        if (unusedValues != null) {
            throw DynamoDbError.validation(prefix + "Value provided in ExpressionAttributeValues unused in expressions: keys: "
                    + unusedValues);
        }
    }

    void useName(String placeholder) {
        usedNames.add(placeholder);
    }

    void useValue(String placeholder) {
        usedValues.add(placeholder);
    }

    /** DynamoDB's check of the placeholders' own spelling ({@code #} or {@code :}, then letters, digits, _), once. */
    void checkKeys() {
        if (keysChecked) {
            return;
        }
        for (String key : names.keySet()) {
            if (!NAME_KEY.matcher(key).matches()) {
                throw DynamoDbError.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
        for (String key : values.keySet()) {
            if (!VALUE_KEY.matcher(key).matches()) {
                throw DynamoDbError.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
        keysChecked = true;
    }

    private static String unused(Set<String> defined, Set<String> used) {
        StringJoiner unused = new StringJoiner(", ", "{", "}");
        boolean any = false;
        for (String key : defined) {
            if (!used.contains(key)) {
                unused.add(key);
                any = true;
            }
        }
        return any ? unused.toString() : null;
    }
}
