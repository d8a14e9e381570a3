package com.aicredits.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: the cold-start cost of the first EMF metric line, ours (Jackson's streaming writer) against the
 * EMF library (aws-embedded-metrics, which Powertools' metrics module wraps, so Powertools costs at least as much).
 * Each variant runs in fresh JVMs, alternating, with the functions' JVM flags; the median of the runs is reported.
 */
class EmfColdStartBench {
    private static final int RUNS = 7;

    @Test
    void firstMetricLineInAFreshJvm() throws Exception {
        Map<String, List<long[]>> results = new TreeMap<>(Map.of("library", new ArrayList<>(), "ours", new ArrayList<>()));
        for (int run = 0; run < RUNS; run++) {
            for (String variant : results.keySet()) {
                results.get(variant).add(probe(variant));
            }
        }
        long[] library = median(results.get("library"));
        long[] ours = median(results.get("ours"));
        System.out.printf("bench: first EMF metric line in a fresh JVM, aws-embedded-metrics 4.2.0 (median of %d): %.1f ms, %d classes loaded%n",
                RUNS, library[0] / 1000.0, library[1]);
        System.out.printf("bench: first EMF metric line in a fresh JVM, our Jackson writer (median of %d): %.1f ms, %d classes loaded%n",
                RUNS, ours[0] / 1000.0, ours[1]);
    }

    private static long[] median(List<long[]> runs) {
        List<long[]> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        return sorted.get(sorted.size() / 2);
    }

    private static long[] probe(String variant) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, EmfProbe.class.getName(), variant).redirectErrorStream(true);
        // As in Lambda: the library picks its Lambda environment (standard output) from this variable.
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "emf-probe");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String line = output.lines().filter(l -> l.startsWith("probe: ")).findFirst().orElseThrow(() -> new AssertionError(output));
        String[] parts = line.substring("probe: ".length()).split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
