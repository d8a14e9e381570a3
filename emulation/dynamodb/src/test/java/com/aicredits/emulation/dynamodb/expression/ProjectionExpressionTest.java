package com.aicredits.emulation.dynamodb.expression;

import static com.aicredits.emulation.dynamodb.expression.Fixtures.item;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.l;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.m;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.n;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.names;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.s;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** ProjectionExpression (Developer Guide, "Using projection expressions in DynamoDB"). */
class ProjectionExpressionTest {
    private static final Placeholders NONE = new Placeholders(null, null);

    private final Map<String, Value> item = item(
            "id", s("1"),
            "title", s("Book"),
            "info", m("pages", n("300"), "authors", l(s("Ann"), s("Bob"), s("Cy")), "tags", m("a", s("x"), "b", s("y"))),
            "reviews", l(m("stars", n("5"), "author", s("Dee")), m("stars", n("1"), "author", s("Eve"))));

    private Map<String, Value> project(String expression) {
        return Expressions.projection(expression, NONE).apply(item);
    }

    @Test
    @DisplayName("top-level attributes, comma-separated: only those are returned")
    void topLevel() {
        assertThat(project("id, title")).isEqualTo(item("id", s("1"), "title", s("Book")));
    }

    @Test
    @DisplayName("a nested map key keeps its map with only that key")
    void nestedMap() {
        assertThat(project("info.pages")).isEqualTo(item("info", m("pages", n("300"))));
    }

    @Test
    @DisplayName("list elements by index keep a list of those elements, in index order, gaps closed")
    void listIndexes() {
        assertThat(project("info.authors[2], info.authors[0]")).isEqualTo(item("info", m("authors", l(s("Ann"), s("Cy")))));
    }

    @Test
    @DisplayName("a path through list elements: reviews[1].author")
    void throughList() {
        assertThat(project("reviews[1].author")).isEqualTo(item("reviews", l(m("author", s("Eve")))));
    }

    @Test
    @DisplayName("several paths into one map are merged")
    void merged() {
        assertThat(project("info.pages, info.tags.b")).isEqualTo(item("info", m("pages", n("300"), "tags", m("b", s("y")))));
    }

    @Test
    @DisplayName("a path that does not resolve adds nothing, not even its parents")
    void missing() {
        assertThat(project("nothing, info.absent, info.authors[7], title.x, id")).isEqualTo(item("id", s("1")));
    }

    @Test
    @DisplayName("an absent item projects to nothing")
    void absentItem() {
        assertThat(Expressions.projection("id", NONE).apply(Map.of())).isEmpty();
    }

    @Test
    @DisplayName("names through placeholders, reserved words included")
    void placeholders() {
        Placeholders placeholders = new Placeholders(names("#n", "name", "#i", "info"), null);
        Map<String, Value> projected = Expressions.projection("#n, #i.pages", placeholders)
                .apply(item("name", s("x"), "info", m("pages", n("1"))));
        assertThat(projected).isEqualTo(item("name", s("x"), "info", m("pages", n("1"))));
    }

    @Test
    @DisplayName("a reserved word used bare is refused (moto aws case: name)")
    void reserved() {
        validationError(() -> Expressions.projection("id, name", NONE))
                .isEqualTo("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
    }

    @Test
    @DisplayName("overlapping paths are refused")
    void overlap() {
        validationError(() -> Expressions.projection("info, info.pages", NONE))
                .isEqualTo("1 validation error detected: Invalid ProjectionExpression: Two document paths overlap with each "
                        + "other; must remove or rewrite one of these paths; path one: [info], path two: [info, pages]");
    }

    @Test
    @DisplayName("a path through a map key and another through a list index of the same attribute conflict")
    void conflict() {
        validationError(() -> Expressions.projection("info.a, info[0]", NONE))
                .isEqualTo("1 validation error detected: Invalid ProjectionExpression: Two document paths conflict with "
                        + "each other; must remove or rewrite one of these paths; path one: [info, a], path two: [info, [0]]");
    }

    @Test
    @DisplayName("an undefined name placeholder is refused")
    void undefined() {
        validationError(() -> Expressions.projection("#x", NONE))
                .isEqualTo("Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                        + "defined; attribute name: #x");
    }

    @Test
    @DisplayName("syntax errors: a trailing comma, a value placeholder")
    void syntax() {
        validationError(() -> Expressions.projection("id,", NONE))
                .isEqualTo("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
        validationError(() -> Expressions.projection("id, :v", NONE))
                .isEqualTo("Invalid ProjectionExpression: Syntax error; token: \":v\", near: \", :v\"");
    }

    @Test
    @DisplayName("an empty projection is refused")
    void empty() {
        validationError(() -> Expressions.projection("", NONE))
                .isEqualTo("Invalid ProjectionExpression: The expression can not be empty;");
    }
}
