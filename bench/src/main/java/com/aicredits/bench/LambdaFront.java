package com.aicredits.bench;

import com.aicredits.app.InvocationContext;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.testkit.ApiEvents;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * API Gateway and Lambda in front of one function, for {@link HotWorkspace}: a loopback HTTP server (the JDK's, on
 * 127.0.0.1 and a free port) that routes template.yaml's HttpApi routes of {@code functionLogicalId} (the path
 * matched by {@link HttpApiRoutes}, the route key and path parameters as API Gateway sets them) to a pool of handler
 * instances. Each instance is a Lambda container: its own {@code Services}, DynamoDB client and balance cache, built
 * by {@code newContainer}, and it serves one request at a time; a request finding none idle gets a new one (its
 * construction is the cold start), up to {@code maxContainers}, past which requests queue (Lambda's reserved
 * concurrency). Idle containers are reused most recent first, as Lambda's placement tends to.
 *
 * <p>The JWT authorizer is not played: the event carries the claims of {@code events/record-execution.json} (scope
 * {@code credits/record}), as API Gateway hands a validated token's claims to the function, so what is measured is
 * our code, not a signature check API Gateway does on its side.
 *
 * <p>Counts what API Gateway and Lambda bill: requests, invocations, and each invocation's duration (the handler's
 * wall time, rounded up to the millisecond as Lambda bills it), plus the runs answered and those answered 503.
 */
final class LambdaFront implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpApiRoutes routes;
    private final String functionLogicalId;
    private final int timeoutSeconds;
    private final Supplier<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> newContainer;
    private final Semaphore slots;
    private final ConcurrentLinkedDeque<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> idle = new ConcurrentLinkedDeque<>();
    private final APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer;

    private final LongAdder requests = new LongAdder();
    private final LongAdder batchRequests = new LongAdder();
    private final LongAdder runs = new LongAdder();
    private final LongAdder unavailableRuns = new LongAdder();
    private final LongAdder billedMillis = new LongAdder();
    private final LongAdder otherStatuses = new LongAdder();
    private final AtomicInteger containers = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    /** Requests received and not yet answered: queued for a container or in one. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger peakBusy = new AtomicInteger();
    private volatile String lastUnexpected;

    /** Counters at one instant; {@code containers}: created so far; {@code peakBusy}: most invocations at once so far. */
    record Snapshot(long requests, long batchRequests, long runs, long unavailableRuns, long billedMillis, long otherStatuses,
                    int containers, int peakBusy) {
        Snapshot minus(Snapshot before) {
            return new Snapshot(requests - before.requests, batchRequests - before.batchRequests, runs - before.runs,
                    unavailableRuns - before.unavailableRuns, billedMillis - before.billedMillis, otherStatuses - before.otherStatuses,
                    containers - before.containers, peakBusy);
        }
    }

    LambdaFront(CloudFormationTemplate template, String functionLogicalId, int maxContainers,
                Supplier<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> newContainer) {
        this.routes = HttpApiRoutes.fromTemplate(template);
        this.functionLogicalId = functionLogicalId;
        Object timeout = template.effectiveProperties(functionLogicalId).get("Timeout");
        this.timeoutSeconds = timeout instanceof Number number ? number.intValue() : 3;
        this.newContainer = newContainer;
        this.slots = new Semaphore(maxContainers);
        this.authorizer = ApiEvents.load("record-execution.json").getRequestContext().getAuthorizer();
        AtomicInteger threadNumber = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> Thread.ofPlatform().daemon()
                .name("hot-lambda-" + threadNumber.incrementAndGet()).unstarted(runnable));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::exchange);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Snapshot snapshot() {
        return new Snapshot(requests.sum(), batchRequests.sum(), runs.sum(), unavailableRuns.sum(), billedMillis.sum(),
                otherStatuses.sum(), containers.get(), peakBusy.get());
    }

    /** The body of the last answer that was neither a run's record nor a 503 (null if none). */
    String lastUnexpected() {
        return lastUnexpected;
    }

    /**
     * Waits until no request is queued or running (a caller whose attempt timed out leaves its request running here,
     * as on AWS): only then is the table in its final state. False if that took longer than {@code timeoutMillis}.
     */
    boolean awaitIdle(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    private void exchange(HttpExchange exchange) throws IOException {
        pending.incrementAndGet();
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            Optional<HttpApiRoutes.Match> match = routes.match(method, path)
                    .filter(m -> m.route().functionLogicalId().equals(functionLogicalId));
            if (match.isEmpty()) {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            APIGatewayV2HTTPEvent event = event(exchange, match.get(), path, new String(bytes, StandardCharsets.UTF_8));
            APIGatewayV2HTTPResponse response = invoke(event);
            String body = response.getBody() == null ? "" : response.getBody();
            boolean batch = match.get().route().routeKey().endsWith(":batch");
            count(batch, batch ? occurrences(event.getBody() == null ? "" : event.getBody(), "\"executionId\"") : 1,
                    response.getStatusCode(), body);
            send(exchange, response.getStatusCode(), body);
        } finally {
            pending.decrementAndGet();
        }
    }

    /** One invocation on an idle container (or a new one), timed as Lambda bills it. */
    private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        slots.acquireUninterruptibly();
        try {
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> container = idle.pollFirst();
            if (container == null) {
                container = newContainer.get();
                containers.incrementAndGet();
            }
            peakBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
            InvocationContext context = LocalFunctions.context(functionLogicalId, timeoutSeconds);
            long started = System.nanoTime();
            try {
                return container.handleRequest(event, context);
            } finally {
                billedMillis.add((System.nanoTime() - started + 999_999) / 1_000_000);
                busy.decrementAndGet();
                idle.addFirst(container);
            }
        } finally {
            slots.release();
        }
    }

    /**
     * Runs answered: one for a single call; for a batch, one per result, and a refusal of the whole batch (a 503 when
     * no run of it could commit in time) counts once per run it carried ({@code sent}).
     */
    private void count(boolean batch, long sent, int status, String body) {
        requests.increment();
        if (!batch || status != 200) {
            runs.add(sent);
            if (status == 503) {
                unavailableRuns.add(sent);
            } else if (status != 201 && status != 200) {
                otherStatuses.add(sent);
                lastUnexpected = status + " " + body;
            }
            if (batch) {
                batchRequests.increment();
            }
            return;
        }
        batchRequests.increment();
        runs.add(occurrences(body, "{\"status\":"));
        long unavailable = occurrences(body, "{\"status\":503");
        unavailableRuns.add(unavailable);
        long other = occurrences(body, "{\"status\":") - occurrences(body, "{\"status\":201") - occurrences(body, "{\"status\":200")
                - unavailable;
        if (other > 0) {
            otherStatuses.add(other);
            lastUnexpected = "a batch result: " + body;
        }
    }

    private static long occurrences(String text, String part) {
        long count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, HttpApiRoutes.Match match, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String routeKey = match.route().routeKey();
        long now = System.currentTimeMillis();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(body.isEmpty() ? null : body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("bench")
                        .withAuthorizer(authorizer)
                        .withDomainName("127.0.0.1")
                        .withDomainPrefix("bench")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(match.route().method())
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withTimeEpoch(now)
                        .build())
                .build();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("content-type", List.of("application/json"));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
