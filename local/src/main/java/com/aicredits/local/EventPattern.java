package com.aicredits.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An EventBridge-style event pattern, the grammar of Lambda event-source-mapping {@code FilterCriteria}, matched
 * against a JSON event. Every field of a pattern must match (AND); the values in a field's array are alternatives
 * (OR), as are the patterns under {@code "$or"}. A leaf is an array of exact values (strings, numbers, booleans,
 * null) and content filters: {@code prefix}, {@code suffix}, {@code equals-ignore-case}, {@code anything-but},
 * {@code numeric}, {@code exists}, {@code wildcard}. An array in the event matches if any of its elements does.
 *
 * <p>The local stream poller drops the records a mapping's filters do not match, as Lambda does, so a function sees
 * locally exactly the records it will see on AWS. Anything outside the grammar (e.g. {@code cidr}) is refused when
 * parsed rather than silently matching nothing.
 */
public final class EventPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode NO_FIELDS = JsonNodeFactory.instance.objectNode();

    private final JsonNode source;
    private final ObjectPattern root;

    private EventPattern(JsonNode source, ObjectPattern root) {
        this.source = source;
        this.root = root;
    }

    /** Parses a pattern; IllegalArgumentException, naming the offending part, if it is not valid. */
    public static EventPattern parse(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event pattern is not valid JSON: " + e.getOriginalMessage() + " in " + json, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("event pattern must be a JSON object: " + json);
        }
        return new EventPattern(tree, objectPattern(tree, ""));
    }

    /** Whether {@code event} matches this pattern. */
    public boolean matches(JsonNode event) {
        return root.matches(event != null && event.isObject() ? event : NO_FIELDS);
    }

    /** Whether any of {@code patterns} matches: how Lambda combines a mapping's filters. */
    public static boolean matchesAny(List<EventPattern> patterns, JsonNode event) {
        return patterns.stream().anyMatch(pattern -> pattern.matches(event));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventPattern that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** The pattern as JSON. */
    @Override
    public String toString() {
        return source.toString();
    }

    // ---- parsing --------------------------------------------------------------------------------------------------

    private static ObjectPattern objectPattern(JsonNode node, String path) {
        Map<String, FieldPattern> fields = new LinkedHashMap<>();
        List<ObjectPattern> alternatives = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String where = path.isEmpty() ? name : path + "." + name;
            if (name.equals("$or")) {
                if (!value.isArray() || value.isEmpty()) {
                    throw invalid(where, "must be a non-empty array of patterns", value);
                }
                for (JsonNode alternative : value) {
                    if (!alternative.isObject()) {
                        throw invalid(where, "must hold only pattern objects", value);
                    }
                    alternatives.add(objectPattern(alternative, path));
                }
            } else if (value.isObject()) {
                fields.put(name, new Nested(objectPattern(value, where)));
            } else if (value.isArray()) {
                List<Matcher> matchers = new ArrayList<>();
                for (JsonNode element : value) {
                    matchers.add(matcher(element, where));
                }
                if (matchers.isEmpty()) {
                    throw invalid(where, "must list at least one value", value);
                }
                fields.put(name, new Leaf(List.copyOf(matchers)));
            } else {
                // EventBridge and Lambda both refuse a bare value: a leaf is always an array of alternatives.
                throw invalid(where, "must be an array of values or a nested pattern object", value);
            }
        }
        return new ObjectPattern(fields, List.copyOf(alternatives));
    }

    private static Matcher matcher(JsonNode element, String where) {
        if (element.isValueNode()) {
            return new Exact(element);
        }
        if (!element.isObject() || element.size() != 1) {
            throw invalid(where, "a filter must be a value or an object with exactly one operator", element);
        }
        Map.Entry<String, JsonNode> operator = element.properties().iterator().next();
        JsonNode argument = operator.getValue();
        return switch (operator.getKey()) {
            case "prefix" -> affix(argument, where, "prefix", true);
            case "suffix" -> affix(argument, where, "suffix", false);
            case "equals-ignore-case" -> new EqualsIgnoreCase(text(argument, where, "equals-ignore-case"));
            case "wildcard" -> wildcard(text(argument, where, "wildcard"), where);
            case "exists" -> {
                if (!argument.isBoolean()) {
                    throw invalid(where, "exists takes true or false", argument);
                }
                yield new Exists(argument.booleanValue());
            }
            case "numeric" -> numeric(argument, where);
            case "anything-but" -> anythingBut(argument, where);
            default -> throw invalid(where, "unsupported filter operator '" + operator.getKey()
                    + "' (supported: prefix, suffix, equals-ignore-case, anything-but, numeric, exists, wildcard)", element);
        };
    }

    /** {@code "prefix": "abc"} or {@code "prefix": {"equals-ignore-case": "abc"}} (the same for suffix). */
    private static Matcher affix(JsonNode argument, String where, String operator, boolean prefix) {
        boolean ignoreCase = false;
        JsonNode text = argument;
        if (argument.isObject() && argument.size() == 1 && argument.has("equals-ignore-case")) {
            ignoreCase = true;
            text = argument.get("equals-ignore-case");
        }
        String value = text(text, where, operator);
        return prefix ? new Prefix(value, ignoreCase) : new Suffix(value, ignoreCase);
    }

    private static Matcher anythingBut(JsonNode argument, String where) {
        List<Matcher> excluded = new ArrayList<>();
        if (argument.isValueNode() && !argument.isNull() && !argument.isBoolean()) {
            excluded.add(new Exact(argument));
        } else if (argument.isArray() && !argument.isEmpty()) {
            for (JsonNode value : argument) {
                if (!value.isTextual() && !value.isNumber()) {
                    throw invalid(where, "anything-but lists strings or numbers", argument);
                }
                excluded.add(new Exact(value));
            }
        } else if (argument.isObject() && argument.size() == 1) {
            Map.Entry<String, JsonNode> inner = argument.properties().iterator().next();
            switch (inner.getKey()) {
                case "prefix" -> excluded.add(new Prefix(text(inner.getValue(), where, "anything-but prefix"), false));
                case "suffix" -> excluded.add(new Suffix(text(inner.getValue(), where, "anything-but suffix"), false));
                case "equals-ignore-case", "wildcard" -> {
                    List<JsonNode> values = inner.getValue().isArray() ? list(inner.getValue()) : List.of(inner.getValue());
                    for (JsonNode value : values) {
                        String text = text(value, where, "anything-but " + inner.getKey());
                        excluded.add(inner.getKey().equals("wildcard") ? wildcard(text, where) : new EqualsIgnoreCase(text));
                    }
                }
                default -> throw invalid(where, "anything-but takes a value, a list, or prefix / suffix /"
                        + " equals-ignore-case / wildcard; not '" + inner.getKey() + "'", argument);
            }
        } else {
            throw invalid(where, "anything-but takes a string, a number, a non-empty list of them, or one operator", argument);
        }
        return new AnythingBut(List.copyOf(excluded));
    }

    private static Matcher numeric(JsonNode argument, String where) {
        if (!argument.isArray() || (argument.size() != 2 && argument.size() != 4)) {
            throw invalid(where, "numeric takes [op, number] or [op, number, op, number]", argument);
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < argument.size(); i += 2) {
            JsonNode op = argument.get(i);
            JsonNode number = argument.get(i + 1);
            if (!op.isTextual() || !List.of("=", "<", "<=", ">", ">=").contains(op.textValue())) {
                throw invalid(where, "numeric operators are =, <, <=, >, >=", argument);
            }
            if (!number.isNumber()) {
                throw invalid(where, "numeric compares with numbers", argument);
            }
            comparisons.add(new Comparison(op.textValue(), number.decimalValue()));
        }
        if (comparisons.size() == 2 && comparisons.stream().anyMatch(c -> c.operator().equals("="))) {
            throw invalid(where, "numeric '=' cannot be combined with a range", argument);
        }
        return new Numeric(List.copyOf(comparisons));
    }

    /** {@code *} matches any run of characters; {@code \*} is a literal star and {@code \\} a backslash. */
    private static Matcher wildcard(String wildcard, String where) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        char previous = 0;
        for (int i = 0; i < wildcard.length(); i++) {
            char c = wildcard.charAt(i);
            if (c == '\\') {
                if (i + 1 >= wildcard.length() || (wildcard.charAt(i + 1) != '*' && wildcard.charAt(i + 1) != '\\')) {
                    throw invalid(where, "in a wildcard, a backslash only escapes * or \\", wildcard);
                }
                literal.append(wildcard.charAt(++i));
                previous = 0;
            } else if (c == '*') {
                if (previous == '*') {
                    throw invalid(where, "a wildcard cannot have consecutive *", wildcard);
                }
                regex.append(Pattern.quote(literal.toString())).append(".*");
                literal.setLength(0);
                previous = c;
            } else {
                literal.append(c);
                previous = c;
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return new Wildcard(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    private static String text(JsonNode node, String where, String operator) {
        if (node == null || !node.isTextual()) {
            throw invalid(where, operator + " takes a string", node);
        }
        return node.textValue();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    private static IllegalArgumentException invalid(String where, String problem, Object value) {
        return new IllegalArgumentException("event pattern field '" + where + "' " + problem + ": " + value);
    }

    // ---- matching -------------------------------------------------------------------------------------------------

    /** All {@code fields} match, and (when there is a {@code $or}) at least one alternative does. */
    private record ObjectPattern(Map<String, FieldPattern> fields, List<ObjectPattern> alternatives) {
        boolean matches(JsonNode event) {
            for (Map.Entry<String, FieldPattern> field : fields.entrySet()) {
                if (!field.getValue().matches(event.get(field.getKey()))) {
                    return false;
                }
            }
            return alternatives.isEmpty() || alternatives.stream().anyMatch(alternative -> alternative.matches(event));
        }
    }

    private sealed interface FieldPattern permits Nested, Leaf {
        /** {@code value} is the event's field, null when absent. */
        boolean matches(JsonNode value);
    }

    private record Nested(ObjectPattern pattern) implements FieldPattern {
        @Override
        public boolean matches(JsonNode value) {
            if (value != null && value.isArray()) {
                for (JsonNode element : value) {
                    if (element.isObject() && pattern.matches(element)) {
                        return true;
                    }
                }
                return false;
            }
            // An absent (or scalar) field has no sub-fields: only "exists": false can match beneath it.
            return pattern.matches(value != null && value.isObject() ? value : NO_FIELDS);
        }
    }

    private record Leaf(List<Matcher> matchers) implements FieldPattern {
        @Override
        public boolean matches(JsonNode value) {
            List<JsonNode> leaves = new ArrayList<>();
            collectLeaves(value, leaves);
            if (leaves.isEmpty()) {
                // Absent, an object, or an empty array: no leaf value here, as EventBridge flattens events.
                return matchers.stream().anyMatch(Matcher::matchesAbsent);
            }
            for (JsonNode leaf : leaves) {
                for (Matcher matcher : matchers) {
                    if (matcher.matchesValue(leaf)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void collectLeaves(JsonNode value, List<JsonNode> leaves) {
            if (value == null || value.isMissingNode() || value.isObject()) {
                return;
            }
            if (value.isArray()) {
                value.forEach(element -> collectLeaves(element, leaves));
            } else {
                leaves.add(value);
            }
        }
    }

    private sealed interface Matcher permits Exact, Prefix, Suffix, EqualsIgnoreCase, Wildcard, Numeric, Exists, AnythingBut {
        /** Whether a present leaf value (a string, number, boolean or null) matches. */
        boolean matchesValue(JsonNode value);

        /** Whether an absent field satisfies this matcher (only {@code "exists": false} does). */
        default boolean matchesAbsent() {
            return false;
        }
    }

    private record Exact(JsonNode expected) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            if (expected.isNumber() && value.isNumber()) {
                return expected.decimalValue().compareTo(value.decimalValue()) == 0; // 5 matches 5.0
            }
            return expected.equals(value);
        }
    }

    private record Prefix(String prefix, boolean ignoreCase) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            return value.isTextual() && value.textValue().regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
        }
    }

    private record Suffix(String suffix, boolean ignoreCase) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            if (!value.isTextual()) {
                return false;
            }
            String text = value.textValue();
            int start = text.length() - suffix.length();
            return start >= 0 && text.regionMatches(ignoreCase, start, suffix, 0, suffix.length());
        }
    }

    private record EqualsIgnoreCase(String expected) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            return value.isTextual() && value.textValue().toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
        }
    }

    private record Wildcard(Pattern regex) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            return value.isTextual() && regex.matcher(value.textValue()).matches();
        }
    }

    private record Comparison(String operator, BigDecimal operand) {
        boolean holds(BigDecimal value) {
            int order = value.compareTo(operand);
            return switch (operator) {
                case "=" -> order == 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }
    }

    /** Only JSON numbers: a number inside a string (a DynamoDB {@code "N"}) does not match, as on AWS. */
    private record Numeric(List<Comparison> comparisons) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            return value.isNumber() && comparisons.stream().allMatch(c -> c.holds(value.decimalValue()));
        }
    }

    private record Exists(boolean shouldExist) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            return shouldExist;
        }

        @Override
        public boolean matchesAbsent() {
            return !shouldExist;
        }
    }

    /** A present value that none of {@code excluded} matches; an absent field never matches. */
    private record AnythingBut(List<Matcher> excluded) implements Matcher {
        @Override
        public boolean matchesValue(JsonNode value) {
            return excluded.stream().noneMatch(matcher -> matcher.matchesValue(value));
        }
    }
}
