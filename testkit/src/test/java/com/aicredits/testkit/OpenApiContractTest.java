package com.aicredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check itself: each kind of drift between an answer and openapi.yaml is caught, and only that. */
class OpenApiContractTest {
    private static final String RECORD_PATH = "/v1/workspaces/{workspaceId}/executions";
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    private static final String REQUEST = "{\"executionId\":\"run-1\",\"activity\":\"task.execution\"}";
    private static final String RECORD = "{\"executionId\":\"run-1\",\"workspaceId\":\"ws-1\",\"activity\":\"task.execution\","
            + "\"feature\":\"AI_TASK\",\"creditsConsumed\":1,\"creditsUsed\":1,\"creditsRemaining\":499,\"creditsAllocated\":500,"
            + "\"sequence\":1,\"period\":\"2026-12\",\"occurredAt\":\"2026-12-01T00:00:00.000Z\",\"recordedAt\":\"2026-12-01T00:00:00.000Z\","
            + "\"priceVersion\":\"2026-01-01\"}";
    private final OpenApiContract contract = OpenApiContract.load();

    private OpenApiContract.Exchange debit(String request, int status, String answer) {
        return new OpenApiContract.Exchange("POST", RECORD_PATH, Map.of("workspaceId", "ws-1"), Map.of(), JSON, request, false,
                status, JSON, answer);
    }

    @Test
    void aDocumentedAnswerKeepsTheContract() {
        assertThat(contract.violations(debit(REQUEST, 201, RECORD))).isEmpty();
        assertThat(contract.violations(debit(REQUEST, 200, RECORD))).isEmpty();
    }

    @Test
    void aMissingFieldAnUnknownFieldOrAWrongTypeInTheAnswerBreaksIt() {
        assertThat(contract.violations(debit(REQUEST, 201, RECORD.replace("\"sequence\":1,", "")))).singleElement().asString()
                .contains("required property 'sequence'");
        assertThat(contract.violations(debit(REQUEST, 201, RECORD.replace("}", ",\"extra\":1}")))).singleElement().asString().contains("extra");
        assertThat(contract.violations(debit(REQUEST, 201, RECORD.replace("\"creditsUsed\":1", "\"creditsUsed\":\"1\"")))).isNotEmpty();
    }

    @Test
    void anUndocumentedStatusOrErrorCodeBreaksIt() {
        assertThat(contract.violations(debit(REQUEST, 418, "{}"))).singleElement().asString().contains("418");
        assertThat(contract.violations(debit(REQUEST, 409, "{\"error\":{\"code\":\"agent_limit_reached\",\"message\":\"m\"}}"))).isNotEmpty();
        assertThat(contract.violations(debit(REQUEST, 409, "{\"error\":{\"code\":\"execution_id_reused\",\"message\":\"m\"}}"))).isEmpty();
    }

    @Test
    void aRequestTheDocumentRefusesMustBeRefused() {
        String unknownField = "{\"executionId\":\"run-1\",\"activity\":\"task.execution\",\"credits\":5}";
        assertThat(contract.violations(debit(unknownField, 201, RECORD))).singleElement().asString().contains("refuses the request");
        assertThat(contract.violations(debit(unknownField, 400, "{\"error\":{\"code\":\"unknown_field\",\"message\":\"m\"}}"))).isEmpty();
        assertThat(contract.violations(debit("{\"executionId\":\"not an id\",\"activity\":\"x\"}", 201, RECORD))).isNotEmpty();
    }

    @Test
    void aBodylessRouteTakesAnEmptyObjectAsNoBodyAndRefusesAnyOther() {
        String workspace = "{\"workspaceId\":\"ws-1\",\"organizationId\":\"org-1\",\"name\":\"One\",\"tier\":\"DEV\",\"pricingModel\":\"EXTEND\","
                + "\"casesEnabled\":true,\"notificationEmails\":[],\"hardLimitPercent\":200}";
        OpenApiContract.Exchange emptyObject = new OpenApiContract.Exchange("GET", "/v1/workspaces/{workspaceId}", Map.of("workspaceId", "ws-1"),
                Map.of(), JSON, "{}", false, 200, JSON, workspace);
        assertThat(contract.violations(emptyObject)).isEmpty();
        OpenApiContract.Exchange aBody = new OpenApiContract.Exchange("GET", "/v1/workspaces/{workspaceId}", Map.of("workspaceId", "ws-1"),
                Map.of(), JSON, "{\"a\":1}", false, 200, JSON, workspace);
        assertThat(contract.violations(aBody)).isNotEmpty();
    }

    @Test
    void queryParametersAreCheckedByTheirSchemasAndUnknownOnesRefused() {
        String page = "{\"items\":[]}";
        OpenApiContract.Exchange limit = new OpenApiContract.Exchange("GET", RECORD_PATH, Map.of("workspaceId", "ws-1"),
                Map.of("limit", "501"), Map.of(), null, false, 200, JSON, page);
        assertThat(contract.violations(limit)).isNotEmpty();
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", RECORD_PATH, Map.of("workspaceId", "ws-1"),
                Map.of("limit", "500", "period", "2026-12"), Map.of(), null, false, 200, JSON, page))).isEmpty();
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", RECORD_PATH, Map.of("workspaceId", "ws-1"),
                Map.of("sort", "asc"), Map.of(), null, false, 200, JSON, page))).isNotEmpty();
    }

    @Test
    void aRequestPathFindsItsOperationLiteralPathsFirst() {
        assertThat(contract.matchPath("/v1/workspaces/ws-1/executions:check")).get()
                .extracting(OpenApiContract.PathMatch::pathTemplate).isEqualTo("/v1/workspaces/{workspaceId}/executions:check");
        assertThat(contract.matchPath("/v1/workspaces/ws-1/executions/run%3A1/refund")).get()
                .extracting(OpenApiContract.PathMatch::pathParameters).isEqualTo(Map.of("workspaceId", "ws-1", "executionId", "run:1"));
        assertThat(contract.matchPath("/v2/nothing")).isEmpty();
    }
}
