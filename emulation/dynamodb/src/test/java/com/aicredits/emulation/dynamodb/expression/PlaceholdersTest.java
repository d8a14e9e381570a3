package com.aicredits.emulation.dynamodb.expression;

import static com.aicredits.emulation.dynamodb.expression.Fixtures.item;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.n;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.names;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.s;
import static com.aicredits.emulation.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** ExpressionAttributeNames and ExpressionAttributeValues, shared by the expressions of one request. */
class PlaceholdersTest {
    @Test
    @DisplayName("placeholders used by any of a request's expressions count as used")
    void usedAcrossExpressions() {
        Placeholders placeholders = new Placeholders(names("#n", "count", "#p", "pk"), item(":one", n("1"), ":v", s("x")));
        Expressions.update("ADD #n :one", placeholders);
        Expressions.condition("attribute_exists(#p) AND #p <> :v", placeholders);
        placeholders.checkAllUsed();
    }

    @Test
    @DisplayName("an unused name is refused (moto aws case: keys: {#count})")
    void unusedName() {
        Placeholders placeholders = new Placeholders(names("#count", "count"), item(":v", n("1")));
        Expressions.update("SET a = :v", placeholders);
        validationError(placeholders::checkAllUsed)
                .isEqualTo("Value provided in ExpressionAttributeNames unused in expressions: keys: {#count}");
    }

    @Test
    @DisplayName("an unused value is refused, and unused names are reported before unused values")
    void unusedValue() {
        Placeholders placeholders = new Placeholders(null, item(":countChange", n("1"), ":v", n("1")));
        Expressions.update("SET a = :v", placeholders);
        validationError(placeholders::checkAllUsed)
                .isEqualTo("Value provided in ExpressionAttributeValues unused in expressions: keys: {:countChange}");
        Placeholders both = new Placeholders(names("#a", "a"), item(":b", n("1")));
        validationError(both::checkAllUsed)
                .isEqualTo("Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}");
    }

    @Test
    @DisplayName("every unused key is listed, in the request's order")
    void allListed() {
        Placeholders placeholders = new Placeholders(names("#b", "b", "#a", "a", "#c", "c"), null);
        Expressions.projection("#a", placeholders);
        validationError(placeholders::checkAllUsed)
                .isEqualTo("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}");
    }

    @Test
    @DisplayName("the single-item writes' prefix: '1 validation error detected: '")
    void prefix() {
        Placeholders placeholders = new Placeholders(names("#count", "count"), null);
        validationError(() -> placeholders.checkAllUsed("1 validation error detected: "))
                .isEqualTo("1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: {#count}");
    }

    @Test
    @DisplayName("an expression that fails does not mark its placeholders used")
    void failedExpression() {
        Placeholders placeholders = new Placeholders(null, item(":v", n("1")));
        validationError(() -> Expressions.condition("status = :v", placeholders)).contains("reserved keyword");
        validationError(placeholders::checkAllUsed).contains("keys: {:v}");
    }

    @Test
    @DisplayName("a placeholder key of another spelling is refused: 'contains invalid key: Syntax error; key'")
    void invalidKeys() {
        validationError(() -> Expressions.condition("a = :v", new Placeholders(null, item("loc", n("1")))))
                .isEqualTo("ExpressionAttributeValues contains invalid key: Syntax error; key: \"loc\"");
        validationError(() -> Expressions.condition("a = :v", new Placeholders(names("#a-b", "x"), item(":v", n("1")))))
                .isEqualTo("ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"");
    }

    @Test
    @DisplayName("no placeholders at all: nothing to check")
    void none() {
        Placeholders placeholders = new Placeholders(null, null);
        assertThat(placeholders.names()).isEmpty();
        assertThat(placeholders.values()).isEmpty();
        placeholders.checkAllUsed();
    }
}
