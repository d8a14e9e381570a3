package com.aicredits.emulation.dynamodb.expression;

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
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * UpdateExpression (Developer Guide, "Using update expressions in DynamoDB"), with the results and errors moto's
 * aws_verified cases and dynalite's tests recorded from DynamoDB.
 */
class UpdateExpressionTest {
    private static Map<String, Value> apply(String expression, Map<String, Value> item, Object... placeholderValues) {
        return Expressions.update(expression, values(placeholderValues)).apply(item);
    }

    @Nested
    @DisplayName("SET")
    class SetClause {
        @Test
        @DisplayName("sets top-level attributes, adding them or replacing them; the given item is left as it was")
        void topLevel() {
            Map<String, Value> item = item("pk", s("1"), "a", s("old"));
            Map<String, Value> updated = apply("SET a = :a, b = :b", item, ":a", s("new"), ":b", n("2"));
            assertThat(updated).isEqualTo(item("pk", s("1"), "a", s("new"), "b", n("2")));
            assertThat(item).isEqualTo(item("pk", s("1"), "a", s("old")));
        }

        @Test
        @DisplayName("different keys of one map in one request (moto aws case: set d.hello = :h, d.world = :w)")
        void mapKeys() {
            Map<String, Value> updated = apply("set d.hello = :h, d.world = :w", item("d", m("hello", s("h"), "world", s("w"))),
                    ":h", s("H"), ":w", s("W"));
            assertThat(updated).isEqualTo(item("d", m("hello", s("H"), "world", s("W"))));
        }

        @Test
        @DisplayName("a nested path adds a key to an existing map")
        void nestedNewKey() {
            assertThat(apply("SET a.b.c = :v", item("a", m("b", m())), ":v", n("1")))
                    .isEqualTo(item("a", m("b", m("c", n("1")))));
        }

        @Test
        @DisplayName("a list element by index is replaced")
        void listIndex() {
            assertThat(apply("SET l[1] = :v", item("l", l(s("a"), s("b"), s("c"))), ":v", s("B")))
                    .isEqualTo(item("l", l(s("a"), s("B"), s("c"))));
        }

        @Test
        @DisplayName("an index past the end of the list appends the value at the end")
        void listIndexPastEnd() {
            assertThat(apply("SET l[10] = :v", item("l", l(s("a"))), ":v", s("z"))).isEqualTo(item("l", l(s("a"), s("z"))));
        }

        @Test
        @DisplayName("a value copied from another attribute: SET a = b")
        void copy() {
            assertThat(apply("SET a = b", item("b", m("x", n("1"))))).isEqualTo(item("b", m("x", n("1")), "a", m("x", n("1"))));
        }

        @Test
        @DisplayName("every value is computed from the item as it was: SET a = b, b = a swaps")
        void fromOldItem() {
            assertThat(apply("SET a = b, b = a", item("a", n("1"), "b", n("2")))).isEqualTo(item("a", n("2"), "b", n("1")));
        }

        @ParameterizedTest(name = "{0} with a = {1}, :v = {2} gives {3}")
        @DisplayName("a = b + c and a = b - c on numbers, exactly")
        @CsvSource({"SET a = a + :v, 1, 2, 3", "SET a = a - :v, 1, 2, -1", "SET a = :v + a, 0.1, 0.2, 0.3",
                "SET a = a - :v, 10.5, 0.5, 10", "SET a = a + :v, 99999999999999999999999999999999999999, -1, 99999999999999999999999999999999999998"})
        void arithmetic(String expression, String a, String v, String expected) {
            assertThat(apply(expression, item("a", n(a)), ":v", n(v)).get("a")).isEqualTo(n(expected));
        }

        @Test
        @DisplayName("arithmetic beyond 38 significant digits is refused")
        void precision() {
            validationError(() -> apply("SET a = a + :v", item("a", n("99999999999999999999999999999999999999")), ":v", n("0.1")))
                    .isEqualTo("Attempting to store more than 38 significant digits in a Number");
        }

        @Test
        @DisplayName("arithmetic beyond DynamoDB's range is refused")
        void overflow() {
            validationError(() -> apply("SET a = a + a", item("a", n("9E+125"))))
                    .isEqualTo("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }

        @Test
        @DisplayName("arithmetic on a string attribute: 'An operand in the update expression has an incorrect data type'")
        void arithmeticOnString() {
            validationError(() -> apply("SET a = a + :v", item("a", s("1")), ":v", n("1")))
                    .isEqualTo("An operand in the update expression has an incorrect data type");
        }

        @Test
        @DisplayName("arithmetic with a missing attribute: 'refers to an attribute that does not exist in the item'")
        void arithmeticOnMissing() {
            validationError(() -> apply("SET a = a + :v", item(), ":v", n("1")))
                    .isEqualTo("The provided expression refers to an attribute that does not exist in the item");
        }

        @Test
        @DisplayName("if_not_exists(path, value): the attribute's value when it exists, else the value")
        void ifNotExists() {
            assertThat(apply("SET a = if_not_exists(a, :v)", item(), ":v", n("0")).get("a")).isEqualTo(n("0"));
            assertThat(apply("SET a = if_not_exists(a, :v)", item("a", n("7")), ":v", n("0")).get("a")).isEqualTo(n("7"));
        }

        @Test
        @DisplayName("a counter that starts at zero: SET c = if_not_exists(c, :zero) + :one")
        void counter() {
            Expressions.Update update = Expressions.update("SET c = if_not_exists(c, :zero) + :one",
                    values(":zero", n("0"), ":one", n("1")));
            Map<String, Value> once = update.apply(item());
            assertThat(once.get("c")).isEqualTo(n("1"));
            assertThat(update.apply(once).get("c")).isEqualTo(n("2"));
        }

        @Test
        @DisplayName("list_append(l1, l2) joins two lists, either way round")
        void listAppend() {
            Map<String, Value> item = item("l", l(s("a")));
            assertThat(apply("SET l = list_append(l, :v)", item, ":v", l(s("b")))).isEqualTo(item("l", l(s("a"), s("b"))));
            assertThat(apply("SET l = list_append(:v, l)", item, ":v", l(s("b")))).isEqualTo(item("l", l(s("b"), s("a"))));
        }

        @Test
        @DisplayName("list_append with if_not_exists starts a missing list")
        void listAppendIfNotExists() {
            assertThat(apply("SET l = list_append(if_not_exists(l, :empty), :v)", item(), ":empty", l(), ":v", l(n("1"))))
                    .isEqualTo(item("l", l(n("1"))));
        }

        @Test
        @DisplayName("list_append on an attribute that is not a list: incorrect data type")
        void listAppendNotList() {
            validationError(() -> apply("SET l = list_append(l, :v)", item("l", s("x")), ":v", l()))
                    .isEqualTo("An operand in the update expression has an incorrect data type");
        }

        @Test
        @DisplayName("list_append with a missing list: refers to an attribute that does not exist")
        void listAppendMissing() {
            validationError(() -> apply("SET l = list_append(l, :v)", item(), ":v", l()))
                    .isEqualTo("The provided expression refers to an attribute that does not exist in the item");
        }

        @Test
        @DisplayName("SET a = (b + c) and SET a = (b): parentheses around the value")
        void parentheses() {
            assertThat(apply("SET a = (b + :v)", item("b", n("1")), ":v", n("1")).get("a")).isEqualTo(n("2"));
            assertThat(apply("SET a = (:v)", item(), ":v", n("1")).get("a")).isEqualTo(n("1"));
        }

        @Test
        @DisplayName("an expression may span lines (moto aws case)")
        void newLines() {
            assertThat(apply("\n  ADD\n    MyTotalCount :MyCount\n  ", item(), ":MyCount", n("5")))
                    .isEqualTo(item("MyTotalCount", n("5")));
        }
    }

    @Nested
    @DisplayName("The document path provided in the update expression is invalid for update")
    class InvalidPaths {
        @ParameterizedTest(name = "{0}")
        @DisplayName("a parent that is missing, or not a map for a key, or not a list for an index (dynalite's cases)")
        @CsvSource(delimiter = '|', value = {"set b.a = :a", "set b[1] = :a", "set y.a = :a", "set y[1] = :a",
                "set c[1] = :a", "set d.#1 = :a", "remove b.a", "remove y[1]", "remove c[1]", "remove d.#1",
                "delete b.a :a", "delete c[1] :a", "add y.a :a", "add d.#1 :a"})
        void invalid(String expression) {
            Map<String, Value> item = item("b", s("x"), "c", m("1", s("a")), "d", l(s("a"), s("b")));
            Placeholders placeholders = new Placeholders(names("#1", "1"), Fixtures.item(":a", ss("a")));
            Expressions.Update update = Expressions.update(expression, placeholders);
            validationError(() -> update.apply(item))
                    .isEqualTo("The document path provided in the update expression is invalid for update");
        }
    }

    @Nested
    @DisplayName("REMOVE")
    class RemoveClause {
        @Test
        @DisplayName("removes attributes; a missing one is no error")
        void attributes() {
            assertThat(apply("REMOVE a, absent", item("a", s("x"), "b", s("y")))).isEqualTo(item("b", s("y")));
        }

        @Test
        @DisplayName("removes a nested map key")
        void nested() {
            assertThat(apply("REMOVE a.b", item("a", m("b", n("1"), "c", n("2"))))).isEqualTo(item("a", m("c", n("2"))));
        }

        @Test
        @DisplayName("removes a list element; later elements move up")
        void listElement() {
            assertThat(apply("REMOVE itemlist[1]", item("itemlist", l(s("bar1"), s("bar2"), s("bar3")))))
                    .isEqualTo(item("itemlist", l(s("bar1"), s("bar3"))));
        }

        @Test
        @DisplayName("several list indexes name the list as it was: REMOVE bla[0], bla[1], bla[2] of 1..5 leaves 4, 5")
        void listElements() {
            Map<String, Value> item = item("bla", l(s("1"), s("2"), s("3"), s("4"), s("5")));
            assertThat(apply("REMOVE bla[0], bla[1], bla[2]", item)).isEqualTo(item("bla", l(s("4"), s("5"))));
            assertThat(apply("REMOVE bla[2], bla[0]", item)).isEqualTo(item("bla", l(s("2"), s("4"), s("5"))));
        }

        @Test
        @DisplayName("an index past the end removes nothing")
        void pastEnd() {
            Map<String, Value> item = item("itemlist", l(s("bar1")));
            assertThat(apply("REMOVE itemlist[10]", item)).isEqualTo(item);
        }

        @Test
        @DisplayName("a key inside a list element: REMOVE itemmap.itemlist[1].foo10")
        void insideListElement() {
            Map<String, Value> item = item("itemmap", m("itemlist", l(m("foo00", s("a")), m("foo10", s("b"), "foo11", s("c")))));
            assertThat(apply("REMOVE itemmap.itemlist[1].foo10", item))
                    .isEqualTo(item("itemmap", m("itemlist", l(m("foo00", s("a")), m("foo11", s("c"))))));
        }

        @Test
        @DisplayName("a list element and an attribute together (moto aws case: REMOVE #ulist[0], some_param)")
        void listAndAttribute() {
            Placeholders placeholders = new Placeholders(names("#ulist", "user_list"), null);
            Map<String, Value> updated = Expressions.update("REMOVE #ulist[0], some_param", placeholders)
                    .apply(item("user_list", l(m("name", s("Jane")), m("name", s("John"))), "some_param", s("x")));
            assertThat(updated).isEqualTo(item("user_list", l(m("name", s("John")))));
        }
    }

    @Nested
    @DisplayName("ADD")
    class AddClause {
        @ParameterizedTest(name = "{0} + {1} = {2}")
        @DisplayName("adds to a number exactly (moto aws case: decimals and integers)")
        @CsvSource({"100, -88.3, 11.7", "11.7, 25.41, 37.11", "37.11, 6, 43.11", "5, 1, 6", "6, 25.41, 31.41"})
        void number(String before, String delta, String after) {
            assertThat(apply("ADD amount :delta", item("amount", n(before)), ":delta", n(delta)).get("amount")).isEqualTo(n(after));
        }

        @Test
        @DisplayName("a missing number starts at the value added")
        void missingNumber() {
            assertThat(apply("ADD c :v", item(), ":v", n("5"))).isEqualTo(item("c", n("5")));
        }

        @Test
        @DisplayName("joins sets, of strings, numbers and binary; a missing set is created")
        void sets() {
            assertThat(apply("ADD s :v", item("s", ss("a", "b")), ":v", ss("b", "c")).get("s")).isEqualTo(ss("a", "b", "c"));
            assertThat(apply("ADD s :v", item("s", ns("1")), ":v", ns("1.0", "2")).get("s")).isEqualTo(ns("1", "2"));
            assertThat(apply("ADD s :v", item("s", bs("a")), ":v", bs("b")).get("s")).isEqualTo(bs("a", "b"));
            assertThat(apply("ADD s :v", item(), ":v", ss("x"))).isEqualTo(item("s", ss("x")));
        }

        @Test
        @DisplayName("adds to a nested set, and creates one in an existing map (moto cases)")
        void nestedSets() {
            Map<String, Value> item = item("nested", m("str_set", ss("item1")));
            assertThat(apply("ADD nested.str_set :v", item, ":v", ss("item4")))
                    .isEqualTo(item("nested", m("str_set", ss("item1", "item4"))));
            Placeholders placeholders = new Placeholders(names("#ns", "nested", "#ne", "non_existing_str_set"),
                    Fixtures.item(":v", ss("new_item")));
            assertThat(Expressions.update("ADD #ns.#ne :v", placeholders).apply(item))
                    .isEqualTo(item("nested", m("str_set", ss("item1"), "non_existing_str_set", ss("new_item"))));
        }

        @Test
        @DisplayName("a number to a set, a set of another type, a number to a string: incorrect data type")
        void wrongTypes() {
            validationError(() -> apply("ADD s :v", item("s", ss("a")), ":v", n("20")))
                    .isEqualTo("An operand in the update expression has an incorrect data type");
            validationError(() -> apply("ADD s :v", item("s", ss("a")), ":v", ns("20")))
                    .isEqualTo("An operand in the update expression has an incorrect data type");
            validationError(() -> apply("ADD s :v", item("s", s("a")), ":v", n("20")))
                    .isEqualTo("An operand in the update expression has an incorrect data type");
        }

        @Test
        @DisplayName("beyond 38 digits is refused")
        void precision() {
            validationError(() -> apply("ADD c :v", item("c", n("1")), ":v", n("0.00000000000000000000000000000000000001")))
                    .isEqualTo("Attempting to store more than 38 significant digits in a Number");
        }
    }

    @Nested
    @DisplayName("DELETE")
    class DeleteClause {
        @Test
        @DisplayName("takes elements out of a set")
        void difference() {
            assertThat(apply("DELETE s :v", item("s", ss("a", "b", "c")), ":v", ss("b", "z")).get("s")).isEqualTo(ss("a", "c"));
            assertThat(apply("DELETE s :v", item("s", ns("1", "2", "3")), ":v", ns("2.0")).get("s")).isEqualTo(ns("1", "3"));
        }

        @Test
        @DisplayName("the attribute goes when its set becomes empty (moto aws case: the map is left empty)")
        void emptied() {
            Placeholders placeholders = new Placeholders(names("#map", "map", "#sset", "sset"), Fixtures.item(":s", ss("foo")));
            assertThat(Expressions.update("DELETE #map.#sset :s", placeholders).apply(item("pk", s("foo"), "map", m("sset", ss("foo")))))
                    .isEqualTo(item("pk", s("foo"), "map", m()));
            assertThat(apply("DELETE s :v", item("s", ss("a")), ":v", ss("a"))).isEmpty();
        }

        @Test
        @DisplayName("from a missing set, or elements not in it: nothing changes (moto aws case)")
        void nothingToDelete() {
            Placeholders karl = new Placeholders(names("#users", "users"), Fixtures.item(":u", ss("karl")));
            Placeholders karl2 = new Placeholders(names("#users", "users"), Fixtures.item(":u", ss("karl2")));
            assertThat(Expressions.update("DELETE #users :u", karl).apply(item("pk", s("name")))).isEqualTo(item("pk", s("name")));
            assertThat(Expressions.update("DELETE #users :u", karl2).apply(item("users", ss("karl"))))
                    .isEqualTo(item("users", ss("karl")));
        }

        @Test
        @DisplayName("a set of another type: incorrect data type")
        void wrongType() {
            validationError(() -> apply("DELETE s :v", item("s", ns("1")), ":v", ss("1")))
                    .isEqualTo("An operand in the update expression has an incorrect data type");
        }
    }

    @Nested
    @DisplayName("Errors found when parsing")
    class ParseErrors {
        @ParameterizedTest(name = "{0}")
        @DisplayName("each clause at most once")
        @CsvSource(delimiter = '|', value = {"ADD x :one SET a = :a ADD y :one|ADD",
                "REMOVE a SET b = :a REMOVE c|REMOVE", "SET a = :a SET b = :a|SET", "delete s :s DELETE t :s|DELETE"})
        void sectionOnce(String expression, String section) {
            validationError(() -> Expressions.update(expression, values(":one", n("1"), ":a", s("a"), ":s", ss("s"))))
                    .isEqualTo("1 validation error detected: Invalid UpdateExpression: The \"" + section
                            + "\" section can only be used once in an update expression;");
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("two document paths that overlap (moto aws cases)")
        @CsvSource(delimiter = '|', value = {
                "SET #s = :h, #s = :h|[string_set]|[string_set]",
                "SET string_set.nested = :h, string_set.nested = :h|[string_set, nested]|[string_set, nested]",
                "SET string_set = :h, string_set.nested = :h|[string_set]|[string_set, nested]",
                "REMOVE string_set SET string_set.nested = :h|[string_set]|[string_set, nested]",
                "ADD #s :set DELETE #s :set|[string_set]|[string_set]",
                "SET #c[3].#d = :h, #c[3] = :h|[c, [3], [3]]|[c, [3]]"})
        void overlap(String expression, String one, String two) {
            Placeholders placeholders = new Placeholders(names("#s", "string_set", "#c", "c", "#d", "[3]"),
                    Fixtures.item(":h", s("H"), ":set", ss("x")));
            validationError(() -> Expressions.update(expression, placeholders))
                    .isEqualTo("1 validation error detected: Invalid UpdateExpression: Two document paths overlap with each "
                            + "other; must remove or rewrite one of these paths; path one: " + one + ", path two: " + two);
        }

        @Test
        @DisplayName("a placeholder for \"a.b\" names one attribute, which does not overlap a (moto aws case)")
        void dottedPlaceholderNoOverlap() {
            Placeholders placeholders = new Placeholders(names("#nested", "string_set.nested"), Fixtures.item(":h", s("H")));
            assertThat(Expressions.update("SET string_set = :h, #nested = :h", placeholders).apply(item()))
                    .isEqualTo(item("string_set", s("H"), "string_set.nested", s("H")));
        }

        @Test
        @DisplayName("two document paths that conflict: a map key and a list index of one attribute")
        void conflict() {
            validationError(() -> Expressions.update("remove a.#c set a[1] = :v",
                    new Placeholders(names("#c", "c"), Fixtures.item(":v", s("x")))))
                    .isEqualTo("1 validation error detected: Invalid UpdateExpression: Two document paths conflict with each "
                            + "other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]");
        }

        @Test
        @DisplayName("an overlap is reported before a conflict met earlier")
        void overlapBeforeConflict() {
            validationError(() -> Expressions.update("set d[1] = a, d.b = a, c[1].a = a, c = if_not_exists(a)", values()))
                    .endsWith("overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]");
        }

        @ParameterizedTest(name = "{1} with {0}")
        @DisplayName("ADD takes a number or a set, DELETE a set (dynalite's cases)")
        @CsvSource({"add, S, STRING", "delete, S, STRING", "add, NULL, NULL", "delete, BOOL, BOOLEAN", "add, L, LIST",
                "delete, M, MAP", "delete, N, NUMBER", "add, B, BINARY"})
        void addDeleteOperand(String action, String type, String shown) {
            Map<String, Value> examples = new LinkedHashMap<>();
            examples.put("S", s("a"));
            examples.put("NULL", nul());
            examples.put("BOOL", Fixtures.bool(false));
            examples.put("L", l(n("1")));
            examples.put("M", m("a", n("1")));
            examples.put("N", n("1"));
            examples.put("B", Fixtures.b("a"));
            validationError(() -> Expressions.update(action + " a.b :a", values(":a", examples.get(type))))
                    .isEqualTo("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                            + action.toUpperCase() + ", operand type: " + shown);
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("+, - and list_append refuse values of the wrong type")
        @CsvSource(delimiter = '|', value = {"set a = a + :s|+|S", "set a = :m - a|-|M", "set a = list_append(:s, a)|list_append|S",
                "set a = list_append(a, :n)|list_append|N"})
        void functionOperandTypes(String expression, String function, String type) {
            validationError(() -> Expressions.update(expression, values(":s", s("a"), ":m", m(), ":n", n("1"))))
                    .isEqualTo("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                            + "function: " + function + ", operand type: " + type);
        }

        @Test
        @DisplayName("if_not_exists needs a document path first; functions their number of operands; names are known")
        void functions() {
            validationError(() -> Expressions.update("set a = if_not_exists(:a, c)", values(":a", s("a"))))
                    .isEqualTo("Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists");
            validationError(() -> Expressions.update("set a = list_append(c)", values()))
                    .isEqualTo("Invalid UpdateExpression: Incorrect number of operands for operator or function; operator "
                            + "or function: list_append, number of operands: 1");
            validationError(() -> Expressions.update("set a = size(c)", values()))
                    .isEqualTo("Invalid UpdateExpression: Invalid function name; function: size");
        }

        @Test
        @DisplayName("reserved words, undefined names and values")
        void namesAndValues() {
            validationError(() -> Expressions.update("SET status = :v", values(":v", n("1"))))
                    .isEqualTo("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
            validationError(() -> Expressions.update("SET #c = :v", values(":v", n("1"))))
                    .isEqualTo("Invalid UpdateExpression: An expression attribute name used in the document path is not "
                            + "defined; attribute name: #c");
            validationError(() -> Expressions.update("SET a = :c", values()))
                    .isEqualTo("Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                            + "attribute value: :c");
        }

        @Test
        @DisplayName("an empty update expression is refused")
        void empty() {
            validationError(() -> Expressions.update("", values()))
                    .isEqualTo("1 validation error detected: Invalid UpdateExpression: The expression can not be empty;");
        }

        @ParameterizedTest(name = "{0} → token {1}, near {2}")
        @DisplayName("syntax errors name the token and the text around it (moto's recorded cases)")
        @CsvSource(delimiter = '|', value = {
                "SET attrName = 3|3|= 3", "SET MyStr[ 3|<EOF>|3", "SET MyStr[3 )|)|3 )", "SET 2|2|SET 2", "2|2|2",
                "SET )|)|SET )", "SET ) 3|)|SET ) 3", "SET MyStr = [:_val|[|= [:_val", "SET MyStr = (:_val + (:val2|<EOF>|:val2",
                "SET MyStr = ):_val|)|= ):_val", "RESET NonExistent value|RESET|RESET NonExistent", "RESET|RESET|RESET",
                "SET a [  [2] ]. b = :v|[|[  [2", "SET a [2 1]. b = :v|1|2 1]", "SET #a a = :v|a|#a a =",
                "SET MyStr = NoExist + + :_val |+|+ + :_val", "REMOVE NoExist + |+|NoExist + ", "ADD attr val foobar|val|attr val foobar",
                "ADD attr :val foobar|foobar|:val foobar", "DELETE attr val|val|attr val", "SET path = VALUE 1|1|VALUE 1",
                "REMOVE if_not_exists(a,b)|(|if_not_exists(a", "SET attrName = _idid|_|= _idid", "SET a|<EOF>|a",
                "SET #attr1 = :val1, #attr2 = :val2,|<EOF>|,", "SET MyStr = myNum Mystr2 myNum2|Mystr2|myNum Mystr2 myNum2"})
        void syntax(String expression, String token, String near) {
            validationError(() -> Expressions.update(expression, values()))
                    .isEqualTo("Invalid UpdateExpression: Syntax error; token: \"" + token + "\", near: \"" + near + "\"");
        }
    }

    @Nested
    @DisplayName("Key attributes and the paths written")
    class Keys {
        @Test
        @DisplayName("updating a key attribute is refused: 'Cannot update attribute pk. This attribute is part of the key'")
        void keyUpdate() {
            Expressions.Update update = Expressions.update("SET a = :v, pk = :v", values(":v", s("x")));
            validationError(() -> update.rejectKeyUpdates(Set.of("pk", "sk")))
                    .isEqualTo("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
            validationError(() -> Expressions.update("REMOVE sk", values()).rejectKeyUpdates(Set.of("pk", "sk")))
                    .isEqualTo("One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key");
        }

        @Test
        @DisplayName("updating other attributes passes")
        void otherAttributes() {
            Expressions.update("SET a = :v ADD c :n", values(":v", s("x"), ":n", n("1"))).rejectKeyUpdates(Set.of("pk", "sk"));
        }

        @Test
        @DisplayName("the paths written project the old and new item for UPDATED_OLD and UPDATED_NEW")
        void updatedPaths() {
            Expressions.Update update = Expressions.update("SET a.b = :v REMOVE c", values(":v", n("2")));
            Map<String, Value> old = item("pk", s("1"), "a", m("b", n("1"), "x", n("9")), "c", s("gone"));
            Map<String, Value> updated = update.apply(old);
            assertThat(update.updatedPaths().apply(old)).isEqualTo(item("a", m("b", n("1")), "c", s("gone")));
            assertThat(update.updatedPaths().apply(updated)).isEqualTo(item("a", m("b", n("2"))));
        }
    }
}
