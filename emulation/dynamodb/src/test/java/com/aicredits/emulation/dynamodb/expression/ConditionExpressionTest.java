package com.aicredits.emulation.dynamodb.expression;

import static com.aicredits.emulation.dynamodb.expression.Fixtures.b;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.bool;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.bs;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.item;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.l;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.m;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.n;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.names;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.ns;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.nul;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.s;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.ss;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.validationError;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ConditionExpression and FilterExpression, from the Developer Guide's "Condition and filter expressions, operators,
 * and functions" and the cases moto and dynalite verified against DynamoDB.
 */
class ConditionExpressionTest {
    private static boolean holds(String expression, Map<String, Value> item, Object... placeholderValues) {
        return Expressions.condition(expression, values(placeholderValues)).test(item);
    }

    @Nested
    @DisplayName("Comparators compare values of one type: S by UTF-8 bytes, N by value, B bytewise")
    class Comparators {
        @ParameterizedTest(name = "{0} with a = {1} and :v = {2}: {3}")
        @DisplayName("strings by their UTF-8 bytes")
        @CsvSource({
                "a = :v, abc, abc, true", "a = :v, abc, abd, false", "a <> :v, abc, abd, true", "a <> :v, abc, abc, false",
                "a < :v, abc, abd, true", "a < :v, abd, abc, false", "a <= :v, abc, abc, true", "a > :v, b, abc, true",
                "a >= :v, abc, abc, true", "a >= :v, ab, abc, false", "a < :v, Z, a, true", "a < :v, '', a, true"})
        void strings(String expression, String a, String v, boolean expected) {
            assertThat(holds(expression, item("a", s(a)), ":v", s(v))).isEqualTo(expected);
        }

        @Test
        @DisplayName("strings order by code point (UTF-8), not by UTF-16 unit: U+1F600 sorts after U+FFFF")
        void utf8OrderNotUtf16() {
            assertThat(holds("a > :v", item("a", s("\uD83D\uDE00")), ":v", s("\uFFFF"))).isTrue();
        }

        @ParameterizedTest(name = "{0} with a = {1} and :v = {2}: {3}")
        @DisplayName("numbers by value, exactly")
        @CsvSource({
                "a = :v, 1.50, 1.5, true", "a = :v, 100, 1E2, true", "a > :v, 10, 9, true", "a < :v, -1, 0, true",
                "a < :v, 0.1, 0.10000000000000000000000000000000000001, true", "a <> :v, 1, 1.0, false",
                "a >= :v, 12345678901234567890123456789012345678, 12345678901234567890123456789012345677, true"})
        void numbers(String expression, String a, String v, boolean expected) {
            assertThat(holds(expression, item("a", n(a)), ":v", n(v))).isEqualTo(expected);
        }

        @Test
        @DisplayName("binary bytewise, unsigned: 0xFF sorts after 0x01")
        void binaryUnsigned() {
            Value high = new Value.B(com.aicredits.emulation.dynamodb.value.Bytes.of(new byte[] {(byte) 0xFF}));
            Value low = new Value.B(com.aicredits.emulation.dynamodb.value.Bytes.of(new byte[] {1}));
            assertThat(holds("a > :v", item("a", high), ":v", low)).isTrue();
            assertThat(holds("a = :v", item("a", b("xy")), ":v", b("xy"))).isTrue();
        }

        @ParameterizedTest(name = "{0}: {1}")
        @DisplayName("values of different types are neither equal nor ordered (S \"1\" against N 1)")
        @CsvSource({"a = :v, false", "a <> :v, true", "a < :v, false", "a <= :v, false", "a > :v, false", "a >= :v, false"})
        void differentTypes(String expression, boolean expected) {
            assertThat(holds(expression, item("a", s("1")), ":v", n("1"))).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}: {1}")
        @DisplayName("a comparison with a missing attribute is false, except <> which is true")
        @CsvSource({"a = :v, false", "a <> :v, true", "a < :v, false", "a <= :v, false", "a > :v, false",
                "a >= :v, false", "a BETWEEN :v AND :v, false", "a IN (:v), false"})
        void missingAttribute(String expression, boolean expected) {
            assertThat(holds(expression, item("other", n("1")), ":v", n("1"))).isEqualTo(expected);
        }

        @Test
        @DisplayName("sets are equal whatever their order; lists and maps element by element")
        void documentsAndSets() {
            assertThat(holds("a = :v", item("a", ss("x", "y")), ":v", ss("y", "x"))).isTrue();
            assertThat(holds("a = :v", item("a", ns("1", "2")), ":v", ns("2.0", "1"))).isTrue();
            assertThat(holds("a = :v", item("a", l(s("x"), n("1"))), ":v", l(s("x"), n("1.0")))).isTrue();
            assertThat(holds("a = :v", item("a", l(s("x"), n("1"))), ":v", l(n("1"), s("x")))).isFalse();
            assertThat(holds("a = :v", item("a", m("k", s("v"), "j", n("2"))), ":v", m("j", n("2"), "k", s("v")))).isTrue();
            assertThat(holds("a = :v", item("a", m("k", s("v"))), ":v", m("k", s("w")))).isFalse();
        }

        @Test
        @DisplayName("BOOL and NULL compare for equality only")
        void boolAndNull() {
            assertThat(holds("a = :v", item("a", bool(true)), ":v", bool(true))).isTrue();
            assertThat(holds("a = :v", item("a", nul()), ":v", nul())).isTrue();
            assertThat(holds("a < :v", item("a", bool(false)), ":v", bool(true))).isFalse();
        }

        @Test
        @DisplayName("two paths may be compared: a = b")
        void twoPaths() {
            assertThat(holds("a = b", item("a", s("x"), "b", s("x")))).isTrue();
            assertThat(holds("a < b", item("a", n("1"), "b", n("2")))).isTrue();
        }

        @Test
        @DisplayName("no spaces are needed around operators: a=:v, a<>:v")
        void noSpaces() {
            assertThat(holds("a=:v", item("a", s("x")), ":v", s("x"))).isTrue();
            assertThat(holds("a<>:v", item("a", s("y")), ":v", s("x"))).isTrue();
        }
    }

    @Nested
    @DisplayName("BETWEEN and IN")
    class BetweenAndIn {
        @ParameterizedTest(name = "{0} BETWEEN 2 AND 5: {1}")
        @DisplayName("a BETWEEN b AND c: true when a >= b and a <= c (bounds included)")
        @CsvSource({"1, false", "2, true", "3.5, true", "5, true", "5.0001, false"})
        void between(String a, boolean expected) {
            assertThat(holds("a BETWEEN :lo AND :hi", item("a", n(a)), ":lo", n("2"), ":hi", n("5"))).isEqualTo(expected);
        }

        @Test
        @DisplayName("BETWEEN on strings by UTF-8 order, and false on another type")
        void betweenStrings() {
            assertThat(holds("a BETWEEN :lo AND :hi", item("a", s("m")), ":lo", s("a"), ":hi", s("z"))).isTrue();
            assertThat(holds("a BETWEEN :lo AND :hi", item("a", n("1")), ":lo", s("a"), ":hi", s("z"))).isFalse();
        }

        @Test
        @DisplayName("a IN (b, c, d): true when a equals any of them")
        void in() {
            assertThat(holds("a IN (:x, :y, :z)", item("a", s("y")), ":x", s("x"), ":y", s("y"), ":z", s("z"))).isTrue();
            assertThat(holds("a IN (:x, :y)", item("a", s("q")), ":x", s("x"), ":y", s("y"))).isFalse();
            assertThat(holds("a IN (:x)", item("a", n("1")), ":x", s("1"))).isFalse();
        }

        @Test
        @DisplayName("IN takes up to 100 operands")
        void inHundred() {
            Map<String, Value> values = new LinkedHashMap<>();
            IntStream.range(0, 100).forEach(i -> values.put(":v" + i, n(Integer.toString(i))));
            String list = String.join(", ", values.keySet());
            Expressions.Condition condition = Expressions.condition("a IN (" + list + ")", new Placeholders(null, values));
            assertThat(condition.test(item("a", n("99")))).isTrue();
        }

        @Test
        @DisplayName("IN with 101 operands is refused: 'The IN operator is provided with too many operands'")
        void inTooMany() {
            Map<String, Value> values = new LinkedHashMap<>();
            IntStream.range(0, 101).forEach(i -> values.put(":v" + i, n(Integer.toString(i))));
            String list = values.keySet().stream().collect(Collectors.joining(","));
            validationError(() -> Expressions.filter("a IN (" + list + ")", new Placeholders(null, values)))
                    .isEqualTo("Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101");
        }

        @Test
        @DisplayName("BETWEEN bounds of different types are refused")
        void betweenTypes() {
            validationError(() -> Expressions.condition("a BETWEEN :lo AND :hi", values(":lo", n("1"), ":hi", s("a"))))
                    .isEqualTo("Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and "
                            + "upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}");
        }

        @Test
        @DisplayName("BETWEEN with the lower bound above the upper is refused")
        void betweenOrder() {
            validationError(() -> Expressions.condition("a BETWEEN :lo AND :hi", values(":lo", n("5"), ":hi", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than "
                            + "or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}");
        }
    }

    @Nested
    @DisplayName("Precedence: comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR")
    class Precedence {
        private final Map<String, Value> aOnly = item("a", n("1"), "b", n("0"), "c", n("0"));

        @Test
        @DisplayName("AND binds tighter than OR: a OR b AND c is a OR (b AND c)")
        void andBeforeOr() {
            assertThat(holds("a = :one OR b = :one AND c = :one", aOnly, ":one", n("1"))).isTrue();
            assertThat(holds("(a = :one OR b = :one) AND c = :one", aOnly, ":one", n("1"))).isFalse();
        }

        @Test
        @DisplayName("NOT binds tighter than AND: NOT a AND b is (NOT a) AND b")
        void notBeforeAnd() {
            assertThat(holds("NOT a = :zero AND b = :zero", aOnly, ":zero", n("0"))).isTrue();
            assertThat(holds("NOT (a = :one AND b = :zero)", aOnly, ":one", n("1"), ":zero", n("0"))).isFalse();
        }

        @Test
        @DisplayName("NOT binds tighter than OR, and may repeat")
        void notBeforeOr() {
            assertThat(holds("NOT a = :one OR b = :zero", aOnly, ":one", n("1"), ":zero", n("0"))).isTrue();
            assertThat(holds("NOT NOT a = :one", aOnly, ":one", n("1"))).isTrue();
        }

        @Test
        @DisplayName("a comparison binds tighter than NOT: NOT a = b negates the comparison")
        void comparisonBeforeNot() {
            assertThat(holds("NOT a = :zero", aOnly, ":zero", n("0"))).isTrue();
        }

        @Test
        @DisplayName("BETWEEN's AND is BETWEEN's, not the logical AND")
        void betweenAnd() {
            assertThat(holds("a BETWEEN :zero AND :one AND b = :zero", aOnly, ":zero", n("0"), ":one", n("1"))).isTrue();
        }

        @Test
        @DisplayName("keywords are case-insensitive: and, or, not, between, in")
        void keywordsAnyCase() {
            assertThat(holds("not a = :zero and b between :zero and :one or c in (:one)", aOnly, ":zero", n("0"),
                    ":one", n("1"))).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("parentheses as DynamoDB accepts them (moto's aws_verified cases)")
        @ValueSource(strings = {"#a = :b OR (#c = :d AND #e = :f)", "((#a = :b) OR (#c = :d) AND (#e = :f))",
                "#a = :b AND (#c = :d OR #e = :f)", "(attribute_exists (#a)) AND (((#c <> :b) AND (#c <> :d)) AND (#e = :f))"})
        void acceptedParentheses(String expression) {
            Placeholders placeholders = new Placeholders(names("#a", "a", "#c", "c", "#e", "e"),
                    Fixtures.item(":b", s("b"), ":d", s("d"), ":f", s("f")));
            assertThat(Expressions.condition(expression, placeholders).test(item("a", s("b"), "c", s("x"), "e", s("f"))))
                    .isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("a parenthesis whose whole content is another parenthesis is refused: 'redundant parentheses'")
        @ValueSource(strings = {"((((a < b))))", "((a = b))", "((a)) = b", "NOT ((a = b))"})
        void redundantParentheses(String expression) {
            validationError(() -> Expressions.condition(expression, values()))
                    .isEqualTo("Invalid ConditionExpression: The expression has redundant parentheses;");
        }

        @Test
        @DisplayName("an operand may be in parentheses: (a) = :v, (size(a)) > :v")
        void operandInParentheses() {
            assertThat(holds("(a) = :v", item("a", s("x")), ":v", s("x"))).isTrue();
            assertThat(holds("(size(a)) > :v", item("a", s("xyz")), ":v", n("2"))).isTrue();
            assertThat(holds("a = (:v)", item("a", s("x")), ":v", s("x"))).isTrue();
        }
    }

    @Nested
    @DisplayName("Functions")
    class Functions {
        @Test
        @DisplayName("attribute_exists and attribute_not_exists, on top-level and nested paths")
        void existence() {
            Map<String, Value> item = item("a", m("b", l(s("x"), m("c", nul()))));
            assertThat(holds("attribute_exists(a)", item)).isTrue();
            assertThat(holds("attribute_exists(a.b[1].c)", item)).isTrue();
            assertThat(holds("attribute_exists(a.b[2])", item)).isFalse();
            assertThat(holds("attribute_not_exists(z)", item)).isTrue();
            assertThat(holds("attribute_not_exists(a.b)", item)).isFalse();
            assertThat(holds("attribute_exists (a)", item)).isTrue();
        }

        @Test
        @DisplayName("attribute_not_exists on an absent item (an empty map) is true: the put-if-absent idiom")
        void absentItem() {
            assertThat(holds("attribute_not_exists(pk)", Map.of())).isTrue();
        }

        @ParameterizedTest(name = "attribute_type(a, {0})")
        @DisplayName("attribute_type names each of the ten types")
        @ValueSource(strings = {"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
        void attributeType(String type) {
            Map<String, Value> examples = new LinkedHashMap<>();
            examples.put("S", s("x"));
            examples.put("SS", ss("x"));
            examples.put("N", n("1"));
            examples.put("NS", ns("1"));
            examples.put("B", b("x"));
            examples.put("BS", bs("x"));
            examples.put("BOOL", bool(true));
            examples.put("NULL", nul());
            examples.put("L", l());
            examples.put("M", m());
            examples.forEach((name, value) ->
                    assertThat(holds("attribute_type(a, :t)", item("a", value), ":t", s(type))).isEqualTo(name.equals(type)));
            assertThat(holds("attribute_type(a, :t)", item(), ":t", s(type))).isFalse();
        }

        @Test
        @DisplayName("attribute_type with an unknown type name is refused")
        void attributeTypeUnknown() {
            validationError(() -> Expressions.condition("attribute_type(a, :t)", values(":t", s("STRING"))))
                    .isEqualTo("Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: "
                            + "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }

        @Test
        @DisplayName("attribute_type's type must be a string value")
        void attributeTypeNotString() {
            validationError(() -> Expressions.condition("attribute_type(a, :t)", values(":t", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                            + "function: attribute_type, operand type: N");
        }

        @Test
        @DisplayName("begins_with on strings and on binary")
        void beginsWith() {
            assertThat(holds("begins_with(a, :p)", item("a", s("prefix-rest")), ":p", s("prefix-"))).isTrue();
            assertThat(holds("begins_with(a, :p)", item("a", s("rest")), ":p", s("prefix-"))).isFalse();
            assertThat(holds("begins_with(a, :p)", item("a", b("abc")), ":p", b("ab"))).isTrue();
            assertThat(holds("begins_with(a, :p)", item("a", ss("abc")), ":p", s("ab"))).isFalse();
            assertThat(holds("begins_with(a, :p)", item(), ":p", s("ab"))).isFalse();
        }

        @Test
        @DisplayName("begins_with with a number is refused at parse time")
        void beginsWithNumber() {
            validationError(() -> Expressions.condition("begins_with(a, :p)", values(":p", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                            + "function: begins_with, operand type: N");
        }

        @Test
        @DisplayName("contains: a substring of a string, a part of a binary")
        void containsScalars() {
            assertThat(holds("contains(a, :p)", item("a", s("hello world")), ":p", s("o w"))).isTrue();
            assertThat(holds("contains(a, :p)", item("a", s("hello")), ":p", s("x"))).isFalse();
            assertThat(holds("contains(a, :p)", item("a", b("hello")), ":p", b("ell"))).isTrue();
            assertThat(holds("contains(a, :p)", item("a", n("123")), ":p", n("2"))).isFalse();
        }

        @Test
        @DisplayName("contains: a member of a set of the operand's type")
        void containsSets() {
            assertThat(holds("contains(a, :p)", item("a", ss("x", "y")), ":p", s("y"))).isTrue();
            assertThat(holds("contains(a, :p)", item("a", ss("x", "y")), ":p", s("z"))).isFalse();
            assertThat(holds("contains(a, :p)", item("a", ns("1", "2")), ":p", n("2.0"))).isTrue();
            assertThat(holds("contains(a, :p)", item("a", ns("1", "2")), ":p", s("2"))).isFalse();
            assertThat(holds("contains(a, :p)", item("a", bs("x")), ":p", b("x"))).isTrue();
        }

        @Test
        @DisplayName("contains: an element of a list")
        void containsList() {
            Map<String, Value> item = item("a", l(s("x"), n("1"), m("k", s("v"))));
            assertThat(holds("contains(a, :p)", item, ":p", s("x"))).isTrue();
            assertThat(holds("contains(a, :p)", item, ":p", n("1"))).isTrue();
            assertThat(holds("contains(a, :p)", item, ":p", m("k", s("v")))).isTrue();
            assertThat(holds("contains(a, :p)", item, ":p", s("1"))).isFalse();
        }

        @Test
        @DisplayName("contains with a path as its operand: contains(a, b)")
        void containsPath() {
            assertThat(holds("contains(a, b)", item("a", ss("x", "y"), "b", s("x")))).isTrue();
        }

        @ParameterizedTest(name = "size of {0} is {1}")
        @DisplayName("size: a string's length, a binary's length, the elements of a set, list or map")
        @CsvSource({"txt, 6", "bytesVal, 3", "strSet, 2", "numSet, 3", "lst, 4", "attrs, 1", "blank, 0"})
        void size(String attribute, int expected) {
            Map<String, Value> item = item("txt", s("abcdef"), "bytesVal", b("abc"), "strSet", ss("a", "b"),
                    "numSet", ns("1", "2", "3"), "lst", l(nul(), nul(), nul(), nul()), "attrs", m("k", n("1")),
                    "blank", s(""));
            assertThat(holds("size(" + attribute + ") = :n", item, ":n", n(Integer.toString(expected)))).isTrue();
        }

        @Test
        @DisplayName("size of a string counts its UTF-8 bytes")
        void sizeUtf8() {
            assertThat(holds("size(a) = :n", item("a", s("é€")), ":n", n("5"))).isTrue();
        }

        @Test
        @DisplayName("size of a missing attribute, or of a number at run time, makes the comparison false")
        void sizeMissing() {
            assertThat(holds("size(a) >= :n", item(), ":n", n("0"))).isFalse();
            assertThat(holds("size(a) >= :n", item("a", n("12")), ":n", n("0"))).isFalse();
        }

        @Test
        @DisplayName("size compares with a path and on either side: size(a) > b, :n < size(a)")
        void sizeEitherSide() {
            assertThat(holds("size(a) > b", item("a", s("abc"), "b", n("2")))).isTrue();
            assertThat(holds(":n < size(a)", item("a", s("abc")), ":n", n("2"))).isTrue();
            assertThat(holds("size(a) BETWEEN :lo AND :hi", item("a", l(nul())), ":lo", n("1"), ":hi", n("2"))).isTrue();
        }

        @Test
        @DisplayName("size of a number value is refused at parse time")
        void sizeOfNumber() {
            validationError(() -> Expressions.condition("size(:n) > :n", values(":n", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                            + "function: size, operand type: N");
        }

        @Test
        @DisplayName("function names are case-sensitive: BegIns_WiTh is not a function")
        void functionNamesCaseSensitive() {
            validationError(() -> Expressions.condition("BegIns_WiTh(a, :p)", values(":p", s("x"))))
                    .isEqualTo("Invalid ConditionExpression: Invalid function name; function: BegIns_WiTh");
        }

        @Test
        @DisplayName("a condition function cannot be an operand")
        void functionAsOperand() {
            validationError(() -> Expressions.condition("attribute_exists(a) = :v", values(":v", bool(true))))
                    .isEqualTo("Invalid ConditionExpression: The function is not allowed to be used this way in an "
                            + "expression; function: attribute_exists");
        }

        @Test
        @DisplayName("size is an operand, not a condition")
        void sizeAlone() {
            validationError(() -> Expressions.condition("size(a)", values()))
                    .isEqualTo("Invalid ConditionExpression: The function is not allowed to be used this way in an "
                            + "expression; function: size");
        }

        @Test
        @DisplayName("a function with the wrong number of operands is refused")
        void operandCount() {
            validationError(() -> Expressions.condition("attribute_exists(a, b)", values()))
                    .isEqualTo("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                            + "operator or function: attribute_exists, number of operands: 2");
        }

        @Test
        @DisplayName("attribute_exists needs a document path, not a value")
        void existsNeedsPath() {
            validationError(() -> Expressions.condition("attribute_exists(:v)", values(":v", s("x"))))
                    .isEqualTo("Invalid ConditionExpression: Operator or function requires a document path; operator or "
                            + "function: attribute_exists");
        }

        @Test
        @DisplayName("an operator's two operands must differ: a = a is refused")
        void distinctOperands() {
            validationError(() -> Expressions.condition("a.b = a.b", values()))
                    .isEqualTo("Invalid ConditionExpression: The first operand must be distinct from the remaining "
                            + "operands for this operator or function; operator: =, first operand: [a, b]");
            validationError(() -> Expressions.condition("contains(#x, #y)", new Placeholders(names("#x", "a", "#y", "a"), null)))
                    .endsWith("operator: contains, first operand: [a]");
        }
    }

    @Nested
    @DisplayName("Document paths")
    class Paths {
        private final Map<String, Value> item = item("a", m("b", l(n("0"), m("c", s("deep")))), "x.y", s("dotted"));

        @Test
        @DisplayName("nested maps and list indexes: a.b[1].c")
        void nested() {
            assertThat(holds("a.b[1].c = :v", item, ":v", s("deep"))).isTrue();
            assertThat(holds("a.b[0] = :v", item, ":v", n("0"))).isTrue();
        }

        @Test
        @DisplayName("spaces are allowed inside a path: a . b [ 1 ] . c")
        void spaces() {
            assertThat(holds("a . b [ 1 ] . c = :v", item, ":v", s("deep"))).isTrue();
        }

        @Test
        @DisplayName("an index past the end, an index into a map, a key into a list: the attribute is missing")
        void wrongShapes() {
            assertThat(holds("attribute_exists(a.b[5])", item)).isFalse();
            assertThat(holds("attribute_exists(a[0])", item)).isFalse();
            assertThat(holds("attribute_exists(a.b.c)", item)).isFalse();
        }

        @Test
        @DisplayName("a name placeholder stands for one whole attribute name, dots included")
        void placeholderWithDot() {
            Placeholders placeholders = new Placeholders(names("#n", "x.y"), Fixtures.item(":v", s("dotted")));
            assertThat(Expressions.condition("#n = :v", placeholders).test(item)).isTrue();
        }

        @Test
        @DisplayName("placeholders may stand for any step of a path: #a.#b[1].#c")
        void placeholderSteps() {
            Placeholders placeholders = new Placeholders(names("#a", "a", "#b", "b", "#c", "c"),
                    Fixtures.item(":v", s("deep")));
            assertThat(Expressions.condition("#a.#b[1].#c = :v", placeholders).test(item)).isTrue();
        }
    }

    @Nested
    @DisplayName("Errors, named for the expression that has them")
    class Errors {
        @ParameterizedTest(name = "{0}")
        @DisplayName("a reserved word used bare is refused, whatever its case")
        @CsvSource({"status = :v, status", "Status = :v, Status", "a.name = :v, name", "attribute_exists(data), data",
                "size(comment) > :v, comment"})
        void reservedWord(String expression, String word) {
            validationError(() -> Expressions.condition(expression, values(":v", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: " + word);
        }

        @Test
        @DisplayName("a reserved word through a name placeholder is fine")
        void reservedThroughPlaceholder() {
            Placeholders placeholders = new Placeholders(names("#s", "status"), Fixtures.item(":v", s("on")));
            assertThat(Expressions.condition("#s = :v", placeholders).test(item("status", s("on")))).isTrue();
        }

        @Test
        @DisplayName("FilterExpression errors name FilterExpression")
        void filterKind() {
            validationError(() -> Expressions.filter("status = :v", values(":v", n("1"))))
                    .isEqualTo("Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status");
        }

        @Test
        @DisplayName("an undefined name placeholder is refused")
        void undefinedName() {
            validationError(() -> Expressions.condition("#x = :v", values(":v", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: An expression attribute name used in the document path is "
                            + "not defined; attribute name: #x");
        }

        @Test
        @DisplayName("an undefined value placeholder is refused")
        void undefinedValue() {
            validationError(() -> Expressions.condition("a = :x", values()))
                    .isEqualTo("Invalid ConditionExpression: An expression attribute value used in expression is not "
                            + "defined; attribute value: :x");
        }

        @Test
        @DisplayName("an empty expression is refused")
        void empty() {
            validationError(() -> Expressions.filter("", values()))
                    .isEqualTo("Invalid FilterExpression: The expression can not be empty;");
        }

        @ParameterizedTest(name = "{0} → token {1}, near {2}")
        @DisplayName("syntax errors name the token and the text around it")
        @CsvSource(delimiter = '|', value = {
                "a = 1|1|= 1", "a = :v AND|<EOF>|AND", "a = :v b = :v|b|:v b =", "a ==:v|=|==:v",
                "(a = :v|<EOF>|:v", "a BETWEEN :v|<EOF>|:v", "a IN :v|:v|IN :v", "a = :v OR OR b = :v|OR|OR OR b",
                "|||", "a = :v)|)|:v)", "a = \"x\"|\"|= \"x"})
        void syntax(String expression, String token, String near) {
            String text = expression == null ? "   " : expression;
            validationError(() -> Expressions.condition(text, values(":v", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Syntax error; token: \"" + (token == null ? "<EOF>" : token)
                            + "\", near: \"" + (near == null ? "   " : near) + "\"");
        }

        @Test
        @DisplayName("a syntax error comes before a reserved word")
        void syntaxFirst() {
            validationError(() -> Expressions.condition("status = 1", values()))
                    .startsWith("Invalid ConditionExpression: Syntax error; token: \"1\"");
        }

        @Test
        @DisplayName("redundant parentheses come before a reserved word, a reserved word before an undefined placeholder")
        void errorPrecedence() {
            validationError(() -> Expressions.condition("((status = :nope))", values()))
                    .isEqualTo("Invalid ConditionExpression: The expression has redundant parentheses;");
            validationError(() -> Expressions.condition("#undefined = :nope AND status = :v", values(":v", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
        }

        @Test
        @DisplayName("a bare name must start with a letter: _a is a syntax error at '_'")
        void underscoreStart() {
            validationError(() -> Expressions.condition("_a = :v", values(":v", n("1"))))
                    .isEqualTo("Invalid ConditionExpression: Syntax error; token: \"_\", near: \"_a\"");
        }
    }
}
