package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A document path: a top-level attribute name, then map keys ({@code .name}) and list indexes ({@code [n]}), names
 * already resolved from their placeholders (so {@code #a} standing for {@code "x.y"} is one attribute named {@code x.y}).
 */
record Path(List<Step> steps) {
    /** One step of a path. */
    sealed interface Step permits Field, Index {
    }

    /** A map key, or the attribute's name for the first step. */
    record Field(String name) implements Step {
    }

    /** A list index. */
    record Index(int index) implements Step {
    }

    Path {
        steps = List.copyOf(steps);
    }

    /** The attribute this path starts at. */
    String root() {
        return ((Field) steps.getFirst()).name();
    }

    boolean isTopLevel() {
        return steps.size() == 1;
    }

    /** The value at this path in the item, or null when any step is missing or of the wrong type. */
    Value resolve(Map<String, Value> item) {
        Value current = item.get(root());
        for (int i = 1; i < steps.size() && current != null; i++) {
            current = step(current, steps.get(i));
        }
        return current;
    }

    /** The value one step below {@code value}, or null. */
    static Value step(Value value, Step step) {
        return switch (step) {
            case Field field -> value instanceof Value.M map ? map.values().get(field.name()) : null;
            case Index index -> value instanceof Value.L list && index.index() < list.values().size()
                    ? list.values().get(index.index()) : null;
        };
    }

    /** As DynamoDB writes a path in its messages: {@code [a, b, [2]]}. */
    @Override
    public String toString() {
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        for (Step step : steps) {
            joined.add(switch (step) {
                case Field field -> field.name();
                case Index index -> "[" + index.index() + "]";
            });
        }
        return joined.toString();
    }
}
