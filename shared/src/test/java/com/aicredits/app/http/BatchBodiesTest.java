package com.aicredits.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.service.DebitOutcome;
import com.aicredits.service.DebitService.BatchAnswer;
import com.aicredits.service.RecordExecution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchBodiesTest {

    @Test
    void eachRunIsReadAsASingleDebitsBodyAndOneThatIsNotIsKeptAsItsOwn400() {
        BatchBodies.Items items = BatchBodies.read("{\"executions\":[{\"executionId\":\"a\",\"activity\":\"task.execution\"},"
                + "{\"executionId\":\"b\",\"activity\":\"task.execution\",\"credits\":5},{\"activity\":\"task.execution\",\"x\":1}]}");

        assertThat(items.requests()).containsExactly(new RecordExecution("a", "task.execution", null),
                new RecordExecution("b", null, null), null);
        assertThat(items.unreadable()).containsOnlyKeys(1, 2);
        assertThat(items.unreadable().get(1).refusal()).isEqualTo(Refusal.UNKNOWN_FIELD);
    }

    @Test
    void aBatchThatIsNotAListOfObjectsFailsWhole() {
        for (String body : List.of("{}", "{\"executions\":null}", "{\"executions\":{}}", "{\"executions\":[[]]}",
                "{\"executions\":[{\"executionId\":\"a\",\"activity\":\"task.execution\"},42]}", "{\"executions\":[],\"more\":1}")) {
            assertThatThrownBy(() -> BatchBodies.read(body)).as(body).isInstanceOf(CreditsException.class);
        }
    }

    @Test
    void theAnswerEmbedsEachStoredRecordByteForByteAndEachErrorAsASingleCallWouldWriteIt() {
        String stored = "{\"executionId\":\"a\",\"creditsConsumed\":1,\"sequence\":7}";
        CreditsException hardLimit = new CreditsException(Refusal.HARD_LIMIT, "too much", Map.of("credits", 12));
        String answer = BatchBodies.answer(List.of(new BatchAnswer(new DebitOutcome(stored, true, null), null),
                new BatchAnswer(new DebitOutcome(stored, false, null), null), new BatchAnswer(null, hardLimit),
                new BatchAnswer(null, CreditsException.invalid("activity", "activity is required"))),
                Map.of(3, new CreditsException(Refusal.UNKNOWN_FIELD, "unknown field 'x'")));

        assertThat(answer).isEqualTo("{\"results\":[{\"status\":201,\"record\":" + stored + "},{\"status\":200,\"record\":" + stored
                + "},{\"status\":402,\"error\":{\"code\":\"hard_limit_exceeded\",\"message\":\"too much\",\"detail\":{\"credits\":12}}},"
                + "{\"status\":400,\"error\":{\"code\":\"unknown_field\",\"message\":\"unknown field 'x'\"}}]}");
    }
}
