package com.aicredits.system.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the local stack as {@code make run} does (its own JVM, on its own port and data folder), records a debit
 * over HTTP with a dev token, stops it as Ctrl-C would, starts it again and finds everything still there.
 */
class DevStackIntegrationTest {
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
    void aClassMissingFromTheBuildStopsEverythingWithOneLine(@TempDir Path data) throws Exception {
        ProcessBuilder command = LaunchedStack.command(data, LaunchedStack.freePort());
        List<String> arguments = new ArrayList<>(command.command());
        int classpath = arguments.indexOf("-cp") + 1;
        arguments.set(classpath, Arrays.stream(arguments.get(classpath).split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("nimbus-jose-jwt")).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.command(arguments);

        Failed failed = Failed.run(command);

        assertThat(failed.output).contains("make run: the local stack did not start: class com.nimbusds.")
                .contains("missing from the classpath").contains("make clean");
        assertThat(failed.seenChildren).as("the SES emulator had started").isNotEmpty();
    }

    @Test
    void noNodeOnThePathStopsTheDynamoDbEngineToo(@TempDir Path data) throws Exception {
        ProcessBuilder command = LaunchedStack.command(data, LaunchedStack.freePort());
        command.environment().put("PATH", "/nonexistent");

        Failed failed = Failed.run(command);

        assertThat(failed.output).contains("make run: the local stack did not start: ").contains("Node.js");
    }

    @Test
    void aSecondStackOnTheSameDataIsRefusedAtOnceSayingSo(@TempDir Path data) throws Exception {
        try (LaunchedStack first = LaunchedStack.start(data, LaunchedStack.freePort())) {
            // A second `make run` of the same checkout, on another PORT: same .local/, so it must not start.
            long started = System.nanoTime();
            Failed second = Failed.run(LaunchedStack.command(data, LaunchedStack.freePort()));

            assertThat(second.output).contains("make run: the local stack did not start: another local stack already runs"
                    + " on this checkout's data").contains("pid ").contains("one `make run` per checkout").contains("AICREDITS_LOCAL_DIR");
            assertThat(second.seenChildren).as("nothing started before the refusal (the SES emulator starts after the engine)").isEmpty();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));

            // The first one is untouched: it still records debits.
            HttpResponse<String> debit = first.send("POST", "/v1/workspaces/ws-demo-soc/executions", first.token("service", null),
                    "{\"executionId\":\"second-stack-1\",\"activity\":\"case.investigation\"}");
            assertThat(debit.statusCode()).as(debit.body()).isEqualTo(201);
        }
    }

    /** A start that fails: it must exit non-zero within seconds, every child it started gone with it. */
    private record Failed(String output, List<ProcessHandle> seenChildren) {
        static Failed run(ProcessBuilder command) throws Exception {
            Process process = command.start();
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            java.util.Set<ProcessHandle> children = new java.util.HashSet<>();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (process.isAlive() && System.nanoTime() < deadline) {
                process.descendants().forEach(children::add);
                Thread.sleep(50);
            }
            assertThat(process.waitFor(1, TimeUnit.SECONDS)).as("the stack exits after a failed start").isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            for (ProcessHandle child : children) {
                child.onExit().get(5, TimeUnit.SECONDS);
            }
            String text = output.get(5, TimeUnit.SECONDS);
            assertThat(text.lines().filter(line -> line.startsWith("make run:")).count()).as(text).isEqualTo(1);
            assertThat(text).as("no stack trace").doesNotContain("\tat ");
            return new Failed(text, List.copyOf(children));
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
