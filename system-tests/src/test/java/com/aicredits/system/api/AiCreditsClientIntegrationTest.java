package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.client.AiCreditsClient;
import com.aicredits.client.AiCreditsException;
import com.aicredits.client.DryRun;
import com.aicredits.client.Pricing;
import com.aicredits.client.Recorded;
import com.aicredits.system.stack.ReliabilityStack;
import com.aicredits.testkit.ProductionSemantics;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Java client against the real local stack over HTTP (in this JVM, with the DynamoDB engine that can be stopped): a
 * record and its replay, each typed refusal, concurrent calls batched by the client, and a fault run where a loopback proxy loses answers after the stack
 * carried the requests out, and the DynamoDB engine is stopped mid-call and restarted; every execution is recorded
 * exactly once and the ledger adds up line by line. (The client's tests live here, not in client/, because they
 * need this module's stack; client/ stays a plain library with no test dependency on the service.)
 */
@Tag("reliability")
class AiCreditsClientIntegrationTest {
    private static final ReliabilityStack api = ReliabilityStack.shared();
    private static final String ORG = "org-client";
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private static AiCreditsClient client(String base, Duration attempt, Duration total) {
        String token = api.token("service", null);
        return AiCreditsClient.builder(URI.create(base), () -> token).attemptTimeout(attempt).totalTimeout(total)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(500)).build();
    }

    private static void workspace(String id, String spec) {
        assertThat(api.send("PUT", "/v1/workspaces/" + id, api.token("admin", null),
                "{\"organizationId\":\"" + ORG + "\",\"name\":\"Client " + id + "\"," + spec + "}").status()).isIn(200, 201);
    }

    @Test
    void recordsReplaysDryRunsAndReadsPricing() {
        workspace("ws-client", "\"tier\":\"PRO\"");
        AiCreditsClient client = client(api.base, Duration.ofSeconds(10), Duration.ofSeconds(30));

        DryRun dryRun = client.check("ws-client", "client-1", "case.investigation");
        assertThat(dryRun.allowed()).isTrue();
        assertThat(dryRun.creditsConsumed()).isEqualByComparingTo("12");

        Recorded first = client.record("ws-client", "client-1", "case.investigation");
        assertThat(first.created()).isTrue();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.record().creditsConsumed()).isEqualByComparingTo("12");
        assertThat(first.record().creditsRemaining()).isEqualByComparingTo(first.record().creditsAllocated().subtract(first.record().creditsUsed()));

        Recorded again = client.record("ws-client", "client-1", "case.investigation");
        assertThat(again.replay()).isTrue();
        assertThat(again.record()).isEqualTo(first.record());

        workspace("ws-client-byos", "\"tier\":\"PRO\",\"byos\":{\"enabled\":true,\"provider\":\"google\",\"features\":[\"AI_AGENT\"]}");
        Recorded byos = client.record("ws-client-byos", "client-byos-1", "agent.execution", null, AiCreditsClient.Model.BYOS);
        assertThat(byos.created()).isTrue();
        assertThat(byos.record().model()).isEqualTo("BYOS");
        assertThat(byos.record().creditsConsumed()).isZero();
        assertThat(first.record().model()).isEqualTo("PLATFORM");

        Pricing pricing = client.pricing();
        assertThat(pricing.creditsOf("case.investigation")).isEqualByComparingTo("12");
        assertThat(pricing.activities()).allSatisfy(activity -> assertThat(activity.byosCredits()).isZero());
        assertThat(pricing.version()).isNotBlank();
    }

    @Test
    void eachRefusalIsTyped() {
        workspace("ws-client-tight", "\"tier\":\"M_PARTNER\",\"monthlyCredits\":10,\"hardLimitPercent\":100");
        workspace("ws-client-nocases", "\"tier\":\"DEV\",\"casesEnabled\":false");
        AiCreditsClient client = client(api.base, Duration.ofSeconds(10), Duration.ofSeconds(30));

        assertThatThrownBy(() -> client.record("ws-client-tight", "tight-1", "case.investigation"))
                .isInstanceOfSatisfying(AiCreditsException.HardLimitExceeded.class, e -> {
                    assertThat(e.credits()).isEqualByComparingTo("12");
                    assertThat(e.creditsAllocated()).isEqualByComparingTo("10");
                    assertThat(e.hardLimitCredits()).isEqualByComparingTo("10");
                    assertThat(e.usageAfter()).isEqualByComparingTo("12");
                });
        assertThatThrownBy(() -> client.record("ws-client-nocases", "nocases-1", "case.conversation"))
                .isInstanceOf(AiCreditsException.CasesDisabled.class);
        assertThatThrownBy(() -> client.record("ws-client-nocases", "byos-1", "agent.execution", null, AiCreditsClient.Model.BYOS))
                .isInstanceOf(AiCreditsException.ByosNotEnabled.class);
        client.record("ws-client-nocases", "reused-1", "task.execution");
        assertThatThrownBy(() -> client.record("ws-client-nocases", "reused-1", "agent.execution"))
                .isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        assertThatThrownBy(() -> client.record("ws-client-nobody", "x-1", "task.execution"))
                .isInstanceOf(AiCreditsException.WorkspaceNotFound.class);
        assertThatThrownBy(() -> client.record("ws-client-nocases", "not an id", "task.execution"))
                .isInstanceOfSatisfying(AiCreditsException.InvalidRequest.class, e -> assertThat(e.code()).isEqualTo("invalid_executionId"));
        assertThatThrownBy(() -> client.record("ws-client-nocases", "x-2", "no.such.activity"))
                .isInstanceOfSatisfying(AiCreditsException.InvalidRequest.class, e -> assertThat(e.code()).isEqualTo("unknown_activity"));
        AiCreditsClient badToken = AiCreditsClient.builder(URI.create(api.base), () -> "not-a-token").build();
        assertThatThrownBy(() -> badToken.record("ws-client-nocases", "x-3", "task.execution"))
                .isInstanceOfSatisfying(AiCreditsException.NotAuthorized.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    /**
     * Answers lost after the stack carried the request out (a proxy that drops them, a bounded number of times), then
     * the DynamoDB engine stopped during a call and restarted: each call still reports its own debit, and the ledger holds
     * each execution once, its lines adding up.
     */
    @Test
    void lostAnswersAndADatabaseRestartRecordEveryExecutionExactlyOnce() throws Exception {
        String ws = "ws-client-faults";
        workspace(ws, "\"tier\":\"ELITE\"");
        int runs = 24;
        try (LossyProxy proxy = LossyProxy.start(api.base, 8)) {
            AiCreditsClient client = client(proxy.base(), ATTEMPT_TIMEOUT, Duration.ofSeconds(60));
            List<Recorded> recorded = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                recorded.add(client.record(ws, "faults-" + i, i % 2 == 0 ? "task.execution" : "agent.execution"));
            }
            assertThat(proxy.dropped()).as("answers the proxy lost").isEqualTo(8);
            assertThat(recorded).allMatch(Recorded::created, "every call reports its own debit");
            assertThat(recorded.stream().filter(r -> r.attempts() > 1).count()).isEqualTo(8);

            // the DynamoDB engine down during a call: the call retries its 503s until the restart, then records.
            api.stack.dynamoDb().stop();
            CompletableFuture<Recorded> duringOutage = CompletableFuture.supplyAsync(() -> client.record(ws, "faults-outage", "task.execution"));
            try {
                // Down long enough for the handlers' own SDK retries to give up: the API answers 503 unavailable.
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (api.send("GET", "/v1/workspaces/" + ws + "/usage", api.token("manager", ORG), null).status() != 503) {
                    assertThat(System.nanoTime()).as("a 503 while the DynamoDB engine is down").isLessThan(until);
                    Thread.sleep(100);
                }
                Thread.sleep(ATTEMPT_TIMEOUT.toMillis() + 1_000); // longer than one attempt may take: the client must retry
            } finally {
                api.stack.dynamoDb().restart();
            }
            Recorded afterRestart = duringOutage.get();
            assertThat(afterRestart.created()).isTrue();
            assertThat(afterRestart.attempts()).isGreaterThan(1);
            recorded.add(afterRestart);
        }

        ProductionSemantics.waitOutLag(); // the listing reads an index, on DynamoDB up to about a second behind
        JsonNode page = api.send("GET", "/v1/workspaces/" + ws + "/executions?limit=500", api.token("manager", ORG), null).json();
        List<JsonNode> lines = new ArrayList<>();
        page.get("items").forEach(lines::add);
        assertThat(page.has("nextCursor")).isFalse();
        assertThat(lines).hasSize(runs + 1);
        Set<String> ids = new HashSet<>();
        lines.forEach(line -> ids.add(line.get("executionId").asText()));
        assertThat(ids).as("each execution once").hasSize(runs + 1);
        long used = assertAddsUp(lines);
        JsonNode usage = api.send("GET", "/v1/workspaces/" + ws + "/usage", api.token("manager", ORG), null).json();
        assertThat(usage.get("creditsUsed").asLong()).isEqualTo(used).isEqualTo(12L * 1 + 12L * 6 + 1);
    }

    /**
     * Thirty-two threads recording at once through one client: calls that wait behind one in flight go out as batches,
     * some of whose answers the proxy loses; each caller still gets its own record, reported as its own debit, and the
     * ledger holds each execution once, adding up line by line.
     */
    @Test
    void concurrentCallsGoOutAsBatchesAndEachCallerGetsItsOwnDebitEvenWhenAnswersAreLost() throws Exception {
        String ws = "ws-client-batches";
        workspace(ws, "\"tier\":\"ELITE\"");
        int threads = 32;
        int callsPerThread = 10;
        Map<String, Recorded> recorded = new ConcurrentHashMap<>();
        try (LossyProxy proxy = LossyProxy.start(api.base, 4)) {
            AiCreditsClient client = client(proxy.base(), ATTEMPT_TIMEOUT, Duration.ofSeconds(60));
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < callsPerThread; i++) {
                        String id = "batched-" + thread + "-" + i;
                        recorded.put(id, client.record(ws, id, i % 2 == 0 ? "task.execution" : "agent.execution"));
                    }
                    return null;
                }));
            }
            for (Future<?> caller : done) {
                caller.get(2, TimeUnit.MINUTES);
            }
            callers.shutdown();
            assertThat(proxy.batches()).as("batch requests").isPositive();
            assertThat(proxy.dropped()).as("answers the proxy lost").isEqualTo(4);
        }

        assertThat(recorded).hasSize(threads * callsPerThread);
        assertThat(recorded.values()).allMatch(Recorded::created, "every call reports its own debit");
        recorded.forEach((id, call) -> assertThat(call.record().executionId()).isEqualTo(id));
        ProductionSemantics.waitOutLag(); // the listing reads an index, on DynamoDB up to about a second behind
        JsonNode page = api.send("GET", "/v1/workspaces/" + ws + "/executions?limit=500", api.token("manager", ORG), null).json();
        List<JsonNode> lines = new ArrayList<>();
        page.get("items").forEach(lines::add);
        assertThat(page.has("nextCursor")).isFalse();
        assertThat(lines).hasSize(threads * callsPerThread);
        long used = assertAddsUp(lines);
        lines.forEach(line -> assertThat(recorded.get(line.get("executionId").asText()).record().sequence())
                .isEqualTo(line.get("sequence").asLong()));
        assertThat(used).isEqualTo(threads * callsPerThread / 2 * (1L + 6L));
    }

    /** The ledger listed newest first, walked from the oldest: sequences 1..n, each running total the sum so far. */
    private static long assertAddsUp(List<JsonNode> newestFirst) {
        long used = 0;
        for (int i = newestFirst.size() - 1, sequence = 1; i >= 0; i--, sequence++) {
            JsonNode line = newestFirst.get(i);
            used += line.get("creditsConsumed").asLong();
            assertThat(line.get("sequence").asLong()).isEqualTo(sequence);
            assertThat(line.get("creditsUsed").asLong()).isEqualTo(used);
        }
        return used;
    }

    /**
     * A loopback HTTP proxy that forwards every request to the stack and, for the first {@code toDrop} debits, waits for
     * the stack's answer and then closes the connection without passing it on: the request was carried out, its answer
     * lost. It stops dropping by itself once it has dropped that many.
     */
    private static final class LossyProxy implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String target;
        private final int toDrop;
        private final AtomicInteger debits = new AtomicInteger();
        private final AtomicInteger dropped = new AtomicInteger();
        private final AtomicInteger batches = new AtomicInteger();

        private LossyProxy(String target, int toDrop) throws IOException {
            this.target = target;
            this.toDrop = toDrop;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
            server.createContext("/", this::forward);
            server.setExecutor(executor);
            server.start();
        }

        static LossyProxy start(String target, int toDrop) throws IOException {
            return new LossyProxy(target, toDrop);
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int dropped() {
            return dropped.get();
        }

        int batches() {
            return batches.get();
        }

        private void forward(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String header : List.of("authorization", "content-type", "accept")) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) {
                        request.header(header, value);
                    }
                }
                HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                // Every other debit, while there are answers left to lose.
                String path = exchange.getRequestURI().getPath();
                boolean batch = path.endsWith("/executions:batch");
                if (batch) {
                    batches.incrementAndGet();
                }
                boolean debit = exchange.getRequestMethod().equals("POST") && (path.endsWith("/executions") || batch);
                if (debit && debits.getAndIncrement() % 2 == 0 && dropped.get() < toDrop) {
                    dropped.incrementAndGet();
                    return; // closed without an answer
                }
                response.headers().firstValue("content-type").ifPresent(type -> exchange.getResponseHeaders().set("content-type", type));
                exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                exchange.getResponseBody().write(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
