package com.aicredits.local.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The Node.js side of the local stack: the npm packages our folders pin with a lockfile (local/ses, the SES emulator;
 * local/overview-vendor, the page's OIDC client), installed with {@code npm ci} when needed, and the child processes
 * it runs (a command to its end with a timeout, a process tree stopped).
 */
public final class NodeProcesses {
    /**
     * The Node.js versions the emulator runs on: its CLI require()s yargs 18, an ES module, which needs
     * require(esm) unflagged, i.e. 20.19+, 22.12+ or 23+ (yargs' own engines); 21.x and 22.0-22.11 fail at startup.
     */
    public static final String NODE_VERSIONS = "20.19+ or 22.12+";
    public static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);

    private NodeProcesses() {
    }

    /**
     * {@code npm ci} unless node_modules holds the package and npm's record of the install
     * (node_modules/.package-lock.json) is at least as new as package-lock.json. A file lock keeps two JVMs
     * (make run and make test, parallel builds) from installing into the same folder at once.
     */
    public static void installIfNeeded(Path directory, String packageName, String logPrefix, String what) {
        synchronized (NodeProcesses.class) {
            Path lockDir = directory.resolve(".local");
            try {
                Files.createDirectories(lockDir);
                try (FileChannel channel = FileChannel.open(lockDir.resolve("npm-ci.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    if (installed(directory, packageName)) {
                        return;
                    }
                    npmCi(directory, logPrefix);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install " + what + " in " + directory, e);
            }
        }
    }

    private static boolean installed(Path directory, String packageName) throws IOException {
        Path modules = directory.resolve("node_modules");
        Path record = modules.resolve(".package-lock.json");
        if (!Files.isRegularFile(modules.resolve(packageName).resolve("package.json")) || !Files.isRegularFile(record)) {
            return false;
        }
        return Files.getLastModifiedTime(directory.resolve("package-lock.json"))
                .compareTo(Files.getLastModifiedTime(record)) <= 0;
    }

    private static void npmCi(Path directory, String logPrefix) {
        System.out.println(logPrefix + "npm ci in " + directory + " (first use, or the lockfile changed)");
        OutputTail tail = new OutputTail();
        int status;
        try {
            status = run(List.of("npm", "ci", "--no-audit", "--no-fund"), directory, NPM_CI_TIMEOUT, line -> {
                tail.add(line);
                System.out.println(logPrefix + line);
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm (" + e.getMessage() + "): install Node.js "
                    + NODE_VERSIONS + " with npm", e);
        }
        if (status != 0) {
            throw new IllegalStateException("npm ci in " + directory + " failed (status " + status + "); its output:\n" + tail.text());
        }
    }

    /** Runs a command to its end (killed after {@code timeout}, status -1), handing over each output line. */
    public static int run(List<String> command, Path directory, Duration timeout, Consumer<String> lines) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close(); // nothing to answer: a prompt must not wait for us
        Thread reader = pump(process.getInputStream(), lines, "child-" + command.getFirst());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                lines.accept("(killed after " + timeout.toSeconds() + " s)");
                return -1;
            }
            reader.join(2_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    /** Reads a child's output on a daemon thread, so a chatty child never blocks on a full pipe. */
    public static Thread pump(InputStream output, Consumer<String> lines, String name) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.accept(line);
                }
            } catch (IOException closed) {
                // the child is gone
            }
        });
    }

    /** Terminates the process and its descendants: politely, then by force after 5 s. */
    public static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException stillThere) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of a child's output, for error messages. */
    public static final class OutputTail {
        private static final int LINES = 40;
        private final Deque<String> lines = new ArrayDeque<>();

        public synchronized void add(String line) {
            if (lines.size() == LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        public synchronized String text() {
            return lines.isEmpty() ? "(nothing)" : String.join("\n", lines);
        }
    }
}
