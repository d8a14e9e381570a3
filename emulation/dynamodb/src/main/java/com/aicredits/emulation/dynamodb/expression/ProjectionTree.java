package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ProjectionExpression compiled into a tree of the paths it names, so that projecting an item walks the item once.
 * What is named is kept; a map or a list is kept as far as something named in it exists (a list keeps its named
 * elements in their order, closing the gaps); a path that does not resolve adds nothing.
 */
final class ProjectionTree implements Expressions.Projection {
    /** A node: the whole value (a leaf), or the named keys of a map, or the named indexes of a list. */
    private static final class Node {
        boolean leaf;
        Map<String, Node> fields;
        TreeMap<Integer, Node> indexes;
    }

    private final Node root = new Node();

    ProjectionTree(List<Path> paths) {
        root.fields = new LinkedHashMap<>();
        for (Path path : paths) {
            Node node = root;
            for (Path.Step step : path.steps()) {
                if (node.leaf) {
                    break;
                }
                node = switch (step) {
                    case Path.Field field -> {
                        if (node.fields == null) {
                            node.fields = new LinkedHashMap<>();
                        }
                        yield node.fields.computeIfAbsent(field.name(), name -> new Node());
                    }
                    case Path.Index index -> {
                        if (node.indexes == null) {
                            node.indexes = new TreeMap<>();
                        }
                        yield node.indexes.computeIfAbsent(index.index(), at -> new Node());
                    }
                };
            }
            node.leaf = true;
            node.fields = null;
            node.indexes = null;
        }
    }

    @Override
    public Map<String, Value> apply(Map<String, Value> item) {
        Map<String, Value> projected = new LinkedHashMap<>();
        for (Map.Entry<String, Node> named : root.fields.entrySet()) {
            Value value = item.get(named.getKey());
            Value kept = value == null ? null : project(value, named.getValue());
            if (kept != null) {
                projected.put(named.getKey(), kept);
            }
        }
        return projected;
    }

    /** The part of {@code value} that {@code node} names, or null when none of it exists. */
    private static Value project(Value value, Node node) {
        if (node.leaf) {
            return value;
        }
        if (node.fields != null && value instanceof Value.M map) {
            Map<String, Value> kept = new LinkedHashMap<>();
            for (Map.Entry<String, Node> named : node.fields.entrySet()) {
                Value child = map.values().get(named.getKey());
                Value projected = child == null ? null : project(child, named.getValue());
                if (projected != null) {
                    kept.put(named.getKey(), projected);
                }
            }
            return kept.isEmpty() ? null : new Value.M(kept);
        }
        if (node.indexes != null && value instanceof Value.L list) {
            List<Value> kept = new ArrayList<>();
            for (Map.Entry<Integer, Node> named : node.indexes.entrySet()) {
                if (named.getKey() < list.values().size()) {
                    Value projected = project(list.values().get(named.getKey()), named.getValue());
                    if (projected != null) {
                        kept.add(projected);
                    }
                }
            }
            return kept.isEmpty() ? null : new Value.L(kept);
        }
        return null;
    }
}
