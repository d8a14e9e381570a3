package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.testkit.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a clear 4xx JSON error and writes nothing: never a 5xx, never a stack trace. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsIntegrationTest {
    private static final String WS = "ws-strict";
    private final DebitFixture api = new DebitFixture("malformed", Instant.parse("2026-11-25T10:00:00Z"));
    private long itemsBefore;

    @BeforeAll
    void workspaceWithoutCases() {
        api.workspace(WS, "DEV", Map.of());
        itemsBefore = api.table.itemCount();
    }

    static Stream<Arguments> malformed() {
        String ok = "\"executionId\":\"run-1\",\"activity\":\"task.execution\"";
        return Stream.of(
                bad("no body", 400, "JSON object body is required", body(null)),
                bad("empty body", 400, "JSON object body is required", body("")),
                bad("blank body", 400, "JSON object body is required", body("  \n ")),
                bad("JSON null", 400, "must be a JSON object", body("null")),
                bad("JSON array", 400, "must be a JSON object", body("[{" + ok + "}]")),
                bad("JSON string", 400, "must be a JSON object", body("\"run-1\"")),
                bad("JSON number", 400, "must be a JSON object", body("42")),
                bad("truncated JSON", 400, "not valid JSON", body("{\"executionId\":\"run-1\"")),
                bad("trailing comma", 400, "not valid JSON", body("{" + ok + ",}")),
                bad("duplicate key", 400, "Duplicate field 'executionId'", body("{" + ok + ",\"executionId\":\"run-2\"}")),
                bad("two objects", 400, "trailing content", body("{" + ok + "}{}")),
                bad("single quotes", 400, "not valid JSON", body("{'executionId':'run-1'}")),
                bad("unknown field credits", 400, "unknown field 'credits'", body("{" + ok + ",\"credits\":0}")),
                bad("unknown field workspaceId", 400, "unknown field 'workspaceId'", body("{" + ok + ",\"workspaceId\":\"other\"}")),
                bad("missing executionId", 400, "executionId is required", body("{\"activity\":\"task.execution\"}")),
                bad("null executionId", 400, "executionId is required", body("{\"executionId\":null,\"activity\":\"task.execution\"}")),
                bad("empty executionId", 400, "", body("{\"executionId\":\"\",\"activity\":\"task.execution\"}")),
                bad("executionId of 129 characters", 400, "1-128 characters", body("{\"executionId\":\"" + "x".repeat(129) + "\",\"activity\":\"task.execution\"}")),
                bad("executionId with a space", 400, "1-128 characters", body("{\"executionId\":\"run 1\",\"activity\":\"task.execution\"}")),
                bad("executionId with #", 400, "1-128 characters", body("{\"executionId\":\"run#1\",\"activity\":\"task.execution\"}")),
                bad("executionId with /", 400, "1-128 characters", body("{\"executionId\":\"run/1\",\"activity\":\"task.execution\"}")),
                bad("executionId non-ASCII", 400, "1-128 characters", body("{\"executionId\":\"rün-1\",\"activity\":\"task.execution\"}")),
                bad("executionId a number", 400, "'executionId' has the wrong type", body("{\"executionId\":42,\"activity\":\"task.execution\"}")),
                bad("executionId an array", 400, "'executionId' has the wrong type", body("{\"executionId\":[\"run-1\"],\"activity\":\"task.execution\"}")),
                bad("missing activity", 400, "activity is required", body("{\"executionId\":\"run-1\"}")),
                bad("unknown activity", 400, "unknown activity 'case.unknown'", body("{\"executionId\":\"run-1\",\"activity\":\"case.unknown\"}")),
                bad("activity in other case", 400, "unknown activity", body("{\"executionId\":\"run-1\",\"activity\":\"TASK.EXECUTION\"}")),
                bad("activity a number", 400, "'activity' has the wrong type", body("{\"executionId\":\"run-1\",\"activity\":1}")),
                bad("activity a boolean", 400, "'activity' has the wrong type", body("{\"executionId\":\"run-1\",\"activity\":true}")),
                bad("activity an object", 400, "'activity' has the wrong type", body("{\"executionId\":\"run-1\",\"activity\":{\"key\":\"task.execution\"}}")),
                bad("empty activity", 400, "", body("{\"executionId\":\"run-1\",\"activity\":\"\"}")),
                bad("occurredAt not a date", 400, "ISO-8601", body("{" + ok + ",\"occurredAt\":\"yesterday\"}")),
                bad("occurredAt without offset", 400, "ISO-8601", body("{" + ok + ",\"occurredAt\":\"2026-11-25T10:00:00\"}")),
                bad("occurredAt date only", 400, "ISO-8601", body("{" + ok + ",\"occurredAt\":\"2026-11-25\"}")),
                bad("occurredAt epoch number", 400, "'occurredAt' has the wrong type", body("{" + ok + ",\"occurredAt\":1764064800}")),
                bad("occurredAt impossible date", 400, "ISO-8601", body("{" + ok + ",\"occurredAt\":\"2026-02-30T00:00:00Z\"}")),
                bad("occurredAt 6 minutes ahead", 400, "at most 5 minutes in the future", body("{" + ok + ",\"occurredAt\":\"2026-11-25T10:06:00Z\"}")),
                bad("occurredAt two periods back", 400, "start of the previous period", body("{" + ok + ",\"occurredAt\":\"2026-09-30T23:59:59Z\"}")),
                bad("occurredAt empty", 400, "", body("{" + ok + ",\"occurredAt\":\"\"}")),
                bad("body over 16 KB", 413, "at most 16384 bytes", body("{" + ok + ",\"pad\":\"" + "x".repeat(16_400) + "\"}")),
                bad("invalid base64", 400, "not valid base64", event -> {
                    event.setBody("%%%not-base64%%%");
                    event.setIsBase64Encoded(true);
                }),
                bad("base64 of an unknown field", 400, "unknown field 'extra'", event -> {
                    event.setBody(Base64.getEncoder().encodeToString(("{" + ok + ",\"extra\":1}").getBytes(StandardCharsets.UTF_8)));
                    event.setIsBase64Encoded(true);
                }),
                bad("text/plain body", 415, "application/json", event -> {
                    Map<String, String> headers = new HashMap<>(event.getHeaders());
                    headers.put("content-type", "text/plain");
                    event.setHeaders(headers);
                }),
                bad("a body without Content-Type", 415, "the request has no Content-Type", event -> {
                    Map<String, String> headers = new HashMap<>(event.getHeaders());
                    headers.remove("content-type");
                    event.setHeaders(headers);
                }),
                bad("workspaceId of dots only", 400, "must not be only dots", path("..")),
                bad("workspaceId with #", 400, "workspaceId must be", path("ws#1")),
                bad("workspaceId too long", 400, "workspaceId must be", path("w".repeat(65))),
                bad("unknown workspace", 404, "does not exist", path("ws-nobody")),
                bad("no authorizer claims", 401, "bearer token", event -> event.getRequestContext().setAuthorizer(null)),
                bad("admin scope only", 403, "credits/record", event -> {
                    var jwt = event.getRequestContext().getAuthorizer().getJwt();
                    jwt.setScopes(List.of("credits/admin"));
                    jwt.setClaims(Map.of("sub", "admin-client", "scope", "credits/admin"));
                }),
                bad("case activity without Cases", 403, "Cases", event -> {
                    event.setBody("{\"executionId\":\"run-1\",\"activity\":\"case.conversation\"}");
                    event.setPathParameters(Map.of("workspaceId", "ws-strict-nocases"));
                }));
    }

    @BeforeAll
    void workspaceWithoutCasesEnabled() {
        api.workspace("ws-strict-nocases", "DEV", Map.of("casesEnabled", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isRefusedClearlyAndWritesNothing(String description, int status, String message, Consumer<APIGatewayV2HTTPEvent> change) {
        long items = api.table.itemCount();
        APIGatewayV2HTTPEvent event = ApiEvents.load("record-execution.json", WS,
                "{\"executionId\":\"run-1\",\"activity\":\"task.execution\"}");
        change.accept(event);

        DebitFixture.Response response = DebitFixture.send(api.handler, event);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank().contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(api.table.itemCount()).isEqualTo(items);
    }

    @org.junit.jupiter.api.AfterAll
    void theTableHoldsOnlyTheWorkspaces() {
        assertThat(api.table.itemCount()).isEqualTo(itemsBefore + 1);
    }

    private static Arguments bad(String description, int status, String message, Consumer<APIGatewayV2HTTPEvent> change) {
        return Arguments.of(description, status, message, change);
    }

    private static Consumer<APIGatewayV2HTTPEvent> body(String body) {
        return event -> event.setBody(body);
    }

    private static Consumer<APIGatewayV2HTTPEvent> path(String workspaceId) {
        return event -> event.setPathParameters(Map.of("workspaceId", workspaceId));
    }
}
