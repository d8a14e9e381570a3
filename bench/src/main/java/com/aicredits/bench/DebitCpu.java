package com.aicredits.bench;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.Services;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs {@link DebitCpuBenchmark}: first records the DynamoDB engine's answers to a container's first and second debit
 * (BatchGetItem, TransactWriteItems), then times steady-state debits on them in JMH forks, with the function's JVM
 * flags and without, with JMH's GC profiler for the bytes allocated per debit.
 */
final class DebitCpu {
    static final String FUNCTION = "RecordExecutionFunction";

    private DebitCpu() {
    }

    record Sample(double p50Micros, double p99Micros, double meanMicros, double bytesPerDebit, long samples) {
    }

    static void run(LocalDynamoDb dynamoDb) throws RunnerException {
        Path file = record(dynamoDb);
        List<String> deployed = DeployedFunction.javaToolOptions(FUNCTION);
        Map<String, Sample> samples = new LinkedHashMap<>();
        // -Daicredits.bench.cpu.quick=true: the function's flags only, no row (a quick look while profiling).
        boolean quick = Boolean.getBoolean("aicredits.bench.cpu.quick");
        for (List<String> flags : quick ? List.of(deployed) : List.of(deployed, List.<String>of())) {
            String label = flags.isEmpty() ? "no flags (C2)" : String.join(" ", flags);
            Progress.say("our CPU per debit (recorded DynamoDB answers): JMH fork, " + label + ", about 20 s");
            Sample sample = measure(file, flags);
            Progress.say(String.format("our CPU per debit, %s: p50 %.0f µs, p99 %.0f µs, %.1f KB allocated a debit",
                    label, sample.p50Micros(), sample.p99Micros(), sample.bytesPerDebit() / 1024));
            samples.put(label, sample);
        }
        if (quick) {
            return;
        }
        Sample asDeployed = samples.get(String.join(" ", deployed));
        Sample c2 = samples.get("no flags (C2)");
        Map<String, Object> figures = new LinkedHashMap<>();
        samples.forEach((label, sample) -> figures.put(label, Map.of("p50Micros", round(sample.p50Micros()),
                "p99Micros", round(sample.p99Micros()), "meanMicros", round(sample.meanMicros()),
                "bytesPerDebit", Math.round(sample.bytesPerDebit()), "samples", sample.samples())));
        // template.yaml: MemorySize 1024, so a µs of duration per debit is a GB-second per million debits.
        figures.put("gbSecondsPerMillionDebitsAtP50", round(asDeployed.p50Micros()));
        snapStartFlags(file, deployed);
        BenchResults.add(BenchResults.Row.of("cpu", "our own CPU per steady-state debit: the real handler, the SDK's"
                        + " marshalling, signing, endpoint rules and parsing, on recorded DynamoDB answers (no network, no"
                        + " database); JMH sample time, 1 thread, the function's flags (" + String.join(" ", deployed) + ") and without",
                String.format("with the flags p50 %.0f µs, p99 %.0f µs, %.1f KB allocated a debit (%.0f GB-s per million"
                                + " debits at 1024 MB); without: p50 %.0f µs, p99 %.0f µs, %.1f KB",
                        asDeployed.p50Micros(), asDeployed.p99Micros(), asDeployed.bytesPerDebit() / 1024, asDeployed.p50Micros(),
                        c2.p50Micros(), c2.p99Micros(), c2.bytesPerDebit() / 1024))
                .withTarget("p50 <= 150 µs with the function's flags", asDeployed.p50Micros() <= 150).withFigures(figures));
    }

    static final int STEADY_WARM = 10_000;
    static final int STEADY_MEASURED = 2_000;
    static final int STEADY_RUNS = 3;

    /**
     * SnapStart's choice of flags: a snapshot taken after priming keeps the compiled code, so what counts is the steady
     * state. Fresh JVMs with C1 only (the on-demand flags) and with full tiered compilation (no flags, the runtime's
     * default under SnapStart), interleaved; each {@value #STEADY_WARM} debits, then {@value #STEADY_MEASURED} timed.
     */
    static void snapStartFlags(Path recording, List<String> deployed) {
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        String classpath = lambdaClasspath(System.getProperty("java.class.path"));
        for (int run = 1; run <= STEADY_RUNS; run++) {
            for (List<String> flags : List.of(deployed, List.<String>of())) {
                String label = flags.isEmpty() ? "full tiered (C2)" : "C1 only";
                Progress.say(String.format("SnapStart flags: run %d/%d, %s, %,d debits then %,d timed", run, STEADY_RUNS, label,
                        STEADY_WARM, STEADY_MEASURED));
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(flags);
                command.addAll(List.of("-DAWS_REGION=" + LocalDynamoDb.REGION.id(), "-Daws.accessKeyId=local",
                        "-Daws.secretAccessKey=local", "-D" + DebitCpuBenchmark.RECORDING + "=" + recording, "-cp", classpath,
                        SteadyStateDriver.class.getName(), Integer.toString(STEADY_WARM), Integer.toString(STEADY_MEASURED)));
                String output = ColdStart.runToEnd(new ProcessBuilder(command), "SnapStart flags " + label);
                java.util.regex.Matcher matcher = Pattern.compile("p50-micros=([\\d.]+) p99-micros=([\\d.]+)").matcher(output);
                if (!matcher.find()) {
                    throw new IllegalStateException("steady-state driver printed no timing:\n" + output);
                }
                p50.computeIfAbsent(label, k -> new ArrayList<>()).add(Double.parseDouble(matcher.group(1)));
                p99.computeIfAbsent(label, k -> new ArrayList<>()).add(Double.parseDouble(matcher.group(2)));
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("p50MicrosPerRun", p50);
        figures.put("p99MicrosPerRun", p99);
        double c1 = HandlerOverhead.median(p50.get("C1 only"));
        double c2 = HandlerOverhead.median(p50.get("full tiered (C2)"));
        BenchResults.add(BenchResults.Row.of("cpu", "SnapStart's flags: our CPU per debit in the steady state after "
                        + String.format("%,d", STEADY_WARM) + " debits (recorded answers, fresh JVMs, median of " + STEADY_RUNS + ")",
                String.format("C1 only (%s) p50 %.0f µs (p99 %.0f µs) vs full tiered p50 %.0f µs (p99 %.0f µs): C1 only takes %.2fx"
                                + " the time of full tiered", String.join(" ", deployed),
                        c1, HandlerOverhead.median(p99.get("C1 only")), c2, HandlerOverhead.median(p99.get("full tiered (C2)")), c1 / c2))
                .withFigures(figures));
    }

    /** A container's first two debits on our DynamoDB engine, through a transport that keeps the answers; saved to a file. */
    static Path record(LocalDynamoDb dynamoDb) {
        CreditsTable table = new CreditsTable(dynamoDb, "bench-cpu");
        String workspaceId = "ws-cpu-" + Long.toString(System.nanoTime(), 36);
        // A partner allocation far above what the forks debit: no debit may meet the hard limit.
        table.services(Clock.systemUTC()).workspaces().put(workspaceId, new WorkspaceSpec(null, "org-bench", "Bench cpu",
                "M_PARTNER", null, null, 100_000_000L, null, null, null, 1000));
        Map<String, RecordedDynamoDb.Answer> answers = new LinkedHashMap<>();
        DynamoDbClient recording = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.CREDENTIALS)
                .httpClient(RecordedDynamoDb.recording(UrlConnectionHttpClient.create(), answers)).build();
        RecordExecutionHandler handler = new RecordExecutionHandler(new Services(recording, table.name, Clock.systemUTC(),
                PriceCatalogFile.loadDefault(), Services.NO_NOTIFICATIONS));
        APIGatewayV2HTTPEvent event = ApiEvents.load("record-execution.json", workspaceId, null);
        for (String executionId : List.of("record-1", "record-2")) {
            event.setBody("{\"executionId\":\"" + executionId + "\",\"activity\":\"" + HandlerOverheadBenchmark.ACTIVITY + "\"}");
            if (handler.handleRequest(event, null).getStatusCode() != 201) {
                throw new IllegalStateException("recording debit failed");
            }
        }
        recording.close();
        Path file = BenchResults.directory().resolve("debit-cpu-recording.json");
        new RecordedDynamoDb.Recording(table.name, workspaceId, answers).save(file);
        return file;
    }

    static Sample measure(Path recording, List<String> flags) throws RunnerException {
        List<String> jvmArgs = new ArrayList<>(flags);
        jvmArgs.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-DAWS_REGION=" + LocalDynamoDb.REGION.id(),
                "-Daws.accessKeyId=local", "-Daws.secretAccessKey=local", "-D" + DebitCpuBenchmark.RECORDING + "=" + recording));
        jvmArgs.addAll(extraJvmArgs());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(DebitCpuBenchmark.class.getName()) + "\\.debit$")
                .forks(1)
                .threads(1)
                .warmupIterations(4).warmupTime(TimeValue.seconds(2))
                .measurementIterations(4).measurementTime(TimeValue.seconds(2))
                .timeUnit(TimeUnit.MICROSECONDS)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        // The fork's classpath is the function's: JMH starts it with this JVM's java.class.path.
        String classpath = System.getProperty("java.class.path");
        RunResult result;
        try {
            System.setProperty("java.class.path", lambdaClasspath(classpath));
            result = new Runner(options.build()).runSingle();
        } finally {
            System.setProperty("java.class.path", classpath);
        }
        Statistics statistics = result.getPrimaryResult().getStatistics();
        Result<?> allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
        return new Sample(statistics.getPercentile(50), statistics.getPercentile(99), statistics.getMean(),
                allocated == null ? Double.NaN : allocated.getScore(), statistics.getN());
    }

    /** record-execution's Lambda jar, this module's classes and JMH's jars (taken from {@code classpath}). */
    static String lambdaClasspath(String classpath) {
        List<String> entries = new ArrayList<>(List.of(DeployedFunction.lambdaJar("record-execution").toString(),
                benchClasses().toString()));
        for (String entry : classpath.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("jmh-core") || name.startsWith("jopt-simple") || name.startsWith("commons-math3")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path benchClasses() {
        try {
            return Path.of(DebitCpuBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code -Daicredits.bench.cpu.jvmArgs="..."}: more flags for the forks (a JFR recording while profiling). */
    private static List<String> extraJvmArgs() {
        String extra = System.getProperty("aicredits.bench.cpu.jvmArgs");
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
