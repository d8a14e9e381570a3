package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * How DynamoDB's expressions compare and measure values (Developer Guide, "Condition and filter expressions,
 * operators, and functions"): values of different types are never equal nor ordered; strings order by their UTF-8
 * bytes, numbers numerically, binary bytewise; sets are equal whatever their order; lists and maps element by element.
 */
final class Semantics {
    private Semantics() {
    }

    /** DynamoDB's equality: same type and same value (numbers by value, sets as sets). */
    static boolean equal(Value a, Value b) {
        return switch (a) {
            case Value.N n when b instanceof Value.N other -> n.value().compareTo(other.value()) == 0;
            case Value.SS set when b instanceof Value.SS other -> sameSet(set.values(), other.values());
            case Value.NS set when b instanceof Value.NS other -> sameSet(set.values(), other.values());
            case Value.BS set when b instanceof Value.BS other -> sameSet(set.values(), other.values());
            case Value.L list when b instanceof Value.L other -> sameList(list.values(), other.values());
            case Value.M map when b instanceof Value.M other -> sameMap(map.values(), other.values());
            default -> a.equals(b);
        };
    }

    /**
     * The order of two values for {@code < <= > >=} and BETWEEN: a negative number, zero or a positive number, or
     * {@link Integer#MIN_VALUE} when they are not comparable (different types, or a type without an order).
     */
    static int order(Value a, Value b) {
        if (a == null || b == null) {
            return Integer.MIN_VALUE;
        }
        return switch (a) {
            case Value.S s when b instanceof Value.S other -> Values.compareUtf8(s.value(), other.value());
            case Value.N n when b instanceof Value.N other -> n.value().compareTo(other.value());
            case Value.B bytes when b instanceof Value.B other -> bytes.value().compareTo(other.value());
            default -> Integer.MIN_VALUE;
        };
    }

    /** {@code begins_with}: a string prefix of a string, or a binary prefix of a binary. */
    static boolean beginsWith(Value value, Value prefix) {
        return switch (value) {
            case Value.S s when prefix instanceof Value.S p -> s.value().startsWith(p.value());
            case Value.B b when prefix instanceof Value.B p -> b.value().startsWith(p.value());
            case null, default -> false;
        };
    }

    /**
     * {@code contains}: a substring of a string, a part of a binary, a member of a set of the operand's type, an
     * element of a list.
     */
    static boolean contains(Value value, Value operand) {
        if (value == null || operand == null) {
            return false;
        }
        return switch (value) {
            case Value.S s -> operand instanceof Value.S part && s.value().contains(part.value());
            case Value.B b -> operand instanceof Value.B part && b.value().contains(part.value());
            case Value.SS set -> operand instanceof Value.S member && set.values().contains(member.value());
            case Value.BS set -> operand instanceof Value.B member && set.values().contains(member.value());
            case Value.NS set -> operand instanceof Value.N member
                    && set.values().stream().anyMatch(n -> n.compareTo(member.value()) == 0);
            case Value.L list -> {
                for (Value element : list.values()) {
                    if (equal(element, operand)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    /**
     * {@code size}: a string's length in UTF-8 bytes (DynamoDB measures strings in UTF-8 bytes throughout), a binary's
     * length, the number of elements of a set, list or map; -1 for a number, a boolean or a null, which have none.
     */
    static long size(Value value) {
        return switch (value) {
            case Value.S s -> Values.utf8Length(s.value());
            case Value.B b -> b.value().length();
            case Value.SS set -> set.values().size();
            case Value.NS set -> set.values().size();
            case Value.BS set -> set.values().size();
            case Value.L list -> list.values().size();
            case Value.M map -> map.values().size();
            default -> -1;
        };
    }

    /** The type's name as DynamoDB writes it in an ADD or DELETE operand error: STRING, NUMBER, MAP… */
    static String longTypeName(Value value) {
        return switch (value) {
            case Value.S ignored -> "STRING";
            case Value.N ignored -> "NUMBER";
            case Value.B ignored -> "BINARY";
            case Value.Bool ignored -> "BOOLEAN";
            case Value.Null ignored -> "NULL";
            case Value.L ignored -> "LIST";
            case Value.M ignored -> "MAP";
            case Value.SS ignored -> "SS";
            case Value.NS ignored -> "NS";
            case Value.BS ignored -> "BS";
        };
    }

    static boolean isSet(Value value) {
        return value instanceof Value.SS || value instanceof Value.NS || value instanceof Value.BS;
    }

    /** As DynamoDB writes a value in a BETWEEN error: {@code {N:5}}. */
    static String shown(Value value) {
        return "{" + value.type() + ":" + switch (value) {
            case Value.S s -> s.value();
            case Value.N n -> n.text();
            case Value.B b -> b.value().base64();
            default -> Values.toJson(value).get(value.type()).toString();
        } + "}";
    }

    private static <T> boolean sameSet(List<T> a, List<T> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }

    private static boolean sameList(List<Value> a, List<Value> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!equal(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameMap(Map<String, Value> a, Map<String, Value> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, Value> entry : a.entrySet()) {
            Value other = b.get(entry.getKey());
            if (other == null || !equal(entry.getValue(), other)) {
                return false;
            }
        }
        return true;
    }
}
