package com.aicredits.emulation.dynamodb.expression;

import static com.aicredits.emulation.dynamodb.expression.Fixtures.b;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.n;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.names;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.s;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.validationError;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KeyConditionExpression (API Reference, Query: "KeyConditionExpression"), checked against a key schema, with the
 * errors moto's aws_verified cases and dynalite's tests recorded from DynamoDB.
 */
class KeyConditionExpressionTest {
    private static Expressions.KeyCondition parse(String expression, Object... placeholderValues) {
        return Expressions.keyCondition(expression, values(placeholderValues), "pk", "sk");
    }

    @Test
    @DisplayName("partition key equality alone: no sort key condition")
    void partitionOnly() {
        Expressions.KeyCondition condition = parse("pk = :p", ":p", s("user#1"));
        assertThat(condition.partitionKey()).isEqualTo(s("user#1"));
        assertThat(condition.sortKey()).isEmpty();
    }

    @Test
    @DisplayName("partition key with the value on the left: :p = pk")
    void valueOnLeft() {
        assertThat(parse(":p = pk", ":p", s("x")).partitionKey()).isEqualTo(s("x"));
    }

    @ParameterizedTest(name = "sk {0} :v with sk = {1}, :v = 5: {2}")
    @DisplayName("sort key comparators = < <= > >=")
    @CsvSource({"=, 5, true", "=, 6, false", "<, 4, true", "<, 5, false", "<=, 5, true", ">, 6, true", ">, 5, false",
            ">=, 5, true", ">=, 4, false"})
    void sortComparators(String operator, String key, boolean expected) {
        Expressions.KeyCondition condition = parse("pk = :p AND sk " + operator + " :v", ":p", s("x"), ":v", n("5"));
        Expressions.RangeCondition range = condition.sortKey().orElseThrow();
        assertThat(range.operator()).isEqualTo(operator);
        assertThat(range.values()).containsExactly(n("5"));
        assertThat(range.test(n(key))).isEqualTo(expected);
    }

    @ParameterizedTest(name = ":v {0} sk means sk {1} :v")
    @DisplayName("a sort key condition written value first is read from the key's side")
    @CsvSource({"<, >", "<=, >=", ">, <", ">=, <=", "=, ="})
    void flipped(String written, String meant) {
        Expressions.RangeCondition range = parse("pk = :p AND :v " + written + " sk", ":p", s("x"), ":v", n("5"))
                .sortKey().orElseThrow();
        assertThat(range.operator()).isEqualTo(meant);
    }

    @Test
    @DisplayName("sort key BETWEEN, bounds included")
    void between() {
        Expressions.RangeCondition range = parse("pk = :p AND sk BETWEEN :lo AND :hi", ":p", s("x"), ":lo", s("b"),
                ":hi", s("d")).sortKey().orElseThrow();
        assertThat(range.operator()).isEqualTo("BETWEEN");
        assertThat(range.values()).containsExactly(s("b"), s("d"));
        assertThat(List.of("a", "b", "c", "d", "e").stream().map(key -> range.test(s(key))))
                .containsExactly(false, true, true, true, false);
    }

    @Test
    @DisplayName("sort key begins_with on strings and binary")
    void beginsWith() {
        Expressions.RangeCondition range = parse("pk = :p AND begins_with(sk, :prefix)", ":p", s("x"), ":prefix",
                s("order#")).sortKey().orElseThrow();
        assertThat(range.operator()).isEqualTo("begins_with");
        assertThat(range.test(s("order#2024"))).isTrue();
        assertThat(range.test(s("invoice#1"))).isFalse();
        assertThat(parse("pk = :p AND begins_with(sk, :b)", ":p", s("x"), ":b", b("ab")).sortKey().orElseThrow()
                .test(b("abc"))).isTrue();
    }

    @Test
    @DisplayName("sort keys compare as DynamoDB orders them: strings by UTF-8 bytes, numbers by value")
    void order() {
        Expressions.RangeCondition strings = parse("pk = :p AND sk > :v", ":p", s("x"), ":v", s("\uFFFF"))
                .sortKey().orElseThrow();
        assertThat(strings.test(s("\uD83D\uDE00"))).isTrue();
        Expressions.RangeCondition numbers = parse("pk = :p AND sk < :v", ":p", s("x"), ":v", n("10")).sortKey().orElseThrow();
        assertThat(numbers.test(n("9"))).isTrue();
    }

    @Test
    @DisplayName("the sort key condition may come first, names may be placeholders, keywords any case")
    void anyOrder() {
        Expressions.KeyCondition condition = Expressions.keyCondition("#s >= :v and #p = :p",
                new Placeholders(names("#p", "pk", "#s", "sk"), Fixtures.item(":p", s("x"), ":v", n("1"))), "pk", "sk");
        assertThat(condition.partitionKey()).isEqualTo(s("x"));
        assertThat(condition.sortKey().orElseThrow().operator()).isEqualTo(">=");
    }

    @Test
    @DisplayName("parentheses around conditions are allowed")
    void parentheses() {
        assertThat(parse("(pk = :p) AND (sk = :v)", ":p", s("x"), ":v", n("1")).sortKey()).isPresent();
    }

    @Test
    @DisplayName("'Query condition missed key schema element' when the partition key has no condition")
    void missedPartitionKey() {
        validationError(() -> parse("sk = :v", ":v", n("1")))
                .isEqualTo("Query condition missed key schema element: pk");
    }

    @Test
    @DisplayName("'Query condition missed key schema element' naming the sort key when a non-key attribute is used")
    void missedSortKey() {
        validationError(() -> parse("pk = :p AND extra = :v", ":p", s("x"), ":v", n("1")))
                .isEqualTo("Query condition missed key schema element: sk");
    }

    @Test
    @DisplayName("'Query key condition not supported' for a second condition on a table without a sort key")
    void noSortKey() {
        validationError(() -> Expressions.keyCondition("pk = :p AND sk = :v", values(":p", s("x"), ":v", n("1")), "pk", null))
                .isEqualTo("Query key condition not supported");
    }

    @ParameterizedTest(name = "pk {0} :p")
    @DisplayName("'Query key condition not supported' for the partition key compared otherwise than with =")
    @ValueSource(strings = {"<", "<=", ">", ">="})
    void partitionKeyNotEquality(String operator) {
        validationError(() -> Expressions.keyCondition("pk " + operator + " :p", values(":p", s("x")), "pk", null))
                .isEqualTo("Query key condition not supported");
    }

    @Test
    @DisplayName("'Query key condition not supported' for begins_with on the partition key")
    void partitionKeyBeginsWith() {
        validationError(() -> Expressions.keyCondition("begins_with(pk, :p)", values(":p", s("x")), "pk", null))
                .isEqualTo("Query key condition not supported");
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("only AND joins key conditions, and only these operators: 'Invalid operator used in KeyConditionExpression'")
    @CsvSource(delimiter = '|', value = {"pk = :p OR sk = :v|OR", "NOT pk = :p|NOT", "pk IN (:p)|IN", "pk <> :p|<>",
            "pk = :p AND attribute_exists(sk)|attribute_exists", "pk = :p AND attribute_not_exists(sk)|attribute_not_exists",
            "pk = :p AND contains(sk, :v)|contains", "pk = :p AND attribute_type(sk, :t)|attribute_type"})
    void invalidOperators(String expression, String operator) {
        validationError(() -> parse(expression, ":p", s("x"), ":v", n("1"), ":t", s("N")))
                .isEqualTo("Invalid operator used in KeyConditionExpression: " + operator);
    }

    @Test
    @DisplayName("'KeyConditionExpressions must only contain one condition per key'")
    void oneConditionPerKey() {
        validationError(() -> parse("pk = :p AND sk > :v AND sk < :v", ":p", s("x"), ":v", n("1")))
                .isEqualTo("KeyConditionExpressions must only contain one condition per key");
    }

    @Test
    @DisplayName("'Multiple attribute names used in one condition' (moto aws case: #part_key=some_value)")
    void multipleAttributes() {
        validationError(() -> Expressions.keyCondition("#part_key=some_value",
                new Placeholders(names("#part_key", "pk"), null), "pk", "sk"))
                .isEqualTo("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    }

    @Test
    @DisplayName("'KeyConditionExpressions cannot have conditions on nested attributes'")
    void nested() {
        validationError(() -> parse("pk.a = :p", ":p", s("x")))
                .isEqualTo("KeyConditionExpressions cannot have conditions on nested attributes");
    }

    @Test
    @DisplayName("'KeyConditionExpressions cannot contain nested operations' for size")
    void sizeInKey() {
        validationError(() -> parse("pk = :p AND size(sk) > :v", ":p", s("x"), ":v", n("1")))
                .isEqualTo("KeyConditionExpressions cannot contain nested operations");
    }

    @Test
    @DisplayName("'No key attribute specified' for a condition of values only")
    void noAttribute() {
        validationError(() -> parse(":p = :v AND pk = :p", ":p", s("x"), ":v", s("x")))
                .isEqualTo("Invalid condition in KeyConditionExpression: No key attribute specified");
    }

    @Test
    @DisplayName("BETWEEN and begins_with need the key attribute as their first operand")
    void firstOperand() {
        validationError(() -> parse("pk = :p AND :v BETWEEN sk AND :v", ":p", s("x"), ":v", n("1")))
                .isEqualTo("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand");
        validationError(() -> parse("pk = :p AND begins_with(:v, sk)", ":p", s("x"), ":v", s("1")))
                .isEqualTo("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand");
    }

    @Test
    @DisplayName("begins_with on a number is refused")
    void beginsWithNumber() {
        validationError(() -> parse("pk = :p AND begins_with(sk, :v)", ":p", s("x"), ":v", n("1")))
                .isEqualTo("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or "
                        + "function: begins_with, operand type: N");
    }

    @Test
    @DisplayName("function names are case-sensitive (moto aws case: BegIns_WiTh)")
    void functionCase() {
        validationError(() -> parse("pk = :p AND BegIns_WiTh(sk, :v)", ":p", s("x"), ":v", s("1")))
                .isEqualTo("Invalid KeyConditionExpression: Invalid function name; function: BegIns_WiTh");
    }

    @Test
    @DisplayName("a value of another type than the key's: 'Condition parameter type does not match schema type'")
    void typeMismatch() {
        validationError(() -> Expressions.keyCondition("pk = :p", values(":p", n("1")), "pk", "S", "sk", "N"))
                .isEqualTo("One or more parameter values were invalid: Condition parameter type does not match schema type");
        validationError(() -> Expressions.keyCondition("pk = :p AND sk > :v", values(":p", s("x"), ":v", s("1")), "pk",
                "S", "sk", "N"))
                .isEqualTo("One or more parameter values were invalid: Condition parameter type does not match schema type");
    }

    @Test
    @DisplayName("syntax errors name KeyConditionExpression: begins_with without parentheses")
    void syntax() {
        validationError(() -> parse("pk=:pk AND begins_with sk, :sk ", ":pk", s("x"), ":sk", s("y")))
                .isEqualTo("Invalid KeyConditionExpression: Syntax error; token: \"sk\", near: \"begins_with sk,\"");
    }

    @Test
    @DisplayName("reserved words are refused in key conditions too")
    void reserved() {
        validationError(() -> Expressions.keyCondition("key = :p", values(":p", s("x")), "key", null))
                .isEqualTo("Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: key");
    }

    @Test
    @DisplayName("an empty key condition is refused")
    void empty() {
        validationError(() -> parse(""))
                .isEqualTo("Invalid KeyConditionExpression: The expression can not be empty;");
    }

    @Test
    @DisplayName("a range test on a key of another type is false")
    void otherTypeKey() {
        Value key = s("5");
        assertThat(parse("pk = :p AND sk = :v", ":p", s("x"), ":v", n("5")).sortKey().orElseThrow().test(key)).isFalse();
    }
}
