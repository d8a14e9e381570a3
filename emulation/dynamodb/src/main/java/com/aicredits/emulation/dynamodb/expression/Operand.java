package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.value.Numbers;
import com.aicredits.emulation.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An operand of a condition or of an update's SET: a document path, a value placeholder's value, or a function of
 * operands. {@link #eval} gives null for what is missing (a path not in the item, {@code size} of a number).
 */
sealed interface Operand {
    Value eval(Map<String, Value> item);

    /** The operand's type when the parser knows it (a value, {@code size}), else null. */
    default String staticType() {
        return null;
    }

    record PathOperand(Path path) implements Operand {
        public Value eval(Map<String, Value> item) {
            return path.resolve(item);
        }
    }

    record Literal(Value value) implements Operand {
        public Value eval(Map<String, Value> item) {
            return value;
        }

        @Override
        public String staticType() {
            return value.type();
        }
    }

    /** {@code size(path)} in a condition: a number, or null when the attribute is missing or has no size. */
    record Size(Operand argument) implements Operand {
        public Value eval(Map<String, Value> item) {
            Value value = argument.eval(item);
            long size = value == null ? -1 : Semantics.size(value);
            return size < 0 ? null : Value.n(size);
        }

        @Override
        public String staticType() {
            return "N";
        }
    }

    /** A function call as parsed, before it is known to be a condition or an operand; never evaluated. */
    record Call(String name, List<Operand> arguments) implements Operand {
        public Value eval(Map<String, Value> item) {
            throw new IllegalStateException("a parsed call is never evaluated: " + name);
        }
    }

    /** {@code if_not_exists(path, operand)} in an update's SET. */
    record IfNotExists(Path path, Operand fallback) implements Operand {
        public Value eval(Map<String, Value> item) {
            Value value = path.resolve(item);
            return value != null ? value : Updates.required(fallback, item);
        }
    }

    /** {@code list_append(list1, list2)} in an update's SET. */
    record ListAppend(Operand first, Operand second) implements Operand {
        public Value eval(Map<String, Value> item) {
            Value a = Updates.required(first, item);
            Value b = Updates.required(second, item);
            if (!(a instanceof Value.L l1) || !(b instanceof Value.L l2)) {
                throw Updates.incorrectDataType();
            }
            List<Value> joined = new ArrayList<>(l1.values().size() + l2.values().size());
            joined.addAll(l1.values());
            joined.addAll(l2.values());
            return new Value.L(joined);
        }
    }

    /** {@code a + b} or {@code a - b} in an update's SET: numbers only, the result within DynamoDB's 38 digits. */
    record Arithmetic(boolean plus, Operand left, Operand right) implements Operand {
        public Value eval(Map<String, Value> item) {
            Value a = Updates.required(left, item);
            Value b = Updates.required(right, item);
            if (!(a instanceof Value.N n1) || !(b instanceof Value.N n2)) {
                throw Updates.incorrectDataType();
            }
            BigDecimal result = plus ? n1.value().add(n2.value()) : n1.value().subtract(n2.value());
            return new Value.N(Numbers.check(result));
        }
    }
}
