package com.aicredits.bench;

import com.aicredits.app.InvocationContext;
import com.aicredits.emulation.dynamodb.ProductionMode;
import com.aicredits.app.Services;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The per-workspace ceiling: N containers (each its own DynamoDB client, {@link Services} and handler, so its own
 * balance cache, as N Lambda containers have) debit one workspace as fast as they can, through the real handler, on
 * our DynamoDB engine in its production mode ({@link ProductionMode}: overlapping transactions cancel with
 * TransactionConflict, per-partition limits of 1,000 write and 3,000 read units a second throttle, eventually
 * consistent reads may be stale) with the latency of a call in region added by the engine to every call: a fixed
 * 8 ms, then a jittered 5-25 ms, each on an engine of its own. Writes the table as rows and the plot as
 * docs/per-workspace-ceiling.svg.
 */
final class WorkspaceCeiling {
    static final int[] CONTAINERS = {1, 2, 4, 8, 16, 32};
    static final long WARM_UP_MILLIS = 1_000;
    static final long MEASURE_MILLIS = 7_000;

    private WorkspaceCeiling() {
    }

    /** A latency per call, added by the engine: fixed, or uniform in [min, max]. */
    record Latency(String label, int minMillis, int maxMillis) {
        /** The engine's production mode with this latency (the seed of the tests' switch, partition limits on). */
        ProductionMode.Settings mode() {
            return ProductionMode.Settings.of(18).withLatency(Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis));
        }
    }

    record Point(String latency, int containers, double debitsPerSecond, double p50Millis, double p99Millis,
                 double lostRacesPerDebit, double conflictsPerDebit, long debits, long unavailable, double localMillisPerCall) {
    }

    /** Times every HTTP attempt as the SDK sees it (the engine's latency included); counts the transactions' outcomes. */
    static final class CallOutcomes implements ExecutionInterceptor {
        final AtomicLong lostRaces = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        /** The attempts' time on the wire and in the engine (its added latency and hold included), summed. */
        final AtomicLong callNanos = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        private final ThreadLocal<Long> sentAt = new ThreadLocal<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sentAt.set(System.nanoTime());
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            Long sent = sentAt.get();
            if (sent != null) {
                callNanos.addAndGet(System.nanoTime() - sent);
                calls.incrementAndGet();
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof TransactWriteItemsRequest
                    && context.exception() instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
                List<String> codes = cancelled.cancellationReasons().stream().map(CancellationReason::code).toList();
                if (codes.contains("TransactionConflict")) {
                    conflicts.incrementAndGet();
                } else if (codes.contains("ConditionalCheckFailed")) {
                    lostRaces.incrementAndGet();
                }
            }
        }
    }

    static void run() {
        long started = System.nanoTime();
        List<Point> points = new ArrayList<>();
        for (Latency latency : List.of(new Latency("fixed 8 ms", 8, 8), new Latency("jittered 5-25 ms", 5, 25))) {
            try (LocalDynamoDb dynamoDb = LocalDynamoDb.start(latency.mode())) {
                CreditsTable table = new CreditsTable(dynamoDb, "bench-ceiling");
                for (int containers : CONTAINERS) {
                    Point point = measure(dynamoDb, table, latency, containers);
                    Progress.say(String.format(Locale.ROOT, "per-workspace ceiling, %s, %d containers: %.0f debits/s, p50 %.0f ms, p99 %.0f ms,"
                                    + " %.2f lost races and %.2f conflicts a debit, %d 503s; %.1f ms a DynamoDB call", latency.label(), containers,
                            point.debitsPerSecond(), point.p50Millis(), point.p99Millis(), point.lostRacesPerDebit(),
                            point.conflictsPerDebit(), point.unavailable(), point.localMillisPerCall()));
                    points.add(point);
                }
                Progress.say("per-workspace ceiling, " + latency.label() + ": the engine's production mode played " + dynamoDb.stats());
            }
        }
        Path svg = DeployedFunction.repository().resolve("docs/per-workspace-ceiling.svg");
        writeSvg(svg, points);
        for (Point point : points) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("latency", point.latency());
            figures.put("containers", point.containers());
            figures.put("debitsPerSecond", round(point.debitsPerSecond()));
            figures.put("p50Millis", round(point.p50Millis()));
            figures.put("p99Millis", round(point.p99Millis()));
            figures.put("lostRacesPerDebit", round(point.lostRacesPerDebit()));
            figures.put("conflictsPerDebit", round(point.conflictsPerDebit()));
            figures.put("debits", point.debits());
            figures.put("unavailable503", point.unavailable());
            figures.put("dynamoDbMillisPerCall", round(point.localMillisPerCall()));
            BenchResults.add(BenchResults.Row.of("ceiling", String.format("per-workspace ceiling: %d container%s debiting one workspace,"
                            + " %s per DynamoDB call, the engine's production mode", point.containers(), point.containers() == 1 ? "" : "s", point.latency()),
                    String.format(Locale.ROOT, "%.0f debits/s; p50 %.0f ms, p99 %.0f ms; %.2f lost races, %.2f conflicts a debit; %d 503s"
                                    + " (a DynamoDB call: %.1f ms)",
                            point.debitsPerSecond(), point.p50Millis(), point.p99Millis(), point.lostRacesPerDebit(),
                            point.conflictsPerDebit(), point.unavailable(), point.localMillisPerCall())).withFigures(figures));
        }
        Progress.say(String.format("per-workspace ceiling: %.0f s, plot in %s", (System.nanoTime() - started) / 1e9,
                DeployedFunction.repository().relativize(svg)));
    }

    private static Point measure(LocalDynamoDb dynamoDb, CreditsTable table, Latency latency, int containers) {
        String workspaceId = "ws-ceiling-" + containers + "-" + latency.minMillis() + "-" + Long.toString(System.nanoTime(), 36);
        table.services(Clock.systemUTC()).workspaces().put(workspaceId, new WorkspaceSpec(null, "org-bench", "Ceiling " + workspaceId,
                "M_PARTNER", null, null, 100_000_000L, null, null, null, 1000));
        // One engine for all: conflicts are between the containers' transactions.
        CallOutcomes network = new CallOutcomes();
        List<DynamoDbClient> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[][] latencies = new long[containers][];
        int[] counts = new int[containers];
        long[] unavailable = new long[containers];
        CountDownLatch ready = new CountDownLatch(containers);
        long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WARM_UP_MILLIS) + TimeUnit.SECONDS.toNanos(1);
        long measureUntil = measureFrom + TimeUnit.MILLISECONDS.toNanos(MEASURE_MILLIS);
        long[] racesAtStart = new long[2];
        for (int c = 0; c < containers; c++) {
            DynamoDbClient client = dynamoDb.client(network);
            clients.add(client);
            RecordExecutionHandler handler = new RecordExecutionHandler(new Services(client, table.name, Clock.systemUTC(),
                    PriceCatalogFile.loadDefault(), Services.NO_NOTIFICATIONS));
            int container = c;
            latencies[c] = new long[20_000];
            threads.add(Thread.ofPlatform().name("container-" + c).start(() -> {
                APIGatewayV2HTTPEvent event = ApiEvents.load("record-execution.json", workspaceId, null);
                InvocationContext context = LocalFunctions.context("RecordExecutionFunction", 15);
                ready.countDown();
                long n = 0;
                while (true) {
                    long start = System.nanoTime();
                    if (start >= measureUntil) {
                        return;
                    }
                    event.setBody("{\"executionId\":\"c" + container + "-" + ++n + "\",\"activity\":\"task.execution\"}");
                    int status = handler.handleRequest(event, context).getStatusCode();
                    long end = System.nanoTime();
                    if (start >= measureFrom && end <= measureUntil) {
                        if (status == 201) {
                            latencies[container][counts[container]++] = end - start;
                        } else if (status == 503) {
                            unavailable[container]++;
                        } else {
                            throw new IllegalStateException("debit answered " + status);
                        }
                    }
                }
            }));
        }
        try {
            ready.await();
            LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
            racesAtStart[0] = network.lostRaces.get();
            racesAtStart[1] = network.conflicts.get();
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            clients.forEach(DynamoDbClient::close);
        }
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < containers; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        long debits = all.length;
        // Counted from the start of the measured window: the warm-up's races are left out.
        double lostRaces = network.lostRaces.get() - racesAtStart[0];
        double conflicts = network.conflicts.get() - racesAtStart[1];
        return new Point(latency.label(), containers, debits / (MEASURE_MILLIS / 1000.0),
                debits == 0 ? 0 : all[(int) (debits / 2)] / 1e6, debits == 0 ? 0 : all[(int) Math.min(debits - 1, debits * 99 / 100)] / 1e6,
                debits == 0 ? 0 : lostRaces / debits, debits == 0 ? 0 : conflicts / debits, debits, Arrays.stream(unavailable).sum(),
                network.calls.get() == 0 ? 0 : network.callNanos.get() / 1e6 / network.calls.get());
    }

    /** Debits a second against containers, one line per latency; a second panel of p99 latency. Plain SVG, no library. */
    static void writeSvg(Path file, List<Point> points) {
        int width = 720;
        int height = 300;
        int left = 60;
        int top = 40;
        int plotWidth = 260;
        int plotHeight = 200;
        double maxRate = points.stream().mapToDouble(Point::debitsPerSecond).max().orElse(1) * 1.1;
        double maxP99 = points.stream().mapToDouble(Point::p99Millis).max().orElse(1) * 1.1;
        List<String> latencies = points.stream().map(Point::latency).distinct().toList();
        String[] colours = {"#1f77b4", "#d62728"};
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">One workspace, N containers, the DynamoDB engine's production mode"
                + " (make bench)</text>%n", left));
        for (int panel = 0; panel < 2; panel++) {
            int x0 = left + panel * (plotWidth + 100);
            double max = panel == 0 ? maxRate : maxP99;
            String title = panel == 0 ? "debits/s" : "p99 latency (ms)";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x0, top - 6, title));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                    x0, top, plotWidth, plotHeight));
            for (int tick = 0; tick <= 4; tick++) {
                double value = max * tick / 4;
                double y = top + plotHeight - plotHeight * tick / 4.0;
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", x0 - 4, y + 4, value));
            }
            for (int i = 0; i < CONTAINERS.length; i++) {
                double x = x0 + plotWidth * i / (CONTAINERS.length - 1.0);
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                        top + plotHeight + 14, CONTAINERS[i]));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">containers</text>%n",
                    x0 + plotWidth / 2, top + plotHeight + 30));
            for (int l = 0; l < latencies.size(); l++) {
                String latency = latencies.get(l);
                StringBuilder line = new StringBuilder();
                for (Point point : points) {
                    if (!point.latency().equals(latency)) {
                        continue;
                    }
                    int index = Arrays.stream(CONTAINERS).boxed().toList().indexOf(point.containers());
                    double x = x0 + plotWidth * index / (CONTAINERS.length - 1.0);
                    double value = panel == 0 ? point.debitsPerSecond() : point.p99Millis();
                    double y = top + plotHeight - plotHeight * value / max;
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, colours[l % 2]));
                }
                svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                        line.toString().trim(), colours[l % 2]));
                if (panel == 0) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s per call</text>%n", x0 + 8,
                            top + 16 + 14 * l, colours[l % 2], latency));
                }
            }
        }
        svg.append("</svg>\n");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, svg.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
