package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Bytes;
import com.aicredits.emulation.dynamodb.value.Numbers;
import com.aicredits.emulation.dynamodb.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A parsed UpdateExpression and how DynamoDB applies it (Developer Guide, "Update expressions"): every SET value is
 * computed from the item as it was; SET writes (a list index past the end appends), ADD adds a number or joins a set
 * (creating the attribute when missing), DELETE takes elements out of a set (the attribute goes when none is left),
 * REMOVE deletes attributes and list elements (indexes meaning the list as it was, later elements moving up). A path
 * whose parent is missing or is not a map (a list for an index) is "invalid for update".
 */
final class Updates implements Expressions.Update {
    /** One action of one clause. */
    sealed interface Action {
        Path path();
    }

    record Set(Path path, Operand value) implements Action {
    }

    record Remove(Path path) implements Action {
    }

    record Add(Path path, Value value) implements Action {
    }

    record Delete(Path path, Value value) implements Action {
    }

    /**
     * Later list indexes first, so that removing one does not move the others (DynamoDB's indexes are those of the
     * list as it was). A total order: names by name, indexes from the highest, a shorter path first.
     */
    private static final Comparator<Remove> REMOVAL_ORDER = (a, b) -> {
        List<Path.Step> x = a.path().steps();
        List<Path.Step> y = b.path().steps();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int order = switch (x.get(i)) {
                case Path.Field(String first) -> y.get(i) instanceof Path.Field(String second) ? first.compareTo(second) : -1;
                case Path.Index(int first) -> y.get(i) instanceof Path.Index(int second) ? Integer.compare(second, first) : 1;
            };
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(x.size(), y.size());
    };

    private final List<Action> actions;
    private final List<Set> sets = new ArrayList<>();
    private final List<Action> addsAndDeletes = new ArrayList<>();
    private final List<Remove> removes = new ArrayList<>();

    Updates(List<Action> actions) {
        this.actions = List.copyOf(actions);
        for (Action action : actions) {
            switch (action) {
                case Set set -> sets.add(set);
                case Remove remove -> removes.add(remove);
                default -> addsAndDeletes.add(action);
            }
        }
        removes.sort(REMOVAL_ORDER);
    }

    List<Action> actions() {
        return actions;
    }

    @Override
    public Map<String, Value> apply(Map<String, Value> item) {
        Value[] values = new Value[sets.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = required(sets.get(i).value(), item);
        }
        Map<String, Value> result = new LinkedHashMap<>(item);
        for (int i = 0; i < values.length; i++) {
            Value value = values[i];
            write(result, sets.get(i).path(), existing -> value);
        }
        for (Action action : addsAndDeletes) {
            switch (action) {
                case Add add -> write(result, add.path(), existing -> added(existing, add.value()));
                case Delete delete -> write(result, delete.path(), existing -> deleted(existing, delete.value()));
                default -> throw new IllegalStateException();
            }
        }
        for (Remove remove : removes) {
            write(result, remove.path(), existing -> null);
        }
        return result;
    }

    @Override
    public void rejectKeyUpdates(java.util.Set<String> keyAttributes) {
        for (String key : keyAttributes) {
            for (Action action : actions) {
                if (action.path().root().equals(key)) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Cannot update attribute "
                            + key + ". This attribute is part of the key");
                }
            }
        }
    }

    @Override
    public Expressions.Projection updatedPaths() {
        return new ProjectionTree(actions.stream().map(Action::path).toList());
    }

    // ---- the actions ----

    private static Value added(Value existing, Value value) {
        if (existing == null) {
            return value;
        }
        return switch (existing) {
            case Value.N n when value instanceof Value.N delta -> new Value.N(Numbers.check(n.value().add(delta.value())));
            case Value.SS set when value instanceof Value.SS more -> new Value.SS(union(set.values(), more.values()));
            case Value.BS set when value instanceof Value.BS more -> new Value.BS(union(set.values(), more.values()));
            case Value.NS set when value instanceof Value.NS more -> {
                List<BigDecimal> joined = new ArrayList<>(set.values());
                joined.addAll(more.values());
                yield new Value.NS(joined);
            }
            default -> throw incorrectDataType();
        };
    }

    private static Value deleted(Value existing, Value value) {
        if (existing == null) {
            return null;
        }
        Value left = switch (existing) {
            case Value.SS set when value instanceof Value.SS less -> {
                List<String> kept = minus(set.values(), less.values());
                yield kept.isEmpty() ? null : new Value.SS(kept);
            }
            case Value.BS set when value instanceof Value.BS less -> {
                List<Bytes> kept = minus(set.values(), less.values());
                yield kept.isEmpty() ? null : new Value.BS(kept);
            }
            case Value.NS set when value instanceof Value.NS less -> {
                List<BigDecimal> kept = new ArrayList<>();
                for (BigDecimal number : set.values()) {
                    if (less.values().stream().noneMatch(n -> n.compareTo(number) == 0)) {
                        kept.add(number);
                    }
                }
                yield kept.isEmpty() ? null : new Value.NS(kept);
            }
            default -> throw incorrectDataType();
        };
        return left;
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        LinkedHashSet<T> joined = new LinkedHashSet<>(a);
        joined.addAll(b);
        return new ArrayList<>(joined);
    }

    private static <T> List<T> minus(List<T> a, List<T> b) {
        java.util.Set<T> less = new java.util.HashSet<>(b);
        List<T> kept = new ArrayList<>(a.size());
        for (T element : a) {
            if (!less.contains(element)) {
                kept.add(element);
            }
        }
        return kept;
    }

    /**
     * Replaces the value at {@code path} by {@code change(existing)} (null removes it), copying the maps and lists on
     * the way down; the item's own values are never changed.
     */
    private static void write(Map<String, Value> item, Path path, UnaryOperator<Value> change) {
        String root = path.root();
        Value existing = item.get(root);
        if (path.isTopLevel()) {
            Value changed = change.apply(existing);
            if (changed == null) {
                item.remove(root);
            } else {
                item.put(root, changed);
            }
            return;
        }
        if (existing == null) {
            throw invalidPath();
        }
        item.put(root, rewrite(existing, path.steps(), 1, change));
    }

    /** The child at step {@code i} changed: by {@code change} at the path's end, else rewritten further down. */
    private static Value rewriteChild(Value child, boolean last, List<Path.Step> steps, int i, UnaryOperator<Value> change) {
        if (last) {
            return change.apply(child);
        }
        if (child == null) {
            throw invalidPath();
        }
        return rewrite(child, steps, i + 1, change);
    }

    private static Value rewrite(Value container, List<Path.Step> steps, int i, UnaryOperator<Value> change) {
        boolean last = i == steps.size() - 1;
        switch (steps.get(i)) {
            case Path.Field field -> {
                if (!(container instanceof Value.M map)) {
                    throw invalidPath();
                }
                Value child = map.values().get(field.name());
                Map<String, Value> copy = new LinkedHashMap<>(map.values());
                Value changed = rewriteChild(child, last, steps, i, change);
                if (changed == null) {
                    copy.remove(field.name());
                } else {
                    copy.put(field.name(), changed);
                }
                return new Value.M(copy);
            }
            case Path.Index index -> {
                if (!(container instanceof Value.L list)) {
                    throw invalidPath();
                }
                int at = index.index();
                boolean inside = at < list.values().size();
                Value child = inside ? list.values().get(at) : null;
                Value changed = rewriteChild(child, last, steps, i, change);
                if (changed == null && !inside) {
                    return container;
                }
                List<Value> copy = new ArrayList<>(list.values());
                if (changed == null) {
                    copy.remove(at);
                } else if (inside) {
                    copy.set(at, changed);
                } else {
                    copy.add(changed);
                }
                return new Value.L(copy);
            }
        }
    }

    // ---- errors met while applying ----

    /** The operand's value; an update that reads a missing attribute fails, as in DynamoDB. */
    static Value required(Operand operand, Map<String, Value> item) {
        Value value = operand.eval(item);
        if (value == null) {
            throw DynamoDbError.validation("The provided expression refers to an attribute that does not exist in the item");
        }
        return value;
    }

    static DynamoDbError incorrectDataType() {
        return DynamoDbError.validation("An operand in the update expression has an incorrect data type");
    }

    static DynamoDbError invalidPath() {
        return DynamoDbError.validation("The document path provided in the update expression is invalid for update");
    }
}
