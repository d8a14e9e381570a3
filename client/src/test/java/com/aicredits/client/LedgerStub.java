package com.aicredits.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The API's two debit routes on a loopback port, on an in-memory ledger, to the contract: {@code POST …/executions}
 * (201 a new record, 200 the stored one, 402 over the hard limit with its detail, 403 cases_disabled or
 * byos_not_enabled, 409 execution_id_reused, 400 a bad field, 404 an unknown workspace) and
 * {@code POST …/executions:batch} (1 to 100 items of that same body, distinct executionIds, else 400 and nothing
 * written; 200 {@code {"results":[...]}} in order, each result the status and body a single call of the item would have
 * had). Faults are scripted per batch call; one request can be held until the test lets it go.
 *
 * <p>Credits are exact hundredths, written as the API writes them (no trailing zeros: {@code 1}, {@code 0.25}); a
 * {@code task.execution} is priced by its {@code llmModel} as a LEGACY workspace prices it (the shipped
 * {@code llmModelCredits}), and {@code llmModel} is part of a run's identity with {@code activity} and {@code model}.
 */
final class LedgerStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern LLM_MODEL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Map<String, BigDecimal> CREDITS = Map.of("task.execution", BigDecimal.ONE, "agent.execution",
            new BigDecimal("5"), "case.investigation", new BigDecimal("12"), "batch.import", new BigDecimal("50"));
    /** The shipped catalog's {@code llmModelCredits} of {@code task.execution}. */
    static final Map<String, BigDecimal> LLM_MODEL_CREDITS = Map.of("gpt-4o", BigDecimal.ONE, "gpt-4-turbo", new BigDecimal("2"),
            "gemini-1-pro", new BigDecimal("0.25"), "gemini-1.5-pro", BigDecimal.ONE);
    private static final Map<String, String> FEATURES = Map.of("task.execution", "AI_TASK", "agent.execution", "AI_AGENT",
            "case.investigation", "CASES", "batch.import", "AI_TASK");

    /** What a batch call meets (the next one in the script; none: it is carried out and answered). */
    enum Fault {
        /** 503 contention, nothing written (the API gave up on a busy balance). */
        CONTENTION_BEFORE,
        /** Carried out, then 503 unavailable (the answer's write failed: it may have committed; here it did). */
        UNAVAILABLE_AFTER,
        /** Carried out, then the connection closed without an answer. */
        LOST_AFTER
    }

    /**
     * One request as the stub saw it: the path's last segment, the executionIds, the timeout header, the status answered
     * (0: none), its body.
     */
    record Request(String route, List<String> executionIds, String timeoutHeader, int status, String body) {
        boolean batch() {
            return route.endsWith(":batch");
        }
    }

    private static final class Workspace {
        final BigDecimal allocated;
        final BigDecimal hardLimit;
        final boolean cases;
        final boolean byos;
        BigDecimal used;
        long sequence;
        final Map<String, ObjectNode> records = new HashMap<>();

        Workspace(BigDecimal allocated, BigDecimal hardLimit, BigDecimal used, boolean cases, boolean byos) {
            this.allocated = allocated;
            this.hardLimit = hardLimit;
            this.used = used;
            this.cases = cases;
            this.byos = byos;
        }
    }

    private final Map<String, Workspace> workspaces = new HashMap<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger arrivals = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;
    /** Counted down when the held request has arrived; the test opens {@link #releaseFirst}. */
    final CountDownLatch firstHeld = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final AtomicBoolean holdNext = new AtomicBoolean();
    /** Every request waits until this many have arrived (0: none waits). */
    private volatile int holdAllUntil;
    private final CountDownLatch allArrived = new CountDownLatch(1);
    private volatile boolean batchRoute = true;
    /** Every request answered 503 unavailable, nothing written. */
    private volatile boolean down;

    LedgerStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A workspace: credits allocated, the hard limit in credits, the usage so far, Cases and BYOS enabled or not. */
    synchronized LedgerStub workspace(String id, long allocated, long hardLimit, long used, boolean cases, boolean byos) {
        return workspace(id, BigDecimal.valueOf(allocated), BigDecimal.valueOf(hardLimit), BigDecimal.valueOf(used), cases, byos);
    }

    synchronized LedgerStub workspace(String id, BigDecimal allocated, BigDecimal hardLimit, BigDecimal used, boolean cases,
                                      boolean byos) {
        workspaces.put(id, new Workspace(allocated, hardLimit, used, cases, byos));
        return this;
    }

    LedgerStub fault(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** Holds the next request to arrive until {@link #release()} (once per stub). */
    LedgerStub holdNext() {
        holdNext.set(true);
        return this;
    }

    void release() {
        releaseFirst.countDown();
    }

    /** Every request waits until {@code count} requests have arrived (at most 20 s). */
    LedgerStub holdAllUntil(int count) {
        holdAllUntil = count;
        return this;
    }

    /** An API older than the batch route: {@code POST …/executions:batch} matches no route (API Gateway's 404). */
    LedgerStub withoutBatchRoute() {
        batchRoute = false;
        return this;
    }

    LedgerStub down() {
        down = true;
        return this;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Request> batches() {
        return requests().stream().filter(Request::batch).toList();
    }

    synchronized BigDecimal used(String workspaceId) {
        return workspaces.get(workspaceId).used;
    }

    /** The sequence numbers of the workspace's records. */
    synchronized List<Long> sequences(String workspaceId) {
        return workspaces.get(workspaceId).records.values().stream().map(r -> r.get("sequence").asLong()).sorted().toList();
    }

    @Override
    public void close() {
        releaseFirst.countDown();
        allArrived.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String timeout = exchange.getRequestHeaders().getFirst(AiCreditsClient.TIMEOUT_HEADER);
            int arrival = arrivals.getAndIncrement();
            hold(arrival);
            String[] parts = path.split("/"); // "", v1, workspaces, {id}, executions[:batch]
            String route = parts.length == 5 ? parts[4] : path;
            List<String> ids = new ArrayList<>();
            Reply reply;
            try {
                JsonNode json = JSON.readTree(body);
                if ("executions:batch".equals(route)) {
                    json.path("executions").forEach(item -> ids.add(item.path("executionId").asText()));
                } else {
                    ids.add(json.path("executionId").asText());
                }
                reply = route(parts.length == 5 ? parts[3] : "", route, json);
            } catch (IOException e) {
                reply = error(400, "invalid_json", "the body is not valid JSON");
            }
            requests.add(new Request(route, List.copyOf(ids), timeout, reply == null ? 0 : reply.status, body));
            if (reply == null) { // carried out; the answer is lost
                return;
            }
            byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(reply.status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void hold(int arrival) {
        try {
            if (holdNext.compareAndSet(true, false)) {
                firstHeld.countDown();
                releaseFirst.await(60, TimeUnit.SECONDS);
            }
            int until = holdAllUntil;
            if (until > 0) {
                if (arrival + 1 >= until) {
                    allArrived.countDown();
                }
                allArrived.await(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Reply(int status, String body) {
    }

    /** The answer, or null to drop the connection after carrying the request out. */
    private synchronized Reply route(String workspaceId, String route, JsonNode json) {
        if (down) {
            return error(503, "unavailable", "the service is unavailable");
        }
        if ("executions:batch".equals(route) && !batchRoute || !("executions".equals(route) || "executions:batch".equals(route))) {
            return new Reply(404, "{\"message\":\"Not Found\"}");
        }
        Workspace workspace = workspaces.get(workspaceId);
        if (workspace == null) {
            return error(404, "not_found", "no workspace " + workspaceId);
        }
        if ("executions".equals(route)) {
            ObjectNode result = debit(workspaceId, workspace, json);
            int status = result.get("status").asInt();
            return new Reply(status, (status < 300 ? result.get("record") : JSON.createObjectNode().set("error", result.get("error"))).toString());
        }
        JsonNode items = json.path("executions");
        if (!items.isArray() || items.isEmpty() || items.size() > 100) {
            return error(400, "invalid_executions", "executions holds 1 to 100 items");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode item : items) {
            if (!ids.add(item.path("executionId").asText())) {
                return error(400, "duplicate_executionId", "executionId " + item.path("executionId").asText() + " twice in one batch");
            }
        }
        Fault fault = faults.poll();
        if (fault == Fault.CONTENTION_BEFORE) {
            return error(503, "contention", "the balance is busy");
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode item : items) {
            results.add(debit(workspaceId, workspace, item));
        }
        if (fault == Fault.UNAVAILABLE_AFTER) {
            return error(503, "unavailable", "the answer could not be written");
        }
        if (fault == Fault.LOST_AFTER) {
            return null;
        }
        return new Reply(200, JSON.createObjectNode().set("results", results).toString());
    }

    /** A single debit's result, {@code {"status", "record" | "error"}}, as the batch answers it. */
    private static ObjectNode debit(String workspaceId, Workspace workspace, JsonNode item) {
        String id = item.path("executionId").asText("");
        String activity = item.path("activity").asText("");
        String model = item.path("model").asText("PLATFORM");
        String llmModel = item.has("llmModel") ? item.path("llmModel").asText("") : null;
        if (!EXECUTION_ID.matcher(id).matches()) {
            return refused(400, "invalid_executionId", "executionId must match " + EXECUTION_ID, null);
        }
        if (llmModel != null && !LLM_MODEL.matcher(llmModel).matches()) {
            return refused(400, "invalid_llmModel", "llmModel must match " + LLM_MODEL, null);
        }
        if (!CREDITS.containsKey(activity)) {
            return refused(400, "invalid_activity", "no activity " + activity, null);
        }
        ObjectNode stored = workspace.records.get(id);
        if (stored != null) {
            String storedLlmModel = stored.has("llmModel") ? stored.get("llmModel").asText() : null;
            if (!stored.get("activity").asText().equals(activity) || !stored.get("model").asText().equals(model)
                    || !java.util.Objects.equals(storedLlmModel, llmModel)) {
                return refused(409, "execution_id_reused", "executionId " + id + " was recorded for " + stored.get("activity").asText()
                        + " (model " + stored.get("model").asText() + ", llmModel " + storedLlmModel + ")", null);
            }
            return JSON.createObjectNode().put("status", 200).set("record", stored);
        }
        if (activity.startsWith("case.") && !workspace.cases) {
            return refused(403, "cases_disabled", "Cases is not enabled for " + workspaceId, null);
        }
        if ("BYOS".equals(model) && !workspace.byos) {
            return refused(403, "byos_not_enabled", "BYOS is not enabled for " + activity, null);
        }
        BigDecimal credits = "BYOS".equals(model) ? BigDecimal.ZERO
                : "task.execution".equals(activity) && llmModel != null && LLM_MODEL_CREDITS.containsKey(llmModel)
                ? LLM_MODEL_CREDITS.get(llmModel) : CREDITS.get(activity);
        BigDecimal after = workspace.used.add(credits);
        if (after.compareTo(workspace.hardLimit) > 0) {
            ObjectNode detail = JSON.createObjectNode().put("period", "2026-12").put("credits", wire(credits))
                    .put("creditsUsed", wire(workspace.used)).put("usageAfter", wire(after))
                    .put("hardLimitPercent", workspace.hardLimit.multiply(BigDecimal.valueOf(100))
                            .divide(workspace.allocated, 0, java.math.RoundingMode.DOWN).longValueExact())
                    .put("creditsAllocated", wire(workspace.allocated)).put("hardLimitCredits", wire(workspace.hardLimit));
            return refused(402, "hard_limit_exceeded", wire(credits) + " credits more would pass the hard limit", detail);
        }
        workspace.used = after;
        ObjectNode record = JSON.createObjectNode().put("executionId", id).put("workspaceId", workspaceId).put("activity", activity)
                .put("feature", FEATURES.get(activity)).put("creditsConsumed", wire(credits)).put("creditsUsed", wire(workspace.used))
                .put("creditsRemaining", wire(workspace.allocated.subtract(workspace.used)))
                .put("creditsAllocated", wire(workspace.allocated))
                .put("sequence", ++workspace.sequence).put("period", "2026-12")
                .put("occurredAt", item.path("occurredAt").asText("2026-12-01T00:00:00.000Z"))
                .put("recordedAt", "2026-12-01T00:00:00.000Z").put("priceVersion", "2026-01-01").put("model", model)
                .put("renewsAt", "2027-01-01T00:00:00Z");
        if (llmModel != null) {
            record.put("llmModel", llmModel);
        }
        workspace.records.put(id, record);
        return JSON.createObjectNode().put("status", 201).set("record", record);
    }

    /** An amount as the API writes it: exact, no trailing zeros, never an exponent ({@code 12}, {@code 12.5}, {@code 0.25}). */
    static BigDecimal wire(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static ObjectNode refused(int status, String code, String message, ObjectNode detail) {
        ObjectNode error = JSON.createObjectNode().put("code", code).put("message", message);
        if (detail != null) {
            error.set("detail", detail);
        }
        return JSON.createObjectNode().put("status", status).set("error", error);
    }

    private static Reply error(int status, String code, String message) {
        return new Reply(status, JSON.createObjectNode().set("error", JSON.createObjectNode().put("code", code).put("message", message)).toString());
    }
}
