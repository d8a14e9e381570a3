package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Bytes;
import com.aicredits.emulation.dynamodb.value.Numbers;
import com.aicredits.emulation.dynamodb.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Values, items and placeholders written briefly, for the expression tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Value s(String value) {
        return Value.s(value);
    }

    static Value n(String value) {
        return Value.n(value);
    }

    static Value b(String utf8) {
        return new Value.B(Bytes.of(utf8.getBytes(StandardCharsets.UTF_8)));
    }

    static Value bool(boolean value) {
        return new Value.Bool(value);
    }

    static Value nul() {
        return new Value.Null();
    }

    static Value ss(String... values) {
        return new Value.SS(List.of(values));
    }

    static Value ns(String... values) {
        return new Value.NS(Arrays.stream(values).map(Numbers::parse).toList());
    }

    static Value bs(String... utf8) {
        return new Value.BS(Arrays.stream(utf8).map(text -> Bytes.of(text.getBytes(StandardCharsets.UTF_8))).toList());
    }

    static Value l(Value... values) {
        return new Value.L(List.of(values));
    }

    static Value m(Object... namesAndValues) {
        return new Value.M(item(namesAndValues));
    }

    /** An item from alternating names and values. */
    static Map<String, Value> item(Object... namesAndValues) {
        Map<String, Value> item = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            item.put((String) namesAndValues[i], (Value) namesAndValues[i + 1]);
        }
        return item;
    }

    /** Placeholders of values only, from alternating {@code :name}s and values. */
    static Placeholders values(Object... namesAndValues) {
        return new Placeholders(null, item(namesAndValues));
    }

    static Map<String, String> names(String... placeholdersAndNames) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < placeholdersAndNames.length; i += 2) {
            names.put(placeholdersAndNames[i], placeholdersAndNames[i + 1]);
        }
        return names;
    }

    /** Asserts that the call fails with DynamoDB's ValidationException, and gives its message to check. */
    static AbstractStringAssert<?> validationError(ThrowingCallable call) {
        Throwable thrown = Assertions.catchThrowable(call);
        Assertions.assertThat(thrown).isInstanceOf(DynamoDbError.class);
        Assertions.assertThat(((DynamoDbError) thrown).type()).isEqualTo("ValidationException");
        Assertions.assertThat(((DynamoDbError) thrown).status()).isEqualTo(400);
        return Assertions.assertThat(thrown.getMessage());
    }
}
