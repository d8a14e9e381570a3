package com.aicredits.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.testkit.CloudFormationTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the local stack as {@code make run} does (its own JVM, on its own port and data folder), records a debit
 * over HTTP with a dev token, stops it as Ctrl-C would, starts it again and finds everything still there.
 */
class LocalStackIntegrationTest {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void recordsADebitOverHttpAndKeepsItAcrossARestart(@TempDir Path data) throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        String firstBody;
        try (Running first = launch(data, port)) {
            assertThat(first.banner()).contains("ready in").contains("demo data").contains("Dev tokens");
            String admin = token(base, "admin");
            String service = token(base, "service");

            HttpResponse<String> created = send(base, "PUT", "/v1/workspaces/ws-restart", admin,
                    "{\"organizationId\":\"org-restart\",\"name\":\"Restart\",\"tier\":\"DEV\"}");
            HttpResponse<String> debit = send(base, "POST", "/v1/workspaces/ws-restart/executions", service,
                    "{\"executionId\":\"restart-1\",\"activity\":\"agent.execution\"}");
            HttpResponse<String> anonymous = send(base, "POST", "/v1/workspaces/ws-restart/executions", null, "{}");
            HttpResponse<String> wrongScope = send(base, "POST", "/v1/workspaces/ws-restart/executions", admin, "{}");
            HttpResponse<String> forged = send(base, "POST", "/v1/workspaces/ws-restart/executions", service + "x", "{}");
            HttpResponse<String> demo = send(base, "GET", "/v1/workspaces/ws-demo-soc", admin, null);

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(debit.statusCode()).as(debit.body()).isEqualTo(201);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(wrongScope.statusCode()).isEqualTo(403);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(demo.statusCode()).isEqualTo(200);
            firstBody = debit.body();
        }

        try (Running second = launch(data, port)) {
            assertThat(second.banner()).contains("ready in").doesNotContain("demo data");
            String service = token(base, "service");

            HttpResponse<String> replay = send(base, "POST", "/v1/workspaces/ws-restart/executions", service,
                    "{\"executionId\":\"restart-1\",\"activity\":\"agent.execution\"}");
            HttpResponse<String> next = send(base, "POST", "/v1/workspaces/ws-restart/executions", service,
                    "{\"executionId\":\"restart-2\",\"activity\":\"task.execution\"}");

            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(replay.body()).isEqualTo(firstBody);
            JsonNode record = Json.MAPPER.readTree(next.body());
            assertThat(record.get("sequence").asLong()).isEqualTo(2);
            assertThat(record.get("creditsUsed").asLong()).isEqualTo(7);
            String manager = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(
                    URI.create(base + "/_local/token?role=manager&org=org-restart")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("token").asText();
            JsonNode usage = Json.MAPPER.readTree(send(base, "GET", "/v1/workspaces/ws-restart/usage", manager, null).body());
            assertThat(usage.get("creditsUsed").asLong()).isEqualTo(7);
            assertThat(usage.get("byFeature").get("AI_AGENT").asLong()).isEqualTo(6);
        }
    }

    @Test
    void aTakenPortIsAClearError(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process process = command(data, taken.getLocalPort()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(output).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is taken");
        }
    }

    private String token(String base, String role) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/_local/token?role=" + role)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body()).get("token").asText();
    }

    private HttpResponse<String> send(String base, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A started stack; closing it sends SIGTERM (what Ctrl-C's shutdown does) and checks nothing is left behind. */
    private record Running(Process process, String banner, List<ProcessHandle> children) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the stack stops on SIGTERM").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("child %s left behind", child.pid()).isFalse();
            }
        }
    }

    private static Running launch(Path data, int port) throws Exception {
        Process process = command(data, port).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder banner = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    banner.append(line).append('\n');
                    if (line.contains("Ctrl-C stops everything")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean started;
        try {
            started = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            started = false;
        }
        if (!started) {
            process.destroyForcibly();
            throw new AssertionError("the local stack did not start:\n" + banner);
        }
        // Keep draining its output so it never blocks on a full pipe.
        Thread.ofVirtual().start(() -> {
            try {
                while (output.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return new Running(process, banner.toString(), process.descendants().toList());
    }

    private static ProcessBuilder command(Path data, int port) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                LocalStack.class.getName());
        builder.directory(CloudFormationTemplate.find().toAbsolutePath().getParent().toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("AICREDITS_LOCAL_DIR", data.toString());
        builder.redirectErrorStream(true);
        return builder;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
