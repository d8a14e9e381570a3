package com.aicredits.system.stack;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.json.Json;
import com.aicredits.local.DevStack;
import com.aicredits.testkit.ProductionSemantics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local stack started as {@code make run} starts it: its own JVM, on its own port and data folder, with demo data
 * on a first start. Closing it sends SIGTERM (what Ctrl-C's shutdown does) and checks nothing is left behind.
 */
public final class LaunchedStack implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180); // a busy 2-core machine writes the demo month slowly
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String banner;
    private final List<ProcessHandle> children;
    private final int port;

    private LaunchedStack(Process process, String banner, List<ProcessHandle> children, int port) {
        this.process = process;
        this.banner = banner;
        this.children = children;
        this.port = port;
    }

    /** Starts the stack and returns once its banner says it is ready. */
    public static LaunchedStack start(Path data, int port) throws Exception {
        return start(data, port, null);
    }

    /** Starts the stack with its clock at {@code clockStart} (null: the machine's own). */
    public static LaunchedStack start(Path data, int port, Instant clockStart) throws Exception {
        return start(data, port, clockStart, java.util.Map.of());
    }

    /** ... and with {@code environment} added to the stack's (a short token lifetime, say). */
    public static LaunchedStack start(Path data, int port, Instant clockStart, java.util.Map<String, String> environment) throws Exception {
        ProcessBuilder command = command(data, port);
        command.environment().putAll(environment);
        if (clockStart != null) {
            command.environment().put(DevStack.CLOCK_START, clockStart.toString());
        }
        Process process = command.start();
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
        } catch (TimeoutException e) {
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
        return new LaunchedStack(process, banner.toString(), process.descendants().toList(), port);
    }

    public static ProcessBuilder command(Path data, int port) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath));
        // A run under production semantics plays them in the launched stack too: its engine starts in production mode.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(ProductionSemantics.PROPERTY_PREFIX))
                .sorted().forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add(DevStack.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(CloudFormationTemplate.find().toAbsolutePath().getParent().toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("AICREDITS_LOCAL_DIR", data.toString());
        builder.redirectErrorStream(true);
        return builder;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String banner() {
        return banner;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A dev token from {@code /_local/token}; {@code organization} only for a manager. */
    public String token(String role, String organization) throws Exception {
        String query = "role=" + role + (organization == null ? "" : "&org=" + URLEncoder.encode(organization, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/_local/token?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body()).get("token").asText();
    }

    public HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

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
