package com.aicredits.emulation.dynamodb.expression;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Developer Guide's "Reserved words in DynamoDB". */
class ReservedWordsTest {
    @Test
    @DisplayName("the list has the guide's 573 words")
    void count() {
        assertThat(ReservedWords.count()).isEqualTo(573);
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("words of the list, whatever their case")
    @ValueSource(strings = {"ABORT", "status", "Name", "data", "key", "value", "TTL", "zone", "set", "add", "delete"})
    void reserved(String word) {
        assertThat(ReservedWords.isReserved(word)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("words not on the list: REMOVE is not reserved (moto's recorded fact), nor ordinary names")
    @ValueSource(strings = {"REMOVE", "pk", "sk", "balance", "ledger", "attribute_exists"})
    void notReserved(String word) {
        assertThat(ReservedWords.isReserved(word)).isFalse();
    }
}
