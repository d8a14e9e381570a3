package com.aicredits.bench;

import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link HandlerOverheadBenchmark} with JMH: each benchmark in its own fork (a JVM started with the function's
 * JVM flags, {@link DeployedFunction#javaToolOptions}, like the Lambda), against the DynamoDB engine this JVM serves, in rounds that
 * alternate handler and bare loop so that a busy machine slows both alike. Throughput is one thread's: 1 / mean.
 */
final class HandlerOverhead {
    static final int ROUNDS = 3;
    static final String FUNCTION = "RecordExecutionFunction";

    private HandlerOverhead() {
    }

    record Sample(double meanMicros, double p50Micros, double p99Micros, long samples) {
        double perSecond() {
            return 1e6 / meanMicros;
        }
    }

    static void run(LocalDynamoDb dynamoDb) throws RunnerException {
        String table = dynamoDb.createTable("bench-overhead");
        List<String> jvmArgs = new ArrayList<>(DeployedFunction.javaToolOptions(FUNCTION));
        // JMH itself uses sun.misc.Unsafe: allowed quietly, as for Maven.
        jvmArgs.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-DAWS_REGION=" + LocalDynamoDb.REGION.id(), "-Daws.accessKeyId=local", "-Daws.secretAccessKey=local",
                "-DTABLE_NAME=" + table, "-D" + HandlerOverheadBenchmark.ENDPOINT + "=" + dynamoDb.endpoint()));
        List<Sample> handler = new ArrayList<>();
        List<Sample> bare = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            // Alternate which goes first, so neither always runs on the fresher machine.
            List<String> order = round % 2 == 1 ? List.of("handler", "bare") : List.of("bare", "handler");
            for (String benchmark : order) {
                Progress.say(String.format("handler overhead: round %d/%d, %s (JMH fork, about 15 s)", round, ROUNDS, benchmark));
                Sample sample = measure(benchmark, jvmArgs);
                Progress.say(String.format("handler overhead: %s %.0f debits/s, p50 %.2f ms, p99 %.2f ms", benchmark,
                        sample.perSecond(), sample.p50Micros() / 1000, sample.p99Micros() / 1000));
                (benchmark.equals("handler") ? handler : bare).add(sample);
            }
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            ratios.add(handler.get(i).perSecond() / bare.get(i).perSecond());
        }
        double ratio = median(ratios);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("handler", summary(handler));
        figures.put("bare", summary(bare));
        figures.put("ratioPerRound", ratios.stream().map(r -> Math.round(r * 1000) / 1000.0).toList());
        figures.put("ratio", Math.round(ratio * 1000) / 1000.0);
        figures.put("jvmOptions", DeployedFunction.javaToolOptions(FUNCTION));
        BenchResults.add(BenchResults.Row.of("handler", "handler overhead: steady-state debits through the real handler (event,"
                        + " claims, JSON, validation, domain, store) vs the same TransactWriteItems in a bare loop; 1 thread,"
                        + " same DynamoDB engine, JMH, median of " + ROUNDS + " alternating rounds",
                String.format("handler %.0f/s (p50 %.2f ms, p99 %.2f ms) vs bare %.0f/s (p50 %.2f ms, p99 %.2f ms): ratio %.2f"
                                + " (rounds %s)", median(handler.stream().map(Sample::perSecond).toList()),
                        median(handler.stream().map(Sample::p50Micros).toList()) / 1000,
                        median(handler.stream().map(Sample::p99Micros).toList()) / 1000,
                        median(bare.stream().map(Sample::perSecond).toList()),
                        median(bare.stream().map(Sample::p50Micros).toList()) / 1000,
                        median(bare.stream().map(Sample::p99Micros).toList()) / 1000, ratio,
                        ratios.stream().map(r -> String.format("%.2f", r)).toList()))
                .withTarget("ratio >= 0.8", ratio >= 0.8).withFigures(figures));
    }

    private static Sample measure(String benchmark, List<String> jvmArgs) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(Pattern.quote(HandlerOverheadBenchmark.class.getName()) + "\\." + benchmark + "$")
                .forks(1)
                .threads(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                .mode(org.openjdk.jmh.annotations.Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        BenchmarkParams params = result.getParams();
        Statistics statistics = result.getPrimaryResult().getStatistics();
        if (!params.getTimeUnit().equals(TimeUnit.MICROSECONDS)) {
            throw new IllegalStateException("unexpected unit " + params.getTimeUnit());
        }
        return new Sample(statistics.getMean(), statistics.getPercentile(50), statistics.getPercentile(99), statistics.getN());
    }

    private static Map<String, Object> summary(List<Sample> samples) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("perSecond", samples.stream().map(s -> Math.round(s.perSecond())).toList());
        summary.put("p50Millis", samples.stream().map(s -> Math.round(s.p50Micros()) / 1000.0).toList());
        summary.put("p99Millis", samples.stream().map(s -> Math.round(s.p99Micros()) / 1000.0).toList());
        summary.put("samples", samples.stream().map(Sample::samples).toList());
        return summary;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
