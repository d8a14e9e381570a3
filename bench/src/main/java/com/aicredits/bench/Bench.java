package com.aicredits.bench;

import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code make bench}: runs the phases named on the command line (all by default), each timed one on a DynamoDB engine
 * of its own, then writes every row to target/bench.json and prints the table. The console shows only the progress
 * and the table: everything else this JVM prints (the functions' JSON log lines, the SDK's, the engine's, the SES
 * emulator's, the JMH forks' output, which JMH relays through System.out) goes to target/bench.log.
 */
public final class Bench {
    static final List<String> SECTIONS = List.of("dynamodb", "debit", "handler", "cpu", "client", "usage", "cold start", "ceiling", "hot", "jar", "reset");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // The JDK's HttpServer (the loopback API Gateway, the client's stub) writes a response's headers and body apart:
        // with Nagle's algorithm on, the body waits for the delayed ACK of the headers (40 ms on Linux), which no API
        // Gateway adds. Read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        PrintStream console = System.out;
        Path log = BenchResults.directory().resolve("bench.log");
        Files.createDirectories(log.getParent());
        String logName = DeployedFunction.repository().relativize(log).toString();
        Progress.printTo(System.err);
        Progress.say("the functions' logs and the local services' output go to " + logName);
        PrintStream logFile = new PrintStream(new BufferedOutputStream(Files.newOutputStream(log)), true, StandardCharsets.UTF_8);
        System.setOut(logFile);
        System.setErr(logFile);
        try {
            runPhases(args, console);
        } catch (Throwable e) {
            e.printStackTrace();
            Progress.say("failed: " + e + " (the stack trace and the logs: " + logName + ")");
            System.exit(1);
        }
        Progress.say("the functions' logs of this run: " + logName);
        // The engines' HTTP servers and JMH's threads would keep the JVM alive.
        System.exit(0);
    }

    private static void runPhases(String[] args, PrintStream console) throws Exception {
        Set<String> phases = args.length == 0 ? Set.of("reset", "calls", "debit", "usage", "handler", "cpu", "client", "cold", "ceiling", "hot", "emf", "jar") : Set.of(args);
        long start = System.nanoTime();
        if (phases.contains("reset")) {
            Progress.say("monthly reset of 10,000 workspaces (about 2 minutes)");
            try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, null)) {
                MonthlyResetCost.run(dynamoDb);
            }
        }
        if (phases.contains("calls")) {
            EngineCalls.run();
        }
        if (phases.contains("debit")) {
            DebitCosts.run();
        }
        // Each timed phase gets an engine of its own: a phase's figures do not depend on the items and stream records
        // another phase left.
        if (phases.contains("handler")) {
            try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, null)) {
                HandlerOverhead.run(dynamoDb);
            }
        }
        if (phases.contains("cpu")) {
            try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, null)) {
                DebitCpu.run(dynamoDb);
            }
        }
        if (phases.contains("client")) {
            ClientOverhead.run();
        }
        if (phases.contains("cold")) {
            try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, null)) {
                ColdStart.run(dynamoDb);
            }
        }
        if (phases.contains("ceiling")) {
            WorkspaceCeiling.run();
        }
        if (phases.contains("hot")) {
            HotWorkspace.run();
        }
        if (phases.contains("emf")) {
            EmfColdStart.run();
        }
        if (phases.contains("jar")) {
            JarSizes.run();
        }
        if (phases.contains("usage")) {
            try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, null)) {
                UsageQueryCost.run(dynamoDb);
            }
        }
        Progress.say(String.format("bench phases done in %.0f s", (System.nanoTime() - start) / 1e9));
        List<BenchResults.Row> rows = BenchResults.all().stream()
                .sorted(Comparator.comparingInt(row -> SECTIONS.indexOf(row.section()))).toList();
        Path json = BenchResults.directory().resolve("bench.json");
        Files.writeString(json, BenchResults.json(rows), StandardCharsets.UTF_8);
        console.println();
        console.print(BenchResults.table(rows));
        console.println();
        console.println("(every row, with the figures behind it: " + DeployedFunction.repository().relativize(json) + ")");
        console.flush();
    }
}
