package com.aicredits.json;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.service.RecordExecution;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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
                    assertThat(Refusals.status(e)).isEqualTo(400);
                    assertThat(e.getMessage()).containsIgnoringCase(message);
                });
    }

    /** Words of the JSON library's own that must never reach a caller: its class names, switches and location format. */
    static final java.util.List<String> LIBRARY_WORDS = java.util.List.of("`", "Feature", "Constraints", "jackson", "fasterxml",
            "REDACTED", "Source:", "java.", "com.aicredits");

    static Stream<Arguments> malformedBodies() {
        String deep = "{\"executionId\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
        return Stream.of(
                Arguments.of(deep.replace("executionId", "unknown"), "nest deeper than 1000 levels"),
                Arguments.of("{\"executionId\":NaN}", "at line 1, column 19: NaN and Infinity are not JSON numbers"),
                Arguments.of("{\"executionId\":-Infinity}", "NaN and Infinity are not JSON numbers"),
                Arguments.of("{\"executionId\":+1}", "a JSON number may not start with '+'"),
                Arguments.of("{\"executionId\":\"x\"", "ends before its JSON is complete"),
                Arguments.of("{\"executionId\":\"x", "ends before its JSON is complete"),
                Arguments.of("{\"executionId\":\"x\" /* note */}", "JSON has no comments"),
                Arguments.of("{\"executionId\":" + "9".repeat(1001) + "}", "a number is longer than 1000 digits"),
                Arguments.of("{\"executionId\":'x'}", "at line 1, column 16"),
                Arguments.of("{\"monthlyCredits\":99999999999999999999}", "field 'monthlyCredits' is out of range"));
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void malformedJsonIsExplainedInOurWordsNamingNothingOfTheParser(String body, String message) {
        for (Class<?> type : new Class<?>[] {RecordExecution.class, WorkspaceSpec.class}) {
            if (body.contains("monthlyCredits") && type == RecordExecution.class) {
                continue; // an unknown field there
            }
            assertThatThrownBy(() -> Json.readObject(body, type))
                    .isInstanceOfSatisfying(CreditsException.class, e -> {
                        assertThat(Refusals.status(e)).isEqualTo(400);
                        assertThat(e.getMessage()).contains(message);
                        for (String word : LIBRARY_WORDS) {
                            assertThat(e.getMessage()).as("library word " + word).doesNotContainIgnoringCase(word);
                        }
                    });
        }
    }
}
