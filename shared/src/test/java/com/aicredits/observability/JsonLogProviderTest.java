package com.aicredits.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The AWS SDK logs through SLF4J: its warnings and errors arrive as our JSON lines, nothing below WARN at all. */
class JsonLogProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sdkWarningsAndErrorsBecomeJsonLinesWithTheInvocationsKeysAndDebugAndInfoAreDropped() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.core.retry");

        try (AutoCloseable capture = Log.capture(lines::add); Log.Scope scope = Log.invocation(null, "r-1")) {
            Log.workspace("ws-1");
            sdk.debug("a debug line {}", 1);
            sdk.info("an info line");
            sdk.warn("retrying {} after {} ms", "PutItem", 25);
            sdk.error("gave up", new IllegalStateException("throttled"));
        }

        assertThat(sdk).isInstanceOf(JsonLogProvider.WarningsAsJson.class);
        assertThat(sdk.isInfoEnabled()).isFalse();
        assertThat(lines).hasSize(2);
        JsonNode warning = JSON.readTree(lines.get(0));
        assertThat(warning.get("level").asText()).isEqualTo("WARN");
        assertThat(warning.get("message").asText()).isEqualTo("retrying PutItem after 25 ms");
        assertThat(warning.get("logger").asText()).isEqualTo("software.amazon.awssdk.core.retry");
        assertThat(warning.get("requestId").asText()).isEqualTo("r-1");
        assertThat(warning.get("workspaceId").asText()).isEqualTo("ws-1");
        JsonNode error = JSON.readTree(lines.get(1));
        assertThat(error.get("level").asText()).isEqualTo("ERROR");
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    }
}
