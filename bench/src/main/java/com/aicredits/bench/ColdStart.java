package com.aicredits.bench;

import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Cold start of record-execution: a fresh JVM on the function's Lambda jar, from the moment this process starts it
 * to the first debit answered (against the DynamoDB engine this JVM serves), median of {@link #RUNS}; the variants
 * run interleaved so a busy machine slows each alike. Then the next {@link #WARM} debits of that container.
 */
final class ColdStart {
    static final int RUNS = Integer.getInteger("aicredits.bench.cold.runs", 7);
    static final int WARM = 100;
    static final String FUNCTION = "RecordExecutionFunction";
    private static final Pattern OUTPUT = Pattern.compile("answered-at-millis=(\\d+) jvm-start-millis=(-?\\d+) construct-ms=([\\d.]+)"
            + " first-request-ms=([\\d.]+) warm-ms=([\\d.]+) cpu-ms=(-?\\d+)");
    private static final Pattern STAGES = Pattern.compile("stages-ms=\\{([^}]*)} classes-at-main=(\\d+) classes-construction=(\\d+)"
            + " classes-first-debit=(\\d+)");

    private ColdStart() {
    }

    /** {@code extraJars}: a folder of bench/target whose jars join the Lambda jar (the SDK's default client, CRT), or null. */
    record Variant(String label, String driverVariant, String extraJars, List<String> javaToolOptions) {
        boolean sdkDefaultJars() {
            return "sdk-defaults".equals(extraJars);
        }
    }

    record Sample(long startToAnswerMillis, long jvmStartToAnswerMillis, double constructMillis, double firstRequestMillis,
                  double warmMillis, long cpuMillis, Map<String, Double> breakdown) {
    }

    static void run(LocalDynamoDb dynamoDb) throws IOException {
        Path jar = DeployedFunction.lambdaJar("record-execution");
        Path sdkDefaults = DeployedFunction.repository().resolve("bench/target/sdk-defaults");
        List<String> deployed = DeployedFunction.javaToolOptions(FUNCTION);
        List<Variant> variants = List.of(
                new Variant("as built", "as-built", null, deployed),
                new Variant("SDK defaults", "sdk-defaults", "sdk-defaults", deployed),
                new Variant("as built, without " + String.join(" ", deployed), "as-built", null, List.of()),
                // The levers, each alone against the build before this issue (URLConnection, the SDK's endpoint rules).
                new Variant("lever: before the levers (URLConnection client, the SDK's endpoint rules engine)", "url-rules", null, deployed),
                new Variant("lever: endpoint pinned (an endpoint provider answering the one endpoint, no rules engine)", "url-pinned", null, deployed),
                new Variant("lever: CRT HTTP client (aws-crt-client, the endpoint rules engine)", "crt-rules", "crt-client", deployed),
                new Variant("lever: JDK 25 AOT cache (as built, -XX:AOTCache trained on one cold start)", "as-built", null,
                        with(deployed, "-XX:AOTCache=" + aotCache())),
                new Variant("as built, stage by stage (class counts; not timed with the others)", "breakdown", null, deployed));
        CreditsTable table = new CreditsTable(dynamoDb, "bench-cold");
        WorkspaceService workspaces = table.services(Clock.systemUTC()).workspaces();
        DebitService debits = table.services(Clock.systemUTC()).debits();
        // The AOT cache's training run: one cold start as built, whose loaded and linked classes the JVM keeps.
        Files.deleteIfExists(aotCache());
        String trainingWorkspace = "ws-cold-aot-training";
        workspaces.put(trainingWorkspace, new WorkspaceSpec(null, "org-bench", "Cold training", "ELITE_PLUS", null, null,
                null, null, null, null, 1000));
        debits.record(trainingWorkspace, new RecordExecution("opening", "task.execution", null));
        launch(new Variant("AOT cache training", "as-built", null, with(deployed, "-XX:AOTCacheOutput=" + aotCache())), jar,
                sdkDefaults, dynamoDb, table.name, trainingWorkspace);
        Map<Variant, List<Sample>> samples = new LinkedHashMap<>();
        for (int run = 1; run <= RUNS; run++) {
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                // A workspace whose period is open: the first debit of a cold container in the steady state.
                String workspaceId = "ws-cold-" + v + "-" + run;
                workspaces.put(workspaceId, new WorkspaceSpec(null, "org-bench", "Cold " + workspaceId, "ELITE_PLUS", null, null,
                        null, null, null, null, 1000));
                debits.record(workspaceId, new RecordExecution("opening", "task.execution", null));
                Sample sample = launch(variant, jar, sdkDefaults, dynamoDb, table.name, workspaceId);
                Progress.say(String.format("cold start: run %d/%d, %s: first debit answered %d ms after the JVM was started",
                        run, RUNS, variant.label(), sample.startToAnswerMillis()));
                samples.computeIfAbsent(variant, k -> new ArrayList<>()).add(sample);
            }
        }
        Map<String, Object> breakdown = breakdown(samples.get(variants.getLast()));
        double asBuilt = medianStart(samples.get(variants.get(0)));
        double defaults = medianStart(samples.get(variants.get(1)));
        for (Variant variant : variants) {
            List<Sample> runs = samples.get(variant);
            double median = medianStart(runs);
            String target = null;
            Boolean met = null;
            if (variant == variants.get(0)) {
                target = "<= 500 ms locally, >= 1.5x faster than SDK defaults";
                met = median <= 500 && defaults / median >= 1.5;
            }
            if (variant == variants.getLast()) {
                BenchResults.add(BenchResults.Row.of("cold start", "cold start of record-execution as built, stage by stage: "
                        + "what building the handler loads and costs, and the first debit (median of " + RUNS + ")",
                        String.valueOf(breakdown.get("summary"))).withFigures(breakdown));
                continue;
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("startToAnswerMillis", runs.stream().map(Sample::startToAnswerMillis).toList());
            figures.put("jvmStartToAnswerMillis", runs.stream().map(Sample::jvmStartToAnswerMillis).toList());
            figures.put("constructMillis", runs.stream().map(Sample::constructMillis).toList());
            figures.put("firstRequestMillis", runs.stream().map(Sample::firstRequestMillis).toList());
            figures.put("warmMillis", runs.stream().map(Sample::warmMillis).toList());
            figures.put("cpuMillisToFirstDebit", runs.stream().map(Sample::cpuMillis).toList());
            figures.put("javaToolOptions", variant.javaToolOptions());
            String result = String.format("%.0f ms median (runs %s), %.0f ms of CPU; in it: handler built %.0f ms, first debit %.0f ms;"
                            + " next %d debits %.0f ms",
                    median, runs.stream().map(Sample::startToAnswerMillis).toList(), medianCpu(runs),
                    HandlerOverhead.median(runs.stream().map(Sample::constructMillis).toList()),
                    HandlerOverhead.median(runs.stream().map(Sample::firstRequestMillis).toList()), WARM,
                    HandlerOverhead.median(runs.stream().map(Sample::warmMillis).toList()));
            if (variant == variants.get(0)) {
                result += String.format("; %.2fx faster than SDK defaults (%.2fx by CPU)", defaults / median,
                        medianCpu(samples.get(variants.get(1))) / medianCpu(runs));
            }
            BenchResults.Row row = BenchResults.Row.of("cold start", "cold start, JVM start to first debit answered: record-execution "
                    + variant.label() + describe(variant), result).withFigures(figures);
            BenchResults.add(target == null ? row : row.withTarget(target, met));
        }
        Progress.say(String.format("cold start: as built %.0f ms, SDK defaults %.0f ms", asBuilt, defaults));
    }

    /** The medians of the breakdown runs' stages and class counts, and one sentence of them. */
    private static Map<String, Object> breakdown(List<Sample> runs) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Sample run : runs) {
            run.breakdown().forEach((name, value) -> values.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        values.forEach((name, list) -> figures.put(name, HandlerOverhead.median(list)));
        figures.put("summary", String.format("Jackson's mapper %.0f ms, the price catalog %.0f ms, the DynamoDB client %.0f ms,"
                        + " the rest of the handler %.0f ms (%.0f classes loaded building it, %.0f at main); the first debit"
                        + " %.0f ms and %.0f classes more",
                figures.get("jackson"), figures.get("catalog"), figures.get("dynamodb-client"), figures.get("handler"),
                figures.get("classes-construction"), figures.get("classes-at-main"),
                HandlerOverhead.median(runs.stream().map(Sample::firstRequestMillis).toList()), figures.get("classes-first-debit")));
        return figures;
    }

    private static String describe(Variant variant) {
        String options = variant.javaToolOptions().isEmpty() ? "no JAVA_TOOL_OPTIONS" : "JAVA_TOOL_OPTIONS " + String.join(" ", variant.javaToolOptions())
                .replace(DeployedFunction.repository() + "/", "");
        return variant.sdkDefaultJars()
                ? " (the same handler on DynamoDbClient.builder().build(): Apache 5 client, default region and credentials chains; "
                        + options + ")"
                : variant.driverVariant().equals("as-built") && variant.javaToolOptions().isEmpty() ? ""
                : !variant.driverVariant().equals("as-built") ? " (" + options + ")"
                : " (URLConnection client, explicit region and credentials; " + options + ")";
    }

    static Path aotCache() {
        return BenchResults.directory().resolve("record-execution.aot");
    }

    private static List<String> with(List<String> options, String option) {
        List<String> all = new ArrayList<>(options);
        all.add(option);
        return all;
    }

    private static double medianCpu(List<Sample> samples) {
        return HandlerOverhead.median(samples.stream().map(s -> (double) s.cpuMillis()).toList());
    }

    private static double medianStart(List<Sample> samples) {
        return HandlerOverhead.median(samples.stream().map(s -> (double) s.startToAnswerMillis()).toList());
    }

    private static Sample launch(Variant variant, Path jar, Path sdkDefaults, LocalDynamoDb dynamoDb, String table, String workspaceId) {
        List<String> classpath = new ArrayList<>(List.of(jar.toString(), driverLocation().toString()));
        if (variant.extraJars() != null) {
            try (Stream<Path> jars = Files.list(sdkDefaults.resolveSibling(variant.extraJars()))) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> classpath.add(p.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("no " + sdkDefaults + "; run mvn package first", e);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, classpath),
                ColdStartDriver.class.getName(), variant.driverVariant(), workspaceId, Integer.toString(WARM));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("AICREDITS_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        // What Lambda gives the function (region, credentials, its template variables), plus where the DynamoDB engine is.
        environment.put("AWS_REGION", LocalDynamoDb.REGION.id());
        environment.put("AWS_ACCESS_KEY_ID", "local");
        environment.put("AWS_SECRET_ACCESS_KEY", "local");
        environment.put("TABLE_NAME", table);
        environment.put(ColdStartDriver.ENDPOINT, dynamoDb.endpoint().toString());
        // No profile files: a developer's ~/.aws must not change what the default chains find or cost.
        Path none = DeployedFunction.repository().resolve("target/no-aws-profile");
        environment.put("AWS_CONFIG_FILE", none.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", none.toString());
        if (!variant.javaToolOptions().isEmpty()) {
            environment.put("JAVA_TOOL_OPTIONS", String.join(" ", variant.javaToolOptions()));
        }
        try {
            long started = System.currentTimeMillis();
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("cold start " + variant.label() + " failed:\n" + output + errors);
            }
            Matcher matcher = OUTPUT.matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException("cold start " + variant.label() + " printed no timing:\n" + output + errors);
            }
            long answeredAt = Long.parseLong(matcher.group(1));
            long jvmStart = Long.parseLong(matcher.group(2));
            Map<String, Double> breakdown = new LinkedHashMap<>();
            Matcher stages = STAGES.matcher(output);
            if (stages.find()) {
                for (String stage : stages.group(1).split(",\\s*")) {
                    String[] nameValue = stage.split("=");
                    breakdown.put(nameValue[0], Double.parseDouble(nameValue[1]));
                }
                breakdown.put("classes-at-main", Double.parseDouble(stages.group(2)));
                breakdown.put("classes-construction", Double.parseDouble(stages.group(3)));
                breakdown.put("classes-first-debit", Double.parseDouble(stages.group(4)));
            }
            return new Sample(answeredAt - started, jvmStart < 0 ? -1 : answeredAt - jvmStart, Double.parseDouble(matcher.group(3)),
                    Double.parseDouble(matcher.group(4)), Double.parseDouble(matcher.group(5)), Long.parseLong(matcher.group(6)), breakdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a child JVM to its end (2 minutes at most) and returns what it printed, stdout and stderr together. */
    static String runToEnd(ProcessBuilder builder, String label) {
        try {
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(label + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The driver's classes in a jar of their own (target/cold-start-driver.jar): the JDK's AOT cache takes jars only on
     * the classpath, and every variant runs on the same one.
     */
    private static synchronized Path driverLocation() {
        try {
            Path classes = Path.of(ColdStartDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(classes)) {
                return classes;
            }
            Path jar = BenchResults.directory().resolve("cold-start-driver.jar");
            Path folder = classes.resolve(ColdStartDriver.class.getPackageName().replace('.', '/'));
            try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(ColdStartDriver.class.getSimpleName())).sorted().toList()) {
                    out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(file));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
