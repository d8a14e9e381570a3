package com.aicredits.bench;

import com.aicredits.json.Json;
import com.aicredits.observability.Metrics;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Run in a fresh JVM by {@link EmfColdStart}: what the first metric line costs a cold function on top of what it
 * loads anyway (Jackson, for its requests), with our writer ({@code ours}) or the EMF library ({@code library}); or
 * what the first SDK warning through SLF4J costs ({@code slf4j-json}: our provider; {@code slf4j-nop}: none).
 * Prints one line: {@code probe: <microseconds> <classes loaded>}.
 */
public final class EmfProbe {
    private EmfProbe() {
    }

    public static void main(String[] args) throws Exception {
        Json.MAPPER.readTree(Json.write(Map.of("warm", 1))); // what every function has loaded before its first metric
        if (args[0].startsWith("slf4j")) {
            Metrics.replayed(); // and its own log lines (a function writes one per request) before an SDK warning
        }
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long loadedBefore = classes.getTotalLoadedClassCount();
        long start = System.nanoTime();
        if (args[0].startsWith("slf4j")) {
            // The SDK's first warning: through our provider, or SLF4J's no-op one (what a jar without one falls back to).
            LoggerFactory.getLogger("software.amazon.awssdk.probe").warn("first SDK warning");
        } else if (args[0].equals("library")) {
            MetricsLogger metrics = new MetricsLogger();
            metrics.setNamespace("aicredits");
            metrics.setDimensions(DimensionSet.of("Feature", "AI_AGENT"));
            metrics.putMetric("CreditsDebited", 6, Unit.COUNT);
            metrics.putMetric("Debits", 1, Unit.COUNT);
            metrics.flush();
        } else {
            Metrics.debited("AI_AGENT", java.math.BigDecimal.valueOf(6), 8);
        }
        long micros = (System.nanoTime() - start) / 1_000;
        System.out.println("probe: " + micros + " " + (classes.getTotalLoadedClassCount() - loadedBefore));
    }
}
