package com.aicredits.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the local stack as {@code make run} does (its own JVM, on its own port and data folder), records a debit
 * over HTTP with a dev token, stops it as Ctrl-C would, starts it again and finds everything still there.
 */
class LocalStackIntegrationTest {
    @Test
    void recordsADebitOverHttpAndKeepsItAcrossARestart(@TempDir Path data) throws Exception {
        int port = LaunchedStack.freePort();
        String firstBody;
        try (LaunchedStack first = LaunchedStack.start(data, port)) {
            assertThat(first.banner()).contains("ready in").contains("demo data").contains("Dev tokens");
            String admin = first.token("admin", null);
            String service = first.token("service", null);

            HttpResponse<String> created = first.send("PUT", "/v1/workspaces/ws-restart", admin,
                    "{\"organizationId\":\"org-restart\",\"name\":\"Restart\",\"tier\":\"DEV\"}");
            HttpResponse<String> debit = first.send("POST", "/v1/workspaces/ws-restart/executions", service,
                    "{\"executionId\":\"restart-1\",\"activity\":\"agent.execution\"}");
            HttpResponse<String> anonymous = first.send("POST", "/v1/workspaces/ws-restart/executions", null, "{}");
            HttpResponse<String> wrongScope = first.send("POST", "/v1/workspaces/ws-restart/executions", admin, "{}");
            HttpResponse<String> forged = first.send("POST", "/v1/workspaces/ws-restart/executions", service + "x", "{}");
            HttpResponse<String> demo = first.send("GET", "/v1/workspaces/ws-demo-soc", admin, null);

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(debit.statusCode()).as(debit.body()).isEqualTo(201);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(wrongScope.statusCode()).isEqualTo(403);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(demo.statusCode()).isEqualTo(200);
            firstBody = debit.body();
        }

        try (LaunchedStack second = LaunchedStack.start(data, port)) {
            assertThat(second.banner()).contains("ready in").doesNotContain("demo data");
            String service = second.token("service", null);

            HttpResponse<String> replay = second.send("POST", "/v1/workspaces/ws-restart/executions", service,
                    "{\"executionId\":\"restart-1\",\"activity\":\"agent.execution\"}");
            HttpResponse<String> next = second.send("POST", "/v1/workspaces/ws-restart/executions", service,
                    "{\"executionId\":\"restart-2\",\"activity\":\"task.execution\"}");

            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(replay.body()).isEqualTo(firstBody);
            JsonNode record = Json.MAPPER.readTree(next.body());
            assertThat(record.get("sequence").asLong()).isEqualTo(2);
            assertThat(record.get("creditsUsed").asLong()).isEqualTo(7);
            String manager = second.token("manager", "org-restart");
            JsonNode usage = Json.MAPPER.readTree(second.send("GET", "/v1/workspaces/ws-restart/usage", manager, null).body());
            assertThat(usage.get("creditsUsed").asLong()).isEqualTo(7);
            assertThat(usage.get("byFeature").get("AI_AGENT").asLong()).isEqualTo(6);
        }
    }

    @Test
    void aTakenPortIsAClearError(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process process = LaunchedStack.command(data, taken.getLocalPort()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(output).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is taken");
        }
    }
}
