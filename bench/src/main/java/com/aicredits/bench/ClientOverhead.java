package com.aicredits.bench;

import com.aicredits.client.AiCreditsClient;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.Progress;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The Java client's own cost per call: {@code AiCreditsClient.record} against a loopback stub that answers a fixed 201
 * record, minus a bare java.net.http POST of the same request to the same stub (one connection, reused, in both). What
 * remains is the client's JSON in and out, its error mapping and retry bookkeeping; the network and the service are
 * not in it.
 */
final class ClientOverhead {
    private static final int ROUNDS = 10;
    private static final int CALLS_PER_ROUND = 2_000;
    private static final byte[] RECORD = ("{\"executionId\":\"bench-1\",\"workspaceId\":\"ws-bench\",\"activity\":\"task.execution\","
            + "\"feature\":\"AI_TASK\",\"creditsConsumed\":1,\"creditsUsed\":1,\"creditsRemaining\":499,\"creditsAllocated\":500,"
            + "\"sequence\":1,\"period\":\"2026-12\",\"occurredAt\":\"2026-12-01T00:00:00.000Z\",\"recordedAt\":\"2026-12-01T00:00:00.000Z\","
            + "\"priceVersion\":\"2026-01-01\"}").getBytes(StandardCharsets.UTF_8);

    private ClientOverhead() {
    }

    static void run() throws Exception {
        Progress.say("client overhead per call (loopback stub, " + ROUNDS + " rounds of " + CALLS_PER_ROUND + " calls each way)");
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(201, RECORD.length);
            exchange.getResponseBody().write(RECORD);
            exchange.close();
        });
        stub.setExecutor(Executors.newSingleThreadExecutor());
        stub.start();
        try {
            String base = "http://127.0.0.1:" + stub.getAddress().getPort();
            AiCreditsClient client = AiCreditsClient.builder(URI.create(base), () -> "bench-token").build();
            HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/ws-bench/executions"))
                    .header("authorization", "Bearer bench-token").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"executionId\":\"bench-1\",\"activity\":\"task.execution\"}")).build();
            List<Double> rawMicros = new ArrayList<>();
            List<Double> clientMicros = new ArrayList<>();
            for (int round = -2; round < ROUNDS; round++) { // two warm-up rounds
                // Call by call, alternating which goes first, so that the machine's load falls on both alike.
                long rawNanos = 0;
                long clientNanos = 0;
                for (int i = 0; i < CALLS_PER_ROUND; i++) {
                    boolean rawFirst = i % 2 == 0;
                    long start = System.nanoTime();
                    if (rawFirst) {
                        raw.send(request, HttpResponse.BodyHandlers.ofString());
                    } else {
                        client.record("ws-bench", "bench-1", "task.execution");
                    }
                    long middle = System.nanoTime();
                    if (rawFirst) {
                        client.record("ws-bench", "bench-1", "task.execution");
                    } else {
                        raw.send(request, HttpResponse.BodyHandlers.ofString());
                    }
                    long end = System.nanoTime();
                    rawNanos += rawFirst ? middle - start : end - middle;
                    clientNanos += rawFirst ? end - middle : middle - start;
                }
                if (round >= 0) {
                    rawMicros.add(rawNanos / 1e3 / CALLS_PER_ROUND);
                    clientMicros.add(clientNanos / 1e3 / CALLS_PER_ROUND);
                }
            }
            double rawMedian = HandlerOverhead.median(rawMicros);
            double clientMedian = HandlerOverhead.median(clientMicros);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("rawPostMicrosMedian", round(rawMedian));
            figures.put("clientRecordMicrosMedian", round(clientMedian));
            figures.put("rounds", ROUNDS);
            figures.put("callsPerRound", CALLS_PER_ROUND);
            BenchResults.add(BenchResults.Row.of("client", "AiCreditsClient.record: its own cost per call (over a bare java.net.http POST, loopback stub)",
                    String.format("%.1f µs (%.1f µs vs %.1f µs a call)", clientMedian - rawMedian, clientMedian, rawMedian)).withFigures(figures));
        } finally {
            stub.stop(0);
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
