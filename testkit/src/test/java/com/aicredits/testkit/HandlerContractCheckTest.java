package com.aicredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.app.http.HttpApi;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The observer the tests' Services carry: every answer of HttpApi.respond goes through it, and a broken one fails the call. */
class HandlerContractCheckTest {
    private static final String RECORD = "POST /v1/workspaces/{workspaceId}/executions";

    private static APIGatewayV2HTTPEvent debit() {
        return APIGatewayV2HTTPEvent.builder().withRouteKey(RECORD).withPathParameters(Map.of("workspaceId", "ws-1"))
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"executionId\":\"run-1\",\"activity\":\"task.execution\"}").build();
    }

    @Test
    void anAnswerTheDocumentListsPasses() {
        assertThat(HttpApi.respond(debit(), null, HandlerContractCheck.OPENAPI,
                () -> HttpApi.error(409, "execution_id_reused", "run-1 was recorded for another activity")).getStatusCode())
                .isEqualTo(409);
    }

    @Test
    void anAnswerThatBreaksTheContractFailsTheCallThatGotIt() {
        assertThatThrownBy(() -> HttpApi.respond(debit(), null, HandlerContractCheck.OPENAPI, () -> HttpApi.json(201, "{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("openapi.yaml contract");
    }

    @Test
    void aRouteTheDocumentDoesNotHaveIsLeftAlone() {
        APIGatewayV2HTTPEvent unrouted = APIGatewayV2HTTPEvent.builder().withRouteKey("GET /nowhere").build();
        assertThat(HttpApi.respond(unrouted, null, HandlerContractCheck.OPENAPI, () -> HttpApi.json(200, "{}")).getStatusCode())
                .isEqualTo(200);
    }
}
