package com.aicredits.bench;

import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.Progress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The cold-start cost of the first EMF metric line, ours (Jackson's streaming writer) against the EMF library
 * (aws-embedded-metrics, which Powertools' metrics module wraps, so Powertools costs at least as much). Each variant
 * runs in fresh JVMs, alternating, with the functions' JVM flags; the median of the runs is reported.
 */
final class EmfColdStart {
    private static final int RUNS = 7;

    private EmfColdStart() {
    }

    static void run() throws Exception {
        Map<String, List<long[]>> results = new TreeMap<>(Map.of("library", new ArrayList<>(), "ours", new ArrayList<>(),
                "slf4j-json", new ArrayList<>(), "slf4j-nop", new ArrayList<>()));
        for (int run = 0; run < RUNS; run++) {
            for (String variant : results.keySet()) {
                results.get(variant).add(probe(variant));
            }
            Progress.say(String.format("EMF and SLF4J cold start: run %d/%d", run + 1, RUNS));
        }
        add("first EMF metric line", "aws-embedded-metrics 4.2.0", median(results.get("library")));
        add("first EMF metric line", "our Jackson writer (shared/observability/Metrics)", median(results.get("ours")));
        add("first SDK warning through SLF4J", "our JSON provider (shared/observability/JsonLogProvider)", median(results.get("slf4j-json")));
        add("first SDK warning through SLF4J", "SLF4J's no-op provider (a jar without one; prints 3 plain lines)",
                median(results.get("slf4j-nop")));
    }

    private static void add(String what, String variant, long[] median) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("medianMillis", median[0] / 1000.0);
        figures.put("classesLoaded", median[1]);
        figures.put("runs", RUNS);
        BenchResults.add(BenchResults.Row.of("cold start", what + " in a fresh JVM, " + variant + " (median of " + RUNS + ")",
                String.format("%.1f ms, %d classes loaded", median[0] / 1000.0, median[1])).withFigures(figures));
    }

    private static long[] median(List<long[]> runs) {
        List<long[]> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        return sorted.get(sorted.size() / 2);
    }

    private static long[] probe(String variant) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(DeployedFunction.LAMBDA_ON_DEMAND_FLAGS);
        if (variant.equals("slf4j-nop")) {
            command.add("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmfProbe.class.getName(), variant));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // As in Lambda: the library picks its Lambda environment (standard output) from this variable.
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "emf-probe");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("the EMF probe failed: " + output);
        }
        String line = output.lines().filter(l -> l.startsWith("probe: ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no probe line in: " + output));
        String[] parts = line.substring("probe: ".length()).split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
