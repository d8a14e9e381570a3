package com.aicredits.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.CreditsException;
import com.aicredits.service.RecordExecution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"executionId":1,"activity":"a"}                  | wrong type
            {"executionId":"x","activity":"a","extra":true}   | unknown field 'extra'
            {"executionId":"x","executionId":"y"}             | Duplicate field
            {"executionId":"x"} []                            | trailing
            {"executionId":"x",                               | not valid JSON
            """)
    void strictReadingRefusesWhatAClientCouldMisreadAsAccepted(String body, String message) {
        assertThatThrownBy(() -> Json.readObject(body, RecordExecution.class))
                .isInstanceOfSatisfying(CreditsException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).containsIgnoringCase(message);
                });
    }
}
