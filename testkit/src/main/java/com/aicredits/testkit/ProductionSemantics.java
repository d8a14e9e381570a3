package com.aicredits.testkit;

import com.aicredits.emulation.dynamodb.DynamoDbEngine;
import com.aicredits.emulation.dynamodb.ProductionMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' switch for production at its least kind, played by our DynamoDB engine itself
 * ({@link ProductionMode}: transaction conflicts, stale eventually consistent reads and GSI queries, per-partition
 * throughput limits, throttles, lost answers of committed writes). This class only chooses where it is played:
 * <ul>
 * <li><b>Per test</b>: {@code new CreditsTable(prefix, semantics)} puts the table on an engine of its own started in
 * that mode ({@link #dynamoDb()}), so the other tests of the JVM are not touched.</li>
 * <li><b>JVM-wide</b>: with the system property {@value #SEED_PROPERTY} set (the {@code production-semantics} failsafe
 * executions), every engine testkit starts in the JVM plays it: the shared one of the tests and the local stack's
 * (also in a stack launched as a process of its own, which is given the properties). No client is touched: the
 * functions' own clients run unchanged.</li>
 * </ul>
 * The settings keep the names the SDK interceptor this replaces had; {@link Settings#engineSettings()} maps them
 * onto the engine's (with DynamoDB's per-partition limits on and no added latency). Every decision is drawn from
 * one generator seeded with {@link Settings#seed()}; threads interleave as they will, so a seed replays the
 * decisions, not the schedule; it is printed on a failure (see {@link ProductionSemanticsSeed}).
 */
public final class ProductionSemantics {
    public static final String PROPERTY_PREFIX = "aicredits.semantics.";
    /** Set to a number (the seed) to play production at its least kind on every engine of the JVM. */
    public static final String SEED_PROPERTY = PROPERTY_PREFIX + "seed";

    private static volatile ProductionSemantics fromProperties;

    /**
     * What is played: {@code staleReadPercent} of eventually consistent reads are served up to {@code lag} old;
     * writes are held up to {@code maxHold} in flight (where they conflict); {@code throttlePercent} of calls are
     * throttled and {@code lostResponsePercent} of committed writes lose their answer.
     */
    public record Settings(long seed, int staleReadPercent, Duration lag, Duration maxHold, int throttlePercent,
                           int lostResponsePercent) {
        public static final Duration DEFAULT_LAG = ProductionMode.Settings.DEFAULT_LAG;

        /** Conflicts and stale reads (a third of eventually consistent reads, up to 1 s old), no injected faults. */
        public static Settings of(long seed) {
            return new Settings(seed, 33, DEFAULT_LAG, Duration.ofMillis(3), 0, 0);
        }

        /**
         * The settings a test plays on its own table: {@link #of} with the seed of {@value #SEED_PROPERTY} when the run
         * sets one (to replay a failure), else a fixed one.
         */
        public static Settings forTests() {
            return of(Long.getLong(SEED_PROPERTY, 18));
        }

        public Settings withStaleReadPercent(int percent) {
            return new Settings(seed, percent, lag, maxHold, throttlePercent, lostResponsePercent);
        }

        public Settings withFaults(int throttles, int lostResponses) {
            return new Settings(seed, staleReadPercent, lag, maxHold, throttles, lostResponses);
        }

        /** The engine's settings for these: DynamoDB's partition limits (1,000 WCU and 3,000 RCU a second), no latency. */
        public ProductionMode.Settings engineSettings() {
            ProductionMode.Settings base = ProductionMode.Settings.of(seed);
            return new ProductionMode.Settings(seed, staleReadPercent, lag, maxHold, base.writeUnitsPerSecond(),
                    base.readUnitsPerSecond(), Duration.ZERO, Duration.ZERO, throttlePercent, lostResponsePercent);
        }

        static Settings fromSystemProperties(long seed) {
            return new Settings(seed, intProperty("staleReadPercent", 33),
                    Duration.ofMillis(intProperty("lagMillis", (int) DEFAULT_LAG.toMillis())),
                    Duration.ofMillis(intProperty("maxHoldMillis", 3)),
                    intProperty("throttlePercent", 0), intProperty("lostResponsePercent", 0));
        }

        private static int intProperty(String name, int fallback) {
            String value = System.getProperty(PROPERTY_PREFIX + name);
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        }

        @Override
        public String toString() {
            return "seed=" + seed + " staleReadPercent=" + staleReadPercent + " lag=" + lag.toMillis() + "ms maxHold="
                    + maxHold.toMillis() + "ms throttlePercent=" + throttlePercent + " lostResponsePercent=" + lostResponsePercent;
        }
    }

    private final Settings settings;
    private final List<DynamoDbEngine> engines = new CopyOnWriteArrayList<>();
    private LocalDynamoDb own;

    public ProductionSemantics(Settings settings) {
        this.settings = settings;
    }

    /**
     * The JVM-wide instance when {@value #SEED_PROPERTY} is set (created on first use, its settings from the
     * {@code aicredits.semantics.*} properties; it prints its settings and, at exit, its stats); else null.
     */
    public static ProductionSemantics fromSystemProperties() {
        ProductionSemantics current = fromProperties;
        if (current != null) {
            return current;
        }
        String seed = System.getProperty(SEED_PROPERTY);
        if (seed == null || seed.isBlank()) {
            return null;
        }
        synchronized (ProductionSemantics.class) {
            if (fromProperties == null) {
                ProductionSemantics created = new ProductionSemantics(Settings.fromSystemProperties(Long.parseLong(seed.trim())));
                System.err.println("production semantics on (played by the DynamoDB engine): " + created.settings);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> created.report("at exit"), "semantics-stats"));
                fromProperties = created;
            }
            return fromProperties;
        }
    }

    public Settings settings() {
        return settings;
    }

    /** An engine started in this mode ({@link LocalDynamoDb#start}): its figures count in {@link #stats()}. */
    void playedBy(DynamoDbEngine engine) {
        engines.add(engine);
    }

    /** A fresh in-memory engine of this mode's own, started on first use and stopped when the JVM exits. */
    public synchronized LocalDynamoDb dynamoDb() {
        if (own == null) {
            LocalDynamoDb started = LocalDynamoDb.start(this);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "semantics-engine-stop"));
            own = started;
        }
        return own;
    }

    /** What was played so far, summed over the engines playing this mode (the rates the README quotes). */
    public ProductionMode.Stats stats() {
        long[] sum = new long[10];
        for (DynamoDbEngine engine : engines) {
            ProductionMode.Stats s = engine.stats();
            long[] one = {s.transactions(), s.transactionsCancelledByConflict(), s.singleWrites(), s.singleWritesInConflict(),
                    s.eventuallyConsistentReads(), s.staleReads(), s.readsMissingNewItem(), s.throttles(),
                    s.partitionThrottles(), s.lostResponses()};
            for (int i = 0; i < sum.length; i++) {
                sum[i] += one[i];
            }
        }
        return new ProductionMode.Stats(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]);
    }

    /** Prints what was played so far, {@code when}, and appends it to the file {@code aicredits.semantics.statsFile} names. */
    void report(String when) {
        String line = "production semantics (" + settings + ") " + when + ": " + stats();
        System.err.println(line);
        String file = System.getProperty(PROPERTY_PREFIX + "statsFile");
        if (file != null && !file.isBlank()) {
            try {
                Files.writeString(Path.of(file), Instant.now() + " " + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                System.err.println("cannot write " + file + ": " + e.getMessage());
            }
        }
    }

    /**
     * Waits out the lag when the JVM-wide mode is on (nothing when it is off): for a test whose step stands for
     * something that happens long after its setup (the monthly job at midnight), where an index Query, eventually
     * consistent on DynamoDB with no way to ask otherwise, would otherwise miss items created by the setup a moment
     * ago. The README says what this leaves: an item created within the lag before the step.
     */
    public static void waitOutLag() {
        ProductionSemantics semantics = fromSystemProperties();
        if (semantics == null) {
            return;
        }
        try {
            Thread.sleep(semantics.settings.lag().toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
