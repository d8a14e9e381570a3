package com.aicredits.emulation.dynamodb.value;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values on the wire ({@code {"S": "x"}}, DynamoDB JSON), key order, and item size by the Developer Guide's rules
 * ("Item sizes and formats").
 */
public final class Values {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Values() {
    }

    // ---- wire format ----

    /** Reads one attribute value ({@code {"S": "x"}}), or throws DynamoDB's ValidationException. */
    public static Value fromJson(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw DynamoDbError.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> only = node.properties().iterator().next();
        JsonNode body = only.getValue();
        return switch (only.getKey()) {
            case "S" -> new Value.S(text(body));
            case "N" -> new Value.N(Numbers.parse(text(body)));
            case "B" -> new Value.B(Bytes.fromBase64(text(body)));
            case "BOOL" -> new Value.Bool(body.asBoolean());
            case "NULL" -> {
                if (!body.asBoolean()) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                yield new Value.Null();
            }
            case "L" -> {
                List<Value> values = new ArrayList<>();
                body.forEach(element -> values.add(fromJson(element)));
                yield new Value.L(values);
            }
            case "M" -> new Value.M(itemFromJson(body));
            case "SS" -> new Value.SS(set(body, "string", JsonNode::asText));
            case "NS" -> new Value.NS(numberSet(body));
            case "BS" -> new Value.BS(set(body, "binary", element -> Bytes.fromBase64(element.asText())));
            default -> throw DynamoDbError.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        };
    }

    /** Reads an item or a map ({@code {"name": {"S": "x"}, …}}), keeping the order of its attributes. */
    public static Map<String, Value> itemFromJson(JsonNode node) {
        Map<String, Value> item = new LinkedHashMap<>();
        if (node != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> attribute = it.next();
                item.put(attribute.getKey(), fromJson(attribute.getValue()));
            }
        }
        return item;
    }

    public static ObjectNode toJson(Value value) {
        ObjectNode node = JSON.objectNode();
        switch (value) {
            case Value.S s -> node.put("S", s.value());
            case Value.N n -> node.put("N", n.text());
            case Value.B b -> node.put("B", b.value().base64());
            case Value.Bool bool -> node.put("BOOL", bool.value());
            case Value.Null ignored -> node.put("NULL", true);
            case Value.L l -> {
                ArrayNode array = node.putArray("L");
                l.values().forEach(element -> array.add(toJson(element)));
            }
            case Value.M m -> node.set("M", itemToJson(m.values()));
            case Value.SS ss -> {
                ArrayNode array = node.putArray("SS");
                ss.values().forEach(array::add);
            }
            case Value.NS ns -> {
                ArrayNode array = node.putArray("NS");
                ns.values().forEach(number -> array.add(Numbers.text(number)));
            }
            case Value.BS bs -> {
                ArrayNode array = node.putArray("BS");
                bs.values().forEach(bytes -> array.add(bytes.base64()));
            }
        }
        return node;
    }

    public static ObjectNode itemToJson(Map<String, Value> item) {
        ObjectNode node = JSON.objectNode();
        item.forEach((name, value) -> node.set(name, toJson(value)));
        return node;
    }

    private static String text(JsonNode body) {
        if (body == null || !body.isTextual()) {
            throw DynamoDbError.validation("Supplied AttributeValue has an invalid value");
        }
        return body.asText();
    }

    private static <T> List<T> set(JsonNode body, String kind, java.util.function.Function<JsonNode, T> element) {
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: An " + kind + " set  may not be empty");
        }
        List<T> values = new ArrayList<>();
        Set<T> seen = new HashSet<>();
        for (JsonNode node : body) {
            T value = element.apply(node);
            if (!seen.add(value)) {
                throw DynamoDbError.validation("Input collection " + body + " contains duplicates.");
            }
            values.add(value);
        }
        return values;
    }

    private static List<BigDecimal> numberSet(JsonNode body) {
        List<BigDecimal> numbers = set(body, "number", node -> Numbers.parse(node.asText()));
        if (Numbers.distinct(numbers).size() != numbers.size()) {
            throw DynamoDbError.validation("Input collection " + body + " contains duplicates.");
        }
        return numbers;
    }

    static Map<String, Value> orderedCopy(Map<String, Value> values) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    // ---- key order ----

    /**
     * Orders two key values of one type as DynamoDB orders sort keys: strings by their UTF-8 bytes, numbers by
     * value, binary bytewise unsigned.
     */
    public static int compareKeys(Value a, Value b) {
        return switch (a) {
            case Value.S s when b instanceof Value.S other -> compareUtf8(s.value(), other.value());
            case Value.N n when b instanceof Value.N other -> n.value().compareTo(other.value());
            case Value.B bytes when b instanceof Value.B other -> bytes.value().compareTo(other.value());
            default -> throw new IllegalArgumentException("not comparable as keys: " + a.type() + " and " + b.type());
        };
    }

    /** Compares strings by their UTF-8 encodings, bytewise unsigned (which is code point order). */
    public static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    // ---- sizes ----

    /** An item's size in bytes: each attribute's name (UTF-8) plus its value's size. */
    public static long itemSize(Map<String, Value> item) {
        long size = 0;
        for (Map.Entry<String, Value> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + size(attribute.getValue());
        }
        return size;
    }

    /**
     * A value's size: strings by UTF-8 length, numbers 1 byte per two significant digits plus 1, binary by length,
     * BOOL and NULL 1 byte, lists and maps 3 bytes plus 1 a element plus the elements, sets the sum of their elements.
     */
    public static long size(Value value) {
        return switch (value) {
            case Value.S s -> utf8Length(s.value());
            case Value.N n -> numberSize(n.value());
            case Value.B b -> b.value().length();
            case Value.Bool ignored -> 1;
            case Value.Null ignored -> 1;
            case Value.L l -> 3 + l.values().stream().mapToLong(element -> 1 + size(element)).sum();
            case Value.M m -> 3 + m.values().entrySet().stream()
                    .mapToLong(entry -> 1 + utf8Length(entry.getKey()) + size(entry.getValue())).sum();
            case Value.SS ss -> ss.values().stream().mapToLong(Values::utf8Length).sum();
            case Value.NS ns -> ns.values().stream().mapToLong(Values::numberSize).sum();
            case Value.BS bs -> bs.values().stream().mapToLong(Bytes::length).sum();
        };
    }

    static long numberSize(BigDecimal number) {
        BigDecimal normalized = Numbers.normalize(number);
        int digits = normalized.signum() == 0 ? 1 : normalized.precision();
        return (digits + 1) / 2 + 1;
    }

    public static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
