package com.aicredits.local.ses;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.local.node.NodeProcesses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SES v2 emulator of the local stack and the tests: the npm package {@code aws-ses-v2-local}, pinned by
 * {@code local/ses/package-lock.json}, run as a child {@code node} process on 127.0.0.1 (it binds every interface
 * unless told otherwise). It keeps every sent email in memory; {@link #emailsJson()} reads them back.
 *
 * <p>The first start installs the package itself ({@code npm ci}), so nothing is set up by hand beyond Node.js
 * and npm. The child's output goes to this JVM's standard output, each line prefixed with {@code [ses-emulator]}.
 * The child never outlives us: {@link #close()} and a shutdown hook kill it, and, should this JVM die without
 * running its hooks (kill -9), the child exits by itself when its standard input (our pipe) closes.
 */
public final class SesEmulator implements AutoCloseable {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final String PACKAGE = "aws-ses-v2-local";
    private static final String LOG_PREFIX = "[ses-emulator] ";
    /** The package's CLI prints this once listening; with --port 0 it is how we learn the port. */
    private static final Pattern LISTENING = Pattern.compile("server running at \\S*:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SesEmulator shared;

    private final Process process;
    private final OutputStream stdin;
    private final URI endpoint;
    private final HttpClient http;
    private final Thread shutdownHook;
    private boolean closed;

    private SesEmulator(Process process, URI endpoint, HttpClient http) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.endpoint = endpoint;
        this.http = http;
        this.shutdownHook = new Thread(this::close, "ses-emulator-stop");
    }

    /**
     * Starts the emulator installed in {@code sesDirectory} (the folder of package.json) on 127.0.0.1:{@code port};
     * 0 lets the emulator pick a free port, read back from its output (no race with other processes).
     * Runs {@code npm ci} first when the package is missing or the lockfile changed since the last install.
     */
    public static SesEmulator start(Path sesDirectory, int port) {
        Path directory = sesDirectory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(directory.resolve("package-lock.json"))) {
            throw new IllegalStateException("no package-lock.json in " + directory + ": not the SES emulator's folder (local/ses)");
        }
        checkNode();
        NodeProcesses.installIfNeeded(directory, PACKAGE, LOG_PREFIX, "the SES emulator");

        Path cli = directory.resolve("node_modules").resolve(PACKAGE).resolve("dist").resolve("cli.js");
        // A tiny wrapper around the package's CLI: exit when our pipe closes, i.e. when this JVM is gone,
        // however it went. process.argv[1] is the CLI, so the CLI's own argument parsing (argv from index 2) holds.
        String wrapper = "process.stdin.on('end',()=>process.exit(0));process.stdin.on('error',()=>process.exit(0));"
                + "process.stdin.resume();require(process.argv[1]);";
        ProcessBuilder builder = new ProcessBuilder("node", "-e", wrapper, cli.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port))
                .directory(directory.toFile())
                .redirectErrorStream(true);
        // With SMTP_TRANSPORT set, the emulator also relays every email to that SMTP server: never from here.
        builder.environment().remove("SMTP_TRANSPORT");

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the SES emulator (node): " + e.getMessage(), e);
        }
        NodeProcesses.OutputTail tail = new NodeProcesses.OutputTail();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        NodeProcesses.pump(process.getInputStream(), line -> {
            tail.add(line);
            System.out.println(LOG_PREFIX + line);
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                listening.complete(Integer.parseInt(matcher.group(1)));
            }
        }, "ses-emulator-output");

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        SesEmulator emulator = null;
        try {
            int actualPort = awaitPort(process, listening, deadline, tail, port);
            emulator = new SesEmulator(process, URI.create("http://127.0.0.1:" + actualPort), http);
            Runtime.getRuntime().addShutdownHook(emulator.shutdownHook);
            emulator.awaitHealthy(deadline, tail);
            return emulator;
        } catch (RuntimeException e) {
            if (emulator != null) {
                emulator.close();
            } else {
                NodeProcesses.killTree(process);
            }
            throw e;
        }
    }

    /** The one emulator this JVM's tests share, started on first use and stopped when the JVM exits. */
    public static synchronized SesEmulator shared() {
        if (shared == null || shared.closed) {
            shared = start(defaultDirectory(), 0);
        }
        return shared;
    }

    /** {@code local/ses} of this repository: found from the folder holding template.yaml, up from the working directory. */
    public static Path defaultDirectory() {
        return CloudFormationTemplate.find().getParent().resolve("local").resolve("ses");
    }

    /** Where SES v2 clients send to: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Every email sent since start (or the last {@link #clear()}), as {@code {"emails": [...]}}: the emulator's
     * own records, passed through unchanged (messageId, from, replyTo, destination.to/cc/bcc, subject,
     * body.text/html, attachments, headers, at in epoch seconds; a body part never sent is absent).
     */
    public String emailsJson() {
        JsonNode store = readJson(get("/store"), "/store");
        JsonNode emails = store.get("emails");
        if (emails == null || !emails.isArray()) {
            throw new IllegalStateException("the SES emulator's /store has no \"emails\" array: " + store);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("emails", emails);
        return answer.toString();
    }

    /** Forgets every stored email (and, the emulator's own rule, every email template). */
    public void clear() {
        send(HttpRequest.newBuilder(endpoint.resolve("/clear-store")).POST(HttpRequest.BodyPublishers.noBody()), "/clear-store");
    }

    /** The child process, for tests that check it is gone after {@link #close()}. */
    ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** Stops the emulator and anything it started; safe to call twice, and from the shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are the hook, or the JVM is exiting anyway
        }
        try {
            stdin.close(); // the wrapper's cue to exit on its own
        } catch (IOException ignored) {
            // the kill below does it anyway
        }
        NodeProcesses.killTree(process);
        http.shutdownNow();
    }

    private static int awaitPort(Process process, CompletableFuture<Integer> listening, long deadline, NodeProcesses.OutputTail tail,
                                 int requestedPort) {
        while (System.nanoTime() < deadline) {
            try {
                return listening.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                if (!process.isAlive()) {
                    String hint = requestedPort != 0 ? " (is port " + requestedPort + " already in use?)" : "";
                    throw new IllegalStateException("the SES emulator exited with status " + process.exitValue()
                            + " before listening" + hint + "; its output:\n" + tail.text());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the SES emulator", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        throw new IllegalStateException("the SES emulator did not start listening within " + STARTUP_TIMEOUT.toSeconds()
                + " s; its output:\n" + tail.text());
    }

    /** The CLI says it listens; we still wait for an HTTP answer from that port before handing it out. */
    private void awaitHealthy(long deadline, NodeProcesses.OutputTail tail) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/health-check")).timeout(Duration.ofSeconds(2)).GET().build();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the SES emulator", e);
            }
            if (!process.isAlive()) {
                break;
            }
            sleep(100);
        }
        throw new IllegalStateException("the SES emulator at " + endpoint + " did not answer /health-check within "
                + STARTUP_TIMEOUT.toSeconds() + " s (" + lastProblem + "); its output:\n" + tail.text());
    }

    private String get(String path) {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).GET(), path);
    }

    private String send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the SES emulator answered " + what + " with HTTP " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the SES emulator at " + endpoint + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the SES emulator", e);
        }
    }

    private static JsonNode readJson(String body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the SES emulator's " + what + " is not JSON: " + body, e);
        }
    }

    /** Fails with how to get Node.js when {@code node} is missing or not one of {@link NodeProcesses#NODE_VERSIONS}. */
    static void checkNode() {
        String install = "The SES emulator of the local stack needs Node.js " + NodeProcesses.NODE_VERSIONS
                + " with npm on the PATH: install the current LTS from https://nodejs.org/en/download (or nvm install --lts;"
                + " Debian/Ubuntu's own nodejs package is often older: use NodeSource's).";
        List<String> output = new ArrayList<>();
        int status;
        try {
            status = NodeProcesses.run(List.of("node", "--version"), null, Duration.ofSeconds(20), output::add);
        } catch (IOException e) {
            throw new IllegalStateException("node is not installed (" + e.getMessage() + "). " + install, e);
        }
        String version = String.join("\n", output).trim();
        if (status != 0 || !nodeVersionSupported(version)) {
            throw new IllegalStateException("node --version says \"" + version + "\". " + install);
        }
    }

    /** {@code v20.19.0} style versions, checked against {@link NodeProcesses#NODE_VERSIONS}; anything unreadable fails. */
    static boolean nodeVersionSupported(String version) {
        Matcher matcher = Pattern.compile("^v?(\\d+)\\.(\\d+)").matcher(version.trim());
        if (!matcher.find()) {
            return false;
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return (major == 20 && minor >= 19) || (major == 22 && minor >= 12) || major >= 23;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the SES emulator", e);
        }
    }


}
