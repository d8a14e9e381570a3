package com.aicredits.system.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.json.Json;
import com.aicredits.local.QuickStart;
import com.aicredits.system.stack.LaunchedStack;
import com.aicredits.testkit.OpenApiContract;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's quick start, run as a newcomer runs it: the checkout copied to a fresh folder (what git would clone, with
 * the working tree's changes: no target/, .local/ or node_modules/), {@code make run} there exactly as the README
 * writes it (on a free port through {@code PORT}, as the README says), each example of the README as the stack
 * printed it, each answer checked, then SIGINT to {@code make run}'s process group as a terminal's Ctrl-C sends it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickStartIntegrationTest {
    /** A fresh copy compiles the whole reactor first: minutes on a busy 2-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(8);
    private static final Path ROOT = CloudFormationTemplate.find().toAbsolutePath().getParent();

    /** What each example of the README must answer, found by what its command asks for. */
    private record Expected(String request, int status, BiConsumer<String, JsonNode> check) {
    }

    private static final List<Expected> EXPECTED = List.of(
            new Expected("/_local/token?role=", 200, (command, body) -> assertThat(body.get("token").asText()).contains(".")),
            new Expected("-X POST http://127.0.0.1:PORT/v1/workspaces/ws-demo-soc/executions", 201, (command, body) -> {
                assertThat(body.get("executionId").asText()).isEqualTo("try-1");
                assertThat(body.get("activity").asText()).isEqualTo("case.investigation");
                assertThat(body.get("creditsConsumed").asLong()).isEqualTo(12);
                assertThat(body.get("creditsRemaining").asLong())
                        .isEqualTo(body.get("creditsAllocated").asLong() - body.get("creditsUsed").asLong());
                assertThat(body.get("sequence").asLong()).isPositive();
            }),
            new Expected("/v1/workspaces/ws-demo-soc/usage ", 200, (command, body) -> {
                assertThat(body.get("workspaceId").asText()).isEqualTo("ws-demo-soc");
                assertThat(body.get("creditsAllocated").asLong()).isEqualTo(2_000);
                assertThat(body.get("byFeature").get("CASE_INVESTIGATION").asLong()).isGreaterThanOrEqualTo(12);
                assertThat(body.get("daily").size()).isPositive();
            }),
            new Expected("/v1/workspaces/ws-demo-soc -H", 200, (command, body) -> {
                assertThat(body.get("workspaceId").asText()).isEqualTo("ws-demo-soc");
                assertThat(body.get("name").asText()).isEqualTo("Acme SOC");
                assertThat(body.get("organizationId").asText()).isEqualTo("org-demo");
            }));

    @TempDir
    static Path scratch;
    /** One fresh copy for the class: the first make run compiles it, the taken-port run finds it compiled. */
    private static Path checkout;

    @BeforeAll
    static void copyTheCheckout() throws Exception {
        checkout = freshCopy(scratch.resolve("aicredits"));
    }

    @Test
    @Order(1)
    void theQuickStartWorksFromAFreshCopyAndCtrlCLeavesNothingRunning() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> commands = commands(QuickStart.block(readme, QuickStart.COMMANDS));
        List<String> examples = commands(QuickStart.block(readme, QuickStart.EXAMPLES));
        assertThat(commands).as("the quick start's commands").contains("make run");
        int port = LaunchedStack.freePort();

        Started run = null;
        for (String command : commands) {
            if (command.equals("make run")) {
                run = Started.inItsOwnProcessGroup(checkout, command, port);
            } else {
                assertThat(shell(checkout, command, port, scratch).exitCode).as(command).isZero();
            }
        }
        try {
            String banner = run.awaitBanner();
            String printed = String.join("\n", QuickStart.block(readme, QuickStart.EXAMPLES)).replace("127.0.0.1:" + QuickStart.README_PORT, "127.0.0.1:" + port);
            assertThat(banner).as("make run prints the README's examples for its port")
                    .contains(printed.indent(2).stripTrailing());

            List<Answer> answers = runExamples(checkout, examples, port, scratch);
            for (int i = 0; i < examples.size(); i++) {
                String command = examples.get(i).replace(":" + QuickStart.README_PORT + "/", ":PORT/");
                Answer answer = answers.get(i);
                Expected expected = EXPECTED.stream().filter(e -> command.contains(e.request())).findFirst()
                        .orElseThrow(() -> new AssertionError("no expected answer for the README example " + command
                                + "; add one to QuickStartIntegrationTest.EXPECTED"));
                assertThat(answer.statuses).as("HTTP status of: " + command).containsExactly(expected.status());
                JsonNode body = command.contains("=$(") ? Json.MAPPER.createObjectNode().put("token", answer.assigned)
                        : Json.MAPPER.readTree(answer.stdout);
                expected.check().accept(command, body);
                checkAgainstTheContract(command, answer);
            }
        } finally {
            run.interruptAndAssertNothingIsLeft(port);
        }
    }

    /** A README example of the API keeps openapi.yaml's contract (curl prints no headers: the type is taken as JSON). */
    private static void checkAgainstTheContract(String command, Answer answer) {
        Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:PORT(/v1/[^ '\"?]*)").matcher(command);
        if (!url.find()) {
            return;
        }
        Matcher data = Pattern.compile("-d '([^']*)'").matcher(command);
        String method = command.contains("-X POST") ? "POST" : command.contains("-X PUT") ? "PUT" : "GET";
        OpenApiContract contract = OpenApiContract.load();
        OpenApiContract.PathMatch path = contract.matchPath(url.group(1))
                .orElseThrow(() -> new AssertionError("the README example's path is not in openapi.yaml: " + command));
        contract.check(new OpenApiContract.Exchange(method, path.pathTemplate(), path.pathParameters(), Map.of(),
                Map.of("content-type", "application/json"), data.find() ? data.group(1) : null, false,
                answer.statuses.getFirst(), Map.of("content-type", "application/json"), answer.stdout));
    }

    @Test
    @Order(2)
    void makeRunOnATakenPortSaysWhichAndHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Shell result = shell(checkout, "make run", taken.getLocalPort(), scratch);

            assertThat(result.exitCode).isNotZero();
            assertThat(result.output).contains("port " + taken.getLocalPort()).contains("PORT=");
        }
    }

    /**
     * README's "make dynamodb" block, run as written in the fresh copy (on a free port through {@code PORT}, as the
     * README says): the engine alone answers a real SDK client on the endpoint it printed, and Ctrl-C ends it.
     */
    @Test
    @Order(3)
    void makeDynamodbServesTheEngineAloneOnTheEndpointItPrints() throws Exception {
        List<String> commands = commands(QuickStart.block(Files.readString(ROOT.resolve("README.md")), "dynamodb:commands"));
        assertThat(commands).as("the README's make dynamodb block").containsExactly("make dynamodb");
        int port = LaunchedStack.freePort();
        Started engine = Started.inItsOwnProcessGroup(checkout, commands.getFirst(), port, "DynamoDB engine listening on");
        try {
            String endpoint = "http://127.0.0.1:" + port;
            assertThat(engine.awaitBanner()).contains("DynamoDB engine listening on " + endpoint + " (in memory)");
            try (software.amazon.awssdk.services.dynamodb.DynamoDbClient client = software.amazon.awssdk.services.dynamodb.DynamoDbClient
                    .builder().endpointOverride(java.net.URI.create(endpoint)).region(com.aicredits.testkit.LocalDynamoDb.REGION)
                    .credentialsProvider(com.aicredits.testkit.LocalDynamoDb.CREDENTIALS)
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
                assertThat(client.listTables().tableNames()).isEmpty();
                client.createTable(com.aicredits.emulation.template.TemplateTable.createTableRequest(CloudFormationTemplate.load(
                        ROOT.resolve(CloudFormationTemplate.FILE_NAME)), com.aicredits.testkit.LocalDynamoDb.TABLE_LOGICAL_ID, "readme"));
                assertThat(client.listTables().tableNames()).containsExactly("readme");
            }
        } finally {
            engine.interruptAndAssertNothingIsLeft(port);
        }
    }

    @Test
    void everyMakeTargetTheReadmeListsExists() throws IOException {
        String makefile = Files.readString(ROOT.resolve("Makefile"));
        Matcher row = Pattern.compile("(?m)^\\| `make ([a-z-]+)` \\|").matcher(Files.readString(ROOT.resolve("README.md")));
        int rows = 0;
        while (row.find()) {
            rows++;
            assertThat(makefile).as("make " + row.group(1)).containsPattern("(?m)^" + Pattern.quote(row.group(1)) + ":");
        }
        assertThat(rows).isGreaterThanOrEqualTo(5);
    }

    /** The block's commands: comments dropped, continuation lines joined as the shell joins them. */
    static List<String> commands(List<String> block) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block) {
            String text = current.isEmpty() ? line.replaceFirst("\\s+#.*$", "").strip() : line;
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.endsWith("\\")) {
                current.append(text, 0, text.length() - 1);
                continue;
            }
            current.append(text);
            commands.add(current.toString().strip());
            current.setLength(0);
        }
        return commands;
    }

    /** The checkout as a clone of it would be, with the working tree's changes: tracked and untracked, not ignored. */
    private static Path freshCopy(Path target) throws Exception {
        Process list = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(ROOT.toFile()).start();
        String[] files = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\0");
        assertThat(list.waitFor()).isZero();
        for (String file : files) {
            Path source = ROOT.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(source)) {
                continue; // deleted in the working tree
            }
            Path copy = target.resolve(file);
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return target;
    }

    private record Shell(int exitCode, String output) {
    }

    private static Shell shell(Path directory, String command, int port, Path scratch) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(directory.toFile()).redirectErrorStream(true);
        asAUsersShell(builder, port);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
        assertThat(process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(command + " ends").isTrue();
        return new Shell(process.exitValue(), output.get());
    }

    /** A terminal's environment, with PORT set as the README says: nothing of the make that runs this test. */
    private static void asAUsersShell(ProcessBuilder builder, int port) {
        for (String inherited : List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "AICREDITS_LOCAL_DIR", "AICREDITS_CLOCK_START")) {
            builder.environment().remove(inherited);
        }
        builder.environment().put("PORT", Integer.toString(port));
    }

    private record Answer(String stdout, List<Integer> statuses, String assigned) {
    }

    /**
     * Runs the examples in one shell, as a user pastes them, and splits what each printed. A {@code curl} first on
     * the PATH runs the real one with {@code --write-out} to stderr, so each request's status is known without
     * changing what the commands see on stdout.
     */
    private static List<Answer> runExamples(Path directory, List<String> examples, int port, Path scratch) throws Exception {
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path curl = bin.resolve("curl");
        Files.writeString(curl, "#!/bin/sh\nexec /usr/bin/curl --write-out '%{stderr}@status %{http_code}\\n' \"$@\"\n");
        Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < examples.size(); i++) {
            String example = examples.get(i).replace("127.0.0.1:" + QuickStart.README_PORT, "127.0.0.1:" + port);
            script.append(example).append('\n');
            Matcher assignment = Pattern.compile("^([A-Z_]+)=\\$\\(").matcher(example);
            script.append("echo; echo \"@assigned ").append(assignment.find() ? "$" + assignment.group(1) : "").append("\"\n");
            script.append("echo \"@end ").append(i).append("\"; echo \"@end ").append(i).append("\" >&2\n");
        }
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script.toString()).directory(directory.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> new String(readBytes(process.getErrorStream()), StandardCharsets.UTF_8));
        String stdout = readAll(process);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String[] outputs = stdout.split("@end \\d+\n", -1);
        String[] errors = stderr.get().split("@end \\d+\n", -1);
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            String out = outputs[i];
            int marker = out.lastIndexOf("\n@assigned ");
            String assigned = out.substring(marker + "\n@assigned ".length()).strip();
            List<Integer> statuses = new ArrayList<>();
            Matcher status = Pattern.compile("@status (\\d+)").matcher(errors[i]);
            while (status.find()) {
                statuses.add(Integer.parseInt(status.group(1)));
            }
            answers.add(new Answer(out.substring(0, marker).strip(), statuses, assigned));
        }
        return answers;
    }

    /** {@code make run} in a session and process group of its own, as a terminal starts a foreground job. */
    /** Whether this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask); false where there is no /proc. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:")).findFirst()
                .map(line -> (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & (1L << 1)) != 0)
                .orElse(false);
    }

    private static final class Started {
        private final Process process;
        private final StringBuffer output = new StringBuffer();
        private final CompletableFuture<Boolean> ready = new CompletableFuture<>();

        private Started(Process process, String readyLine) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        output.append(line).append('\n');
                        if (line.contains(readyLine)) {
                            ready.complete(true);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.complete(false);
            });
        }

        static Started inItsOwnProcessGroup(Path directory, String command, int port) throws IOException {
            return inItsOwnProcessGroup(directory, command, port, "Ctrl-C stops everything");
        }

        static Started inItsOwnProcessGroup(Path directory, String command, int port, String readyLine) throws IOException {
            assertThat(sigintIgnored())
                    .as("SIGINT is ignored in this test's JVM, and so in every process it starts: the build was started in the"
                            + " background by a non-interactive shell (`cmd &` in a script ignores SIGINT for the job), so the"
                            + " Ctrl-C check cannot work. Run it in the foreground, or reset SIGINT to its default first")
                    .isFalse();
            // setsid: the new process leads its own group, so its pid is the group's id, as for a shell's job.
            ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c", command).directory(directory.toFile())
                    .redirectErrorStream(true);
            asAUsersShell(builder, port);
            return new Started(builder.start(), readyLine);
        }

        String awaitBanner() throws Exception {
            boolean started;
            try {
                started = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                started = false;
            }
            assertThat(started).as("make run never said it was ready:\n" + output).isTrue();
            return output.toString();
        }

        void interruptAndAssertNothingIsLeft(int port) throws Exception {
            long group = process.pid();
            List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
            family.add(process.toHandle());
            new ProcessBuilder("kill", "-INT", "--", "-" + group).inheritIO().start().waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && (family.stream().anyMatch(ProcessHandle::isAlive) || !free(port))) {
                Thread.sleep(100);
            }
            List<Long> alive = family.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
            family.forEach(ProcessHandle::destroyForcibly);
            assertThat(alive).as("processes of make run left 10 s after Ctrl-C; its output:\n" + output).isEmpty();
            Process inGroup = new ProcessBuilder("pgrep", "-g", Long.toString(group)).start();
            assertThat(new String(inGroup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                    .as("processes still in make run's group").isEmpty();
            assertThat(free(port)).as("port " + port + " is free again").isTrue();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static String readAll(Process process) {
        return new String(readBytes(process.getInputStream()), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(java.io.InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
