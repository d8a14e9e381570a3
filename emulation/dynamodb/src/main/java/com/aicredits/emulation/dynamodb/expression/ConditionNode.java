package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.List;
import java.util.Map;

/**
 * A parsed condition (ConditionExpression, FilterExpression, or a KeyConditionExpression before it is checked against
 * the key schema). Evaluation follows DynamoDB: a comparison with a missing attribute is false, except {@code <>},
 * which is true; values of different types are unequal and unordered.
 */
sealed interface ConditionNode extends Expressions.Condition {
    record And(ConditionNode left, ConditionNode right) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(ConditionNode left, ConditionNode right) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(ConditionNode operand) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return !operand.test(item);
        }
    }

    /** The comparators, with the text DynamoDB shows for them. */
    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String text;

        Comparator(String text) {
            this.text = text;
        }

        /** The comparator seen from the other side: {@code :v < a} is {@code a > :v}. */
        Comparator flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }

        boolean holds(Value a, Value b) {
            if (this == EQ || this == NE) {
                boolean equal = a != null && b != null && Semantics.equal(a, b);
                return this == EQ ? equal : !equal;
            }
            int order = Semantics.order(a, b);
            if (order == Integer.MIN_VALUE) {
                return false;
            }
            return switch (this) {
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                default -> order >= 0;
            };
        }
    }

    record Compare(Comparator comparator, Operand left, Operand right) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return comparator.holds(left.eval(item), right.eval(item));
        }
    }

    record Between(Operand operand, Operand low, Operand high) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            Value value = operand.eval(item);
            int fromLow = Semantics.order(value, low.eval(item));
            if (fromLow == Integer.MIN_VALUE || fromLow < 0) {
                return false;
            }
            int toHigh = Semantics.order(value, high.eval(item));
            return toHigh != Integer.MIN_VALUE && toHigh <= 0;
        }
    }

    record In(Operand operand, List<Operand> candidates) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            Value value = operand.eval(item);
            if (value == null) {
                return false;
            }
            for (Operand candidate : candidates) {
                Value other = candidate.eval(item);
                if (other != null && Semantics.equal(value, other)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code attribute_exists(path)} ({@code exists} true) and {@code attribute_not_exists(path)}. */
    record Exists(Operand operand, boolean exists) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return (operand.eval(item) != null) == exists;
        }
    }

    record AttributeType(Operand operand, String type) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            Value value = operand.eval(item);
            return value != null && value.type().equals(type);
        }
    }

    record BeginsWith(Operand operand, Operand prefix) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return Semantics.beginsWith(operand.eval(item), prefix.eval(item));
        }
    }

    record Contains(Operand operand, Operand part) implements ConditionNode {
        public boolean test(Map<String, Value> item) {
            return Semantics.contains(operand.eval(item), part.eval(item));
        }
    }
}
