package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.expression.ConditionNode.Comparator;
import com.aicredits.emulation.dynamodb.expression.Operand.Literal;
import com.aicredits.emulation.dynamodb.expression.Operand.PathOperand;
import com.aicredits.emulation.dynamodb.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A KeyConditionExpression checked against the key schema queried, as DynamoDB checks it: only AND joins
 * conditions; each condition names one key attribute, top-level, once; the partition key is compared with {@code =};
 * the sort key with {@code = < <= > >=}, BETWEEN or begins_with; the values are of the key's type.
 */
final class KeyConditions {
    private KeyConditions() {
    }

    /** One key's condition: the operator as DynamoDB writes it and its values. */
    record Range(String operator, List<Value> values) implements Expressions.RangeCondition {
        public boolean test(Value sortKey) {
            Value first = values.getFirst();
            return switch (operator) {
                case "BETWEEN" -> {
                    int fromLow = Semantics.order(sortKey, first);
                    int toHigh = Semantics.order(sortKey, values.get(1));
                    yield fromLow != Integer.MIN_VALUE && fromLow >= 0 && toHigh != Integer.MIN_VALUE && toHigh <= 0;
                }
                case "begins_with" -> Semantics.beginsWith(sortKey, first);
                default -> comparator(operator).holds(sortKey, first);
            };
        }
    }

    static Expressions.KeyCondition check(ConditionNode condition, String partitionKey, String partitionKeyType,
            String sortKey, String sortKeyType) {
        Map<String, Range> conditions = new LinkedHashMap<>();
        collect(condition, conditions);
        if (sortKey == null && conditions.size() > 1) {
            throw notSupported();
        }
        Range hash = conditions.get(partitionKey);
        if (hash == null) {
            throw DynamoDbError.validation("Query condition missed key schema element: " + partitionKey);
        }
        checkType(hash, partitionKeyType);
        if (!hash.operator().equals("=")) {
            throw notSupported();
        }
        Range range = sortKey == null ? null : conditions.get(sortKey);
        if (sortKey != null && range == null && conditions.size() > 1) {
            throw DynamoDbError.validation("Query condition missed key schema element: " + sortKey);
        }
        if (range != null) {
            checkType(range, sortKeyType);
        }
        if (conditions.size() > (range == null ? 1 : 2)) {
            throw notSupported();
        }
        return new Expressions.KeyCondition(hash.values().getFirst(), Optional.ofNullable(range));
    }

    private static void collect(ConditionNode node, Map<String, Range> conditions) {
        switch (node) {
            case ConditionNode.And and -> {
                collect(and.left(), conditions);
                collect(and.right(), conditions);
            }
            case ConditionNode.Or ignored -> throw invalidOperator("OR");
            case ConditionNode.Not ignored -> throw invalidOperator("NOT");
            case ConditionNode.In ignored -> throw invalidOperator("IN");
            case ConditionNode.Exists exists -> throw invalidOperator(exists.exists() ? "attribute_exists" : "attribute_not_exists");
            case ConditionNode.AttributeType ignored -> throw invalidOperator("attribute_type");
            case ConditionNode.Contains ignored -> throw invalidOperator("contains");
            case ConditionNode.Compare compare -> {
                if (compare.comparator() == Comparator.NE) {
                    throw invalidOperator("<>");
                }
                add(conditions, compare.comparator(), compare.comparator().text, List.of(compare.left(), compare.right()));
            }
            case ConditionNode.Between between -> {
                if (!(between.operand() instanceof PathOperand)) {
                    throw firstOperand("BETWEEN");
                }
                add(conditions, null, "BETWEEN", List.of(between.operand(), between.low(), between.high()));
            }
            case ConditionNode.BeginsWith beginsWith -> {
                if (!(beginsWith.operand() instanceof PathOperand)) {
                    throw firstOperand("begins_with");
                }
                add(conditions, null, "begins_with", List.of(beginsWith.operand(), beginsWith.prefix()));
            }
        }
    }

    private static void add(Map<String, Range> conditions, Comparator comparator, String operator, List<Operand> operands) {
        String attribute = null;
        int at = -1;
        for (int i = 0; i < operands.size(); i++) {
            switch (operands.get(i)) {
                case PathOperand(Path path) -> {
                    if (attribute != null) {
                        throw invalidCondition("Multiple attribute names used in one condition");
                    }
                    if (!path.isTopLevel()) {
                        throw DynamoDbError.validation("KeyConditionExpressions cannot have conditions on nested attributes");
                    }
                    attribute = path.root();
                    at = i;
                }
                case Literal ignored -> {
                }
                default -> throw DynamoDbError.validation("KeyConditionExpressions cannot contain nested operations");
            }
        }
        if (attribute == null) {
            throw invalidCondition("No key attribute specified");
        }
        if (conditions.containsKey(attribute)) {
            throw DynamoDbError.validation("KeyConditionExpressions must only contain one condition per key");
        }
        String shown = comparator != null && at != 0 ? comparator.flipped().text : operator;
        List<Value> values = operands.stream()
                .filter(operand -> operand instanceof Literal)
                .map(operand -> ((Literal) operand).value())
                .toList();
        conditions.put(attribute, new Range(shown, values));
    }

    private static void checkType(Range range, String type) {
        if (type != null && range.values().stream().anyMatch(value -> !value.type().equals(type))) {
            throw DynamoDbError.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    private static Comparator comparator(String text) {
        for (Comparator comparator : Comparator.values()) {
            if (comparator.text.equals(text)) {
                return comparator;
            }
        }
        throw new IllegalArgumentException(text);
    }

    private static DynamoDbError notSupported() {
        return DynamoDbError.validation("Query key condition not supported");
    }

    private static DynamoDbError invalidOperator(String operator) {
        return DynamoDbError.validation("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static DynamoDbError firstOperand(String operator) {
        return invalidCondition(operator + " operator must have the key attribute as its first operand");
    }

    private static DynamoDbError invalidCondition(String detail) {
        return DynamoDbError.validation("Invalid condition in KeyConditionExpression: " + detail);
    }
}
