package com.aicredits.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private List<JsonNode> parsed() throws Exception {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : lines) {
            assertThat(line).doesNotContain("\n");
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void everyLineIsOneJsonObjectWithTheInvocationsKeysPresentEvenWhenUnknown() throws Exception {
        try (AutoCloseable capture = Log.capture(lines::add)) {
            Log.info("outside any invocation");
            try (Log.Scope scope = Log.invocation(null, "api-request-1")) {
                Log.info("started");
                Log.workspace("ws-1");
                Log.execution("run-1");
                Log.warn("about the execution", "period", "2026-11", "count", 3L, "detail", Map.of("a", List.of(1, 2)));
            }
            Log.info("after the invocation");
        }

        List<JsonNode> logged = parsed();
        assertThat(logged).hasSize(4).allSatisfy(line -> assertThat(line.fieldNames()).toIterable()
                .startsWith("timestamp", "level", "message", "requestId", "workspaceId", "executionId"));
        assertThat(logged.get(0).get("requestId").isNull()).isTrue();
        assertThat(logged.get(1).get("requestId").asText()).isEqualTo("api-request-1");
        assertThat(logged.get(1).get("workspaceId").isNull()).isTrue();
        JsonNode warning = logged.get(2);
        assertThat(warning.get("level").asText()).isEqualTo("WARN");
        assertThat(warning.get("workspaceId").asText()).isEqualTo("ws-1");
        assertThat(warning.get("executionId").asText()).isEqualTo("run-1");
        assertThat(warning.get("period").asText()).isEqualTo("2026-11");
        assertThat(warning.get("count").asLong()).isEqualTo(3);
        assertThat(warning.at("/detail/a/1").asInt()).isEqualTo(2);
        assertThat(logged.get(3).get("requestId").isNull()).isTrue();
    }

    @Test
    void aFieldNamedLikeAKeyOverridesItForThatLineAndAnErrorCarriesItsStackTraceOnTheSameLine() throws Exception {
        try (AutoCloseable capture = Log.capture(lines::add); Log.Scope scope = Log.invocation(null, "r-1")) {
            Log.workspace("ws-invocation");
            Log.warn("a worker's line", "workspaceId", "ws-other");
            Log.error("failed", new IllegalStateException("boom"));
        }

        List<JsonNode> logged = parsed();
        assertThat(logged.get(0).get("workspaceId").asText()).isEqualTo("ws-other");
        assertThat(logged.get(0).findValues("workspaceId")).hasSize(1);
        assertThat(logged.get(1).get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(logged.get(1).get("stackTrace").asText()).contains("boom").contains("LogTest");
        assertThat(logged.get(1).get("workspaceId").asText()).isEqualTo("ws-invocation");
    }

    @Test
    void threadsStartedDuringAnInvocationCarryItsKeys() throws Exception {
        try (AutoCloseable capture = Log.capture(lines::add); Log.Scope scope = Log.invocation(null, "r-2")) {
            Thread worker = Thread.ofPlatform().start(() -> Log.info("from a worker"));
            worker.join();
        }

        assertThat(parsed().getFirst().get("requestId").asText()).isEqualTo("r-2");
    }
}
