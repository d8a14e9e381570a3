package com.aicredits.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The aicredits API for platform services: record an AI run, its dry run, the pricing; and, with an admin token
 * (scope {@code credits/admin}), an organization's credit pool and its add-on packages. One instance per service,
 * shared by its threads: it keeps its connections open (java.net.http's pool).
 *
 * <p>Retries are safe by construction: a network error, a timeout, a 429 or a 503 (and API Gateway's 502/504) is
 * retried with the same request, hence the same {@code executionId}, which the API records exactly once; capped,
 * jittered exponential backoff, within the caller's total deadline. A 4xx is never retried. A lost answer followed by
 * a 200 replay is reported as the debit it was ({@link Recorded#created()}).
 *
 * <p>Each debit attempt tells the API how long it waits ({@value #TIMEOUT_HEADER}: the attempt's timeout less a
 * margin for the network), and the API stops retrying a busy balance by then and answers 503 {@code contention}. So an
 * attempt never times out while the server still works on it: the client's retry is never a second contender for the
 * same debit beside the first. A debit's attempt waits as long as the total timeout leaves once one ordinary attempt
 * ({@link Builder#attemptTimeout}) is kept back, for the retry of an answer lost on the way: the API holds a debit
 * while its workspace's balance is busy with others, so contention ends in the debit's answer, not in a 503 and a
 * retry, while the caller's deadline allows (with the defaults: 8 s, of which the API may use 7.5 s). The pools' writes,
 * which the API retries too while the pool's balance is busy, wait and say so alike; reads and the dry run wait one
 * attempt.
 *
 * <p><b>It batches by itself.</b> Concurrent {@link #record record} calls for one workspace are sent together as one
 * {@code POST /v1/workspaces/{workspaceId}/executions:batch} (up to {@link Builder#maxBatchSize} runs), and each caller
 * still gets its own run's answer, exactly as its own call would have: the {@link Recorded} (with the same
 * {@link Recorded#created()} rules) or the same {@link AiCreditsException} subclass with the same fields. A call that
 * finds no other call of its workspace in flight is sent at once, alone, as before; only calls that arrive while one is
 * in flight wait, until it answers or the batch is full, whichever comes first (with {@link Builder#maxCallsInFlight}
 * above one, also until {@link Builder#batchWindow the window}, 5 ms, has passed while fewer calls are in flight). So
 * batching adds no latency at low traffic, and under load a run waits at most for the call in flight: the workspace's
 * balance commits one transaction at a time, so a run sent beside it would mostly have raced it.
 * {@link Builder#autoBatching(boolean) autoBatching(false)} turns it off. No thread of its own: a batch is sent on the
 * thread of one of its callers, so the client needs no {@code close()}.
 */
public final class AiCreditsClient {
    /** The header that says how long an attempt waits, in milliseconds (the API's {@code HttpApi.TIMEOUT_HEADER}). */
    public static final String TIMEOUT_HEADER = "aicredits-timeout-ms";
    /** What an attempt's announced wait leaves for the network and the gateway: a quarter of it, at most 500 ms. */
    static final Duration MAX_NETWORK_MARGIN = Duration.ofMillis(500);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer server may add fields
            // Credits have up to two decimals: read exactly as written (0.1 stays 0.1), never through a double, also in
            // trees (a batch's results, a 402's detail), and kept as written there (12.50 would not become 12.5, nor
            // 100 1E+2). Integers land in BigDecimal fields as BigDecimals of scale 0.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final URI baseUrl;
    private final Supplier<String> tokens;
    private final HttpClient http;
    private final Duration attemptTimeout;
    private final Duration totalTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    /** Null when auto-batching is off. */
    private final AutoBatcher batcher;

    private AiCreditsClient(Builder builder) {
        String base = builder.baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.tokens = builder.tokens;
        this.attemptTimeout = builder.attemptTimeout;
        this.totalTimeout = builder.totalTimeout;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.batcher = builder.autoBatching && builder.maxBatchSize > 1
                ? new AutoBatcher(this, builder.batchWindow, builder.maxBatchSize, builder.maxCallsInFlight, totalTimeout) : null;
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder()
                // Plain http (the local stack) speaks HTTP/1.1; https negotiates HTTP/2 where the API offers it.
                .version("http".equalsIgnoreCase(baseUrl.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .connectTimeout(attemptTimeout)
                .build();
    }

    /** {@code baseUrl}: the API's address (stack output ApiUrl); {@code tokens}: a current bearer token each time it is called. */
    public static Builder builder(URI baseUrl, Supplier<String> tokens) {
        return new Builder(baseUrl, tokens);
    }

    /** Records a run that occurred now. */
    public Recorded record(String workspaceId, String executionId, String activity) {
        return record(workspaceId, executionId, activity, null);
    }

    /**
     * Records a run once: 201 or, for an executionId recorded before, the stored record. Throws the API's refusals as
     * {@link AiCreditsException} subclasses ({@code HardLimitExceeded}, {@code CasesDisabled}, ...), and
     * {@link AiCreditsException.Unavailable} when no attempt got a definite answer within the total timeout.
     */
    public Recorded record(String workspaceId, String executionId, String activity, Instant occurredAt) {
        return record(workspaceId, executionId, activity, occurredAt, Model.PLATFORM);
    }

    /** Whose model subscription a run used: the platform's, or the workspace's own (BYOS, priced apart). */
    public enum Model {
        PLATFORM, BYOS
    }

    /**
     * As above, for a run on {@code model}; a BYOS run of a feature the workspace has not enabled for BYOS is refused
     * with {@link AiCreditsException.ByosNotEnabled}.
     *
     * <p>With auto-batching on (the default) the run may travel in a batch with other callers' runs of the same
     * workspace; what this call returns or throws is the same either way, and it never takes longer than the total
     * timeout from the moment it was called.
     */
    public Recorded record(String workspaceId, String executionId, String activity, Instant occurredAt, Model model) {
        return record(workspaceId, new Execution(executionId, activity, occurredAt, model));
    }

    /**
     * As above, for a run on the LLM model {@code llmModel} (1-64 chars of {@code [A-Za-z0-9._:-]}, null for none): a
     * LEGACY workspace prices an AI task by it (the catalog's {@code llmModelCredits}); every workspace keeps it on the
     * record. It is part of the run's identity, like {@code activity} and {@code model}: the same executionId sent with
     * another llmModel is refused with {@link AiCreditsException.ExecutionIdReused}.
     */
    public Recorded record(String workspaceId, String executionId, String activity, Instant occurredAt, Model model,
                           String llmModel) {
        return record(workspaceId, new Execution(executionId, activity, occurredAt, model, llmModel));
    }

    /**
     * Records one run described as in {@link #recordBatch}, for example
     * {@code record(ws, new Execution(runId, "task.execution").withLlmModel("gpt-4o"))}: the same as the overloads above,
     * batched with other callers' runs in the same way.
     */
    public Recorded record(String workspaceId, Execution execution) {
        long started = System.nanoTime();
        String executionId = execution.executionId();
        String item = body(execution);
        Objects.requireNonNull(workspaceId, "workspaceId");
        if (batcher != null) {
            return batcher.record(workspaceId, executionId, item, started);
        }
        return recordAlone(workspaceId, item, started + totalTimeout.toNanos());
    }

    /** One debit on its own call ({@code POST …/executions}), retried until {@code deadline} (System.nanoTime()). */
    Recorded recordAlone(String workspaceId, String item, long deadline) {
        Answer answer = send("POST", workspacePath(workspaceId) + "/executions", item, Wait.HELD_AND_SAID, deadline);
        if (answer.status() != 201 && answer.status() != 200) {
            throw refusal(answer);
        }
        UsageRecord record = read(answer, UsageRecord.class);
        return new Recorded(record, answer.status() == 201 || answer.anEarlierAttemptMayHaveCommitted(), answer.attempts());
    }

    /** The most runs one batch call may carry (the API's limit). */
    public static final int MAX_BATCH_SIZE = 100;

    /**
     * One run of {@link #recordBatch} or {@link #record(String, Execution)}: the arguments of
     * {@link #record(String, String, String, Instant, Model, String)}. {@code occurredAt} null means now; {@code model}
     * null means {@link Model#PLATFORM}; {@code llmModel} null means none (the field is not sent).
     */
    public record Execution(String executionId, String activity, Instant occurredAt, Model model, String llmModel) {
        public Execution {
            Objects.requireNonNull(executionId, "executionId");
            Objects.requireNonNull(activity, "activity");
            model = model == null ? Model.PLATFORM : model;
        }

        /** A run without an LLM model. */
        public Execution(String executionId, String activity, Instant occurredAt, Model model) {
            this(executionId, activity, occurredAt, model, null);
        }

        /** A platform-model run that occurred now. */
        public Execution(String executionId, String activity) {
            this(executionId, activity, null, Model.PLATFORM, null);
        }

        /** The same run, on the LLM model {@code llmModel} (null: none). */
        public Execution withLlmModel(String llmModel) {
            return new Execution(executionId, activity, occurredAt, model, llmModel);
        }

        /** The same run, occurred at {@code occurredAt} (null: now). */
        public Execution withOccurredAt(Instant occurredAt) {
            return new Execution(executionId, activity, occurredAt, model, llmModel);
        }

        /** The same run, on {@code model}. */
        public Execution withModel(Model model) {
            return new Execution(executionId, activity, occurredAt, model, llmModel);
        }
    }

    /**
     * One run's outcome in {@link #recordBatch}: its {@link Recorded}, or the refusal a call of this run alone would
     * have thrown ({@link AiCreditsException.HardLimitExceeded}, {@link AiCreditsException.CasesDisabled}, ...);
     * exactly one of the two is non-null.
     */
    public record Outcome(Execution execution, Recorded recorded, AiCreditsException refusal) {
        /** True when the run is recorded (now or before). */
        public boolean isRecorded() {
            return recorded != null;
        }

        /** The record, or throws the refusal. */
        public Recorded get() {
            if (refusal != null) {
                throw refusal;
            }
            return recorded;
        }
    }

    /**
     * Records up to {@value #MAX_BATCH_SIZE} runs of one workspace in one call ({@code POST …/executions:batch}),
     * retried like {@link #record} (a batch is exactly-once like its runs, so it is sent again whole, with the same
     * runs). Returns one {@link Outcome} per run, in order: each what a call of that run alone would have answered.
     * Throws what a single call would have thrown for a refusal of the whole call ({@link
     * AiCreditsException.WorkspaceNotFound}, {@link AiCreditsException.NotAuthorized}, ...) or no definite answer
     * ({@link AiCreditsException.Unavailable}: call again with the same runs); {@link AiCreditsException.Unexpected}
     * with code {@code batch_not_supported} from an API older than the batch route.
     *
     * <p>You rarely need it: {@link #record} batches concurrent calls by itself.
     *
     * @throws IllegalArgumentException no run, more than {@value #MAX_BATCH_SIZE}, or an executionId twice (the API
     *                                  would refuse the whole batch)
     */
    public List<Outcome> recordBatch(String workspaceId, List<Execution> executions) {
        long started = System.nanoTime();
        Objects.requireNonNull(workspaceId, "workspaceId");
        if (executions.isEmpty() || executions.size() > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_SIZE + " runs; got " + executions.size());
        }
        List<String> items = new ArrayList<>(executions.size());
        Set<String> ids = new HashSet<>();
        for (Execution execution : executions) {
            if (!ids.add(execution.executionId())) {
                throw new IllegalArgumentException("executionId " + execution.executionId() + " twice in one batch");
            }
            items.add(body(execution));
        }
        BatchAnswer answer = exchangeBatch(workspaceId, items, started + totalTimeout.toNanos());
        if (answer.items() == null) {
            if (answer.lacksTheRoute()) {
                throw new AiCreditsException.Unexpected(404, "batch_not_supported", "this API has no "
                        + "POST …/executions:batch (it is older than this client): record the runs one by one");
            }
            throw refusal(answer.whole());
        }
        List<Outcome> outcomes = new ArrayList<>(executions.size());
        for (int i = 0; i < executions.size(); i++) {
            ItemAnswer item = answer.items().get(i);
            outcomes.add(new Outcome(executions.get(i), item.recorded(), item.recorded() == null ? refusal(item.refused()) : null));
        }
        return outcomes;
    }

    /** One run's answer within a batch: its record, or its refusal as a single call's status and body. */
    record ItemAnswer(Recorded recorded, Answer refused) {
    }

    /** A batch call's answer: the runs' answers in order, or (items null) the whole call's answer when it is not a 200. */
    record BatchAnswer(Answer whole, List<ItemAnswer> items) {
        /** A 404 that is not the API's own ({@code {"message":"Not Found"}}: no route matched): an API older than batches. */
        boolean lacksTheRoute() {
            return items == null && whole.status() == 404 && "gateway".equals(error(whole.body()).get("code"));
        }
    }

    /**
     * Sends {@code items} (single-debit bodies, distinct executionIds, 1 to 100) as one batch call, retried until
     * {@code deadline}. Throws {@link AiCreditsException.Unavailable} when no attempt got a definite answer, and
     * {@link AiCreditsException.Unexpected} for a 200 that is not a batch's answer.
     */
    BatchAnswer exchangeBatch(String workspaceId, List<String> items, long deadline) {
        StringBuilder body = new StringBuilder(16 + items.size() * 96).append("{\"executions\":[");
        for (int i = 0; i < items.size(); i++) {
            body.append(i == 0 ? "" : ",").append(items.get(i));
        }
        Answer answer = send("POST", workspacePath(workspaceId) + "/executions:batch", body.append("]}").toString(),
                Wait.HELD_AND_SAID, deadline);
        if (answer.status() != 200) {
            return new BatchAnswer(answer, null);
        }
        JsonNode results;
        try {
            results = JSON.readTree(answer.body()).path("results");
        } catch (JsonProcessingException e) {
            throw new AiCreditsException.Unexpected(200, "invalid_answer", "the answer is not a batch's: " + e.getOriginalMessage());
        }
        if (!results.isArray() || results.size() != items.size()) {
            throw new AiCreditsException.Unexpected(200, "invalid_answer", "the batch's answer does not hold one result per run ("
                    + items.size() + " sent, " + (results.isArray() ? results.size() : 0) + " results)");
        }
        List<ItemAnswer> answers = new ArrayList<>(items.size());
        for (JsonNode result : results) {
            answers.add(itemAnswer(result, answer));
        }
        return new BatchAnswer(answer, answers);
    }

    /** A result {@code {"status","record"?,"error"?}} read as the single call it stands for. */
    private static ItemAnswer itemAnswer(JsonNode result, Answer batch) {
        int status = result.path("status").asInt(0);
        JsonNode record = result.path("record");
        if ((status == 201 || status == 200) && record.isObject()) {
            try {
                UsageRecord usage = JSON.treeToValue(record, UsageRecord.class);
                // A 200 after an attempt of this same batch that may have been carried out unseen is that attempt's debit.
                return new ItemAnswer(new Recorded(usage, status == 201 || batch.anEarlierAttemptMayHaveCommitted(), batch.attempts()), null);
            } catch (JsonProcessingException e) {
                return new ItemAnswer(null, invalid(status, "the result's record is not a UsageRecord: " + e.getOriginalMessage(), batch));
            }
        }
        if (status == 201 || status == 200) {
            return new ItemAnswer(null, invalid(status, "a result " + status + " without its record", batch));
        }
        Map<String, JsonNode> body = new LinkedHashMap<>();
        body.put("error", result.path("error").isObject() ? result.path("error") : JSON.createObjectNode()
                .put("code", "invalid_answer").put("message", "a result " + status + " without its error"));
        try {
            return new ItemAnswer(null, new Answer(status, JSON.writeValueAsString(body), batch.attempts(), batch.anEarlierAttemptMayHaveCommitted()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer that {@link #refusal} turns into {@link AiCreditsException.Unexpected} with code invalid_answer. */
    private static Answer invalid(int status, String message, Answer batch) {
        String body = JSON.createObjectNode().set("error", JSON.createObjectNode().put("code", "invalid_answer").put("message", message)).toString();
        return new Answer(status, body, batch.attempts(), batch.anEarlierAttemptMayHaveCommitted());
    }

    /** How many runs wait for a batch of this workspace (not yet sent): for tests. */
    int waiting(String workspaceId) {
        return batcher == null ? 0 : batcher.waiting(workspaceId);
    }

    /** The dry run: whether the run would be recorded now, for how many credits; writes nothing. */
    public DryRun check(String workspaceId, String executionId, String activity) {
        return check(workspaceId, executionId, activity, Model.PLATFORM);
    }

    /** The dry run of a run on {@code model}. */
    public DryRun check(String workspaceId, String executionId, String activity, Model model) {
        return check(workspaceId, new Execution(executionId, activity, null, model));
    }

    /** The dry run of {@code execution} (its LLM model included, which prices an AI task in a LEGACY workspace). */
    public DryRun check(String workspaceId, Execution execution) {
        Answer answer = send("POST", workspacePath(workspaceId) + "/executions:check", body(execution), Wait.ORDINARY);
        if (answer.status() != 200) {
            throw refusal(answer);
        }
        return read(answer, DryRun.class);
    }

    /** The catalog in force (and the next version, when one is scheduled). */
    public Pricing pricing() {
        Answer answer = send("GET", "/v1/pricing", null, Wait.ORDINARY);
        if (answer.status() != 200) {
            throw refusal(answer);
        }
        return read(answer, Pricing.class);
    }

    /**
     * Creates (201) or updates (200) the organization {@code organizationId} and its credit pool ({@code creditPool} null:
     * none), admin scope {@code credits/admin}. Enabling the pool makes every workspace of the organization draw from it
     * at once; disabling it returns each to its own allocation. The same settings again are a 200 that writes nothing, so
     * the call is retried like a debit. Throws {@link AiCreditsException.InvalidRequest} for a bad field,
     * {@link AiCreditsException.PoolTooLarge} when the switch would move more workspaces than one transaction takes.
     */
    public Saved<Organization> putOrganization(String organizationId, String name, Organization.CreditPool creditPool) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", Objects.requireNonNull(name, "name"));
        if (creditPool != null) {
            Map<String, Object> pool = new LinkedHashMap<>();
            pool.put("enabled", creditPool.enabled());
            // Absent, not null: a default the API fills in.
            if (creditPool.monthlyCredits() != null) {
                pool.put("monthlyCredits", creditPool.monthlyCredits());
            }
            if (creditPool.hardLimitPercent() != null) {
                pool.put("hardLimitPercent", creditPool.hardLimitPercent());
            }
            if (creditPool.thresholds() != null) {
                pool.put("thresholds", creditPool.thresholds());
            }
            pool.put("notificationEmails", creditPool.notificationEmails());
            body.put("creditPool", pool);
        }
        Answer answer = send("PUT", organizationPath(organizationId), json(body), Wait.HELD_AND_SAID);
        if (answer.status() != 201 && answer.status() != 200) {
            throw organizationRefusal(answer);
        }
        return saved(answer, Organization.class);
    }

    /** The organization and its credit pool (admin scope); {@link AiCreditsException.OrganizationNotFound} if none. */
    public Organization organization(String organizationId) {
        Answer answer = send("GET", organizationPath(organizationId), null, Wait.ORDINARY);
        if (answer.status() != 200) {
            throw organizationRefusal(answer);
        }
        return read(answer, Organization.class);
    }

    /**
     * Buys an add-on package for the organization's credit pool (admin scope): {@code monthlyCredits} 10000, 25000, 50000
     * or 100000 a month for the {@code term}. Idempotent by {@code purchaseId}: sent again (also by this client's
     * retries), the API answers the original purchase and adds nothing.
     */
    public Saved<PoolAddon> buyPoolAddon(String organizationId, String purchaseId, long monthlyCredits, PoolAddon.Term term) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("purchaseId", Objects.requireNonNull(purchaseId, "purchaseId"));
        body.put("monthlyCredits", monthlyCredits);
        body.put("term", Objects.requireNonNull(term, "term").name());
        Answer answer = send("POST", organizationPath(organizationId) + "/addons", json(body), Wait.HELD_AND_SAID);
        if (answer.status() != 201 && answer.status() != 200) {
            throw organizationRefusal(answer);
        }
        return saved(answer, PoolAddon.class);
    }

    /** Every add-on package of the organization's credit pool, oldest first (admin scope). */
    public List<PoolAddon> poolAddons(String organizationId) {
        Answer answer = send("GET", organizationPath(organizationId) + "/addons", null, Wait.ORDINARY);
        if (answer.status() != 200) {
            throw organizationRefusal(answer);
        }
        return read(answer, PoolAddons.class).items();
    }

    /** The list's wrapper on the wire. */
    record PoolAddons(List<PoolAddon> items) {
        PoolAddons {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    private static <T> Saved<T> saved(Answer answer, Class<T> type) {
        return new Saved<>(read(answer, type), answer.status() == 201 || answer.anEarlierAttemptMayHaveCommitted(), answer.attempts());
    }

    /** As {@link #refusal}, a 404 naming the organization. */
    private static AiCreditsException organizationRefusal(Answer answer) {
        return answer.status() == 404 && !"gateway".equals(error(answer.body()).get("code"))
                ? new AiCreditsException.OrganizationNotFound(error(answer.body()).get("message")) : refusal(answer);
    }

    /** An answer, how many attempts it took, and whether an attempt before it may have been carried out unseen. */
    record Answer(int status, String body, int attempts, boolean anEarlierAttemptMayHaveCommitted) {
    }

    /** How long a call's attempt waits for its answer, and whether it tells the API. */
    private enum Wait {
        /** One {@code attemptTimeout}: the API answers at once (reads, the dry run). */
        ORDINARY,
        /**
         * All of the deadline but one ordinary attempt, kept back for the retry of a lost answer, and said in the header
         * {@code aicredits-timeout-ms}: a write the API retries itself while the balances it moves are busy (a debit, a
         * pool's write), and ends by then.
         */
        HELD_AND_SAID
    }

    private Answer send(String method, String path, String body, Wait wait) {
        return send(method, path, body, wait, System.nanoTime() + totalTimeout.toNanos());
    }

    /** {@code deadline}: System.nanoTime() by which to give up. */
    private Answer send(String method, String path, String body, Wait wait, long deadline) {
        boolean mayHaveCommitted = false;
        int lastStatus = 0;
        String lastCode = "no_answer";
        String lastMessage = "no answer";
        Throwable lastCause = null;
        for (int attempt = 1; ; attempt++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw unavailable(method, path, attempt - 1, lastStatus, lastCode, lastMessage, lastCause);
            }
            Duration waits = Duration.ofNanos(wait == Wait.ORDINARY ? Math.min(attemptTimeout.toNanos(), remaining)
                    : heldAttempt(remaining));
            HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(baseUrl.getPath() + path))
                    .timeout(waits)
                    .header("authorization", "Bearer " + tokens.get())
                    .header("accept", "application/json");
            if (wait == Wait.HELD_AND_SAID) {
                request.header(TIMEOUT_HEADER, Long.toString(serverWait(waits).toMillis()));
            }
            if (body != null) {
                request.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (!retryable(status)) {
                    return new Answer(status, response.body(), attempt, mayHaveCommitted);
                }
                Map<String, String> error = error(response.body());
                lastStatus = status;
                lastCode = error.get("code");
                lastMessage = error.get("message");
                lastCause = null;
                // A 429 and a 503 "contention" wrote nothing; an "unavailable" or a gateway timeout may have committed.
                mayHaveCommitted |= status != 429 && !"contention".equals(lastCode);
            } catch (IOException e) { // includes HttpTimeoutException: the request may have been carried out
                mayHaveCommitted = true;
                lastStatus = 0;
                lastCode = e instanceof java.net.http.HttpTimeoutException ? "timeout" : "network_error";
                lastMessage = e.toString();
                lastCause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AiCreditsException.Unavailable(0, "interrupted", "interrupted during " + method + " " + path, e, attempt);
            }
            long pause = backoff(attempt);
            if (System.nanoTime() + pause >= deadline) {
                throw unavailable(method, path, attempt, lastStatus, lastCode, lastMessage, lastCause);
            }
            try {
                Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AiCreditsException.Unavailable(0, "interrupted", "interrupted during " + method + " " + path, e, attempt);
            }
        }
    }

    /**
     * How long a debit's (or a pool write's) attempt waits, in nanoseconds, with {@code remaining} left of its deadline:
     * all of it but one ordinary attempt, kept back for the retry of a lost answer; at least an ordinary attempt, at
     * most what remains.
     */
    long heldAttempt(long remaining) {
        long ordinary = attemptTimeout.toNanos();
        return Math.min(remaining, Math.max(ordinary, remaining - ordinary));
    }

    /** How long the server may work on an attempt that waits {@code attempt}: less the network's margin, at least 1 ms. */
    static Duration serverWait(Duration attempt) {
        Duration margin = attempt.dividedBy(4).compareTo(MAX_NETWORK_MARGIN) < 0 ? attempt.dividedBy(4) : MAX_NETWORK_MARGIN;
        long millis = attempt.minus(margin).toMillis();
        return Duration.ofMillis(Math.max(1, millis));
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** "Full jitter": a random pause up to min(maxBackoff, initialBackoff x 2^(attempt-1)), in nanoseconds. */
    private long backoff(int attempt) {
        long cap = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    private AiCreditsException.Unavailable unavailable(String method, String path, int attempts, int status, String code,
                                                       String message, Throwable cause) {
        return new AiCreditsException.Unavailable(status, code, method + " " + path + ": no definite answer in " + attempts
                + " attempt(s) within " + totalTimeout + "; the last: " + message + " (retry with the same executionId)", cause, attempts);
    }

    /** The exception a single call throws for this (non-retryable, non-2xx) answer. */
    static AiCreditsException refusal(Answer answer) {
        Map<String, String> error = error(answer.body());
        String code = error.get("code");
        String message = error.get("message");
        int status = answer.status();
        switch (status) {
            case 400, 413, 415:
                return new AiCreditsException.InvalidRequest(status, code, message);
            case 401:
                return new AiCreditsException.NotAuthorized(status, code, message);
            case 402:
                return new AiCreditsException.HardLimitExceeded(message, detail(answer.body()));
            case 403:
                return switch (code) {
                    case "cases_disabled" -> new AiCreditsException.CasesDisabled(message);
                    case "byos_not_enabled" -> new AiCreditsException.ByosNotEnabled(message);
                    default -> new AiCreditsException.NotAuthorized(status, code, message);
                };
            case 404:
                return new AiCreditsException.WorkspaceNotFound(message);
            case 409:
                return switch (code) {
                    case "execution_id_reused" -> new AiCreditsException.ExecutionIdReused(message);
                    case "pool_too_large" -> new AiCreditsException.PoolTooLarge(message);
                    default -> new AiCreditsException.Unexpected(status, code, message);
                };
            default:
                return new AiCreditsException.Unexpected(status, code, message);
        }
    }

    /** {@code {"error":{"code","message"}}}, or API Gateway's {@code {"message"}} (code "gateway"). */
    private static Map<String, String> error(String body) {
        Map<String, String> error = new LinkedHashMap<>();
        try {
            JsonNode json = JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
            JsonNode inner = json.path("error");
            error.put("code", inner.isObject() ? inner.path("code").asText("unknown") : "gateway");
            error.put("message", inner.isObject() ? inner.path("message").asText("") : json.path("message").asText(String.valueOf(body)));
        } catch (JsonProcessingException e) {
            error.put("code", "unknown");
            error.put("message", String.valueOf(body));
        }
        return error;
    }

    /** The error's {@code detail} object (the refusal's numbers), or an empty object when it has none. */
    private static JsonNode detail(String body) {
        try {
            JsonNode detail = JSON.readTree(body == null || body.isEmpty() ? "{}" : body).path("error").path("detail");
            return detail.isObject() ? detail : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static <T> T read(Answer answer, Class<T> type) {
        try {
            return JSON.readValue(answer.body(), type);
        } catch (JsonProcessingException e) {
            throw new AiCreditsException.Unexpected(answer.status(), "invalid_answer", "the answer is not a " + type.getSimpleName()
                    + ": " + e.getOriginalMessage());
        }
    }

    private static String body(Execution execution) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("executionId", execution.executionId());
        body.put("activity", execution.activity());
        if (execution.occurredAt() != null) {
            body.put("occurredAt", execution.occurredAt().toString());
        }
        if (execution.model() == Model.BYOS) {
            body.put("model", execution.model().name());
        }
        if (execution.llmModel() != null) { // absent, not null: an API older than llmModel refuses the unknown field
            body.put("llmModel", execution.llmModel());
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String organizationPath(String organizationId) {
        return "/v1/organizations/" + URLEncoder.encode(Objects.requireNonNull(organizationId, "organizationId"), StandardCharsets.UTF_8);
    }

    private static String workspacePath(String workspaceId) {
        return "/v1/workspaces/" + URLEncoder.encode(Objects.requireNonNull(workspaceId, "workspaceId"), StandardCharsets.UTF_8);
    }

    /**
     * Defaults: 2 s per attempt (a debit's first: 8 s, the total less one attempt), 10 s in total, backoff from 50 ms
     * doubling up to 1 s; auto-batching on, a 5 ms window, batches of up to 100 runs, one call of a workspace in flight.
     */
    public static final class Builder {
        private final URI baseUrl;
        private final Supplier<String> tokens;
        private Duration attemptTimeout = Duration.ofSeconds(2);
        private Duration totalTimeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private HttpClient http;
        private boolean autoBatching = true;
        private Duration batchWindow = Duration.ofMillis(5);
        private int maxBatchSize = MAX_BATCH_SIZE;
        private int maxCallsInFlight = 1;

        private Builder(URI baseUrl, Supplier<String> tokens) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        /**
         * The longest one attempt may take (connecting included), and what a debit's attempt keeps back of the total
         * timeout for the retry of a lost answer (a debit's attempt waits the rest: the API holds it while the balance
         * is busy).
         */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = positive(timeout);
            return this;
        }

        /** The longest a call may take, every retry and pause included. */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = positive(timeout);
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial);
            this.maxBackoff = positive(max);
            return this;
        }

        /** A client of the service's own (proxy, TLS settings); its timeouts are the builder's per-attempt ones. */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /**
         * Whether concurrent {@link #record record} calls of one workspace go out together as one batch call (default
         * true). Off, every call is its own request, as in clients before batching.
         */
        public Builder autoBatching(boolean on) {
            this.autoBatching = on;
            return this;
        }

        /**
         * The longest a run waits for others to join its batch (default 5 ms) when calls of its workspace are already in
         * flight but fewer than {@link #maxCallsInFlight}; a run with none in flight is sent at once, and a waiting batch
         * leaves as soon as the calls in flight end or it is full. Zero: batch only runs that are waiting already.
         */
        public Builder batchWindow(Duration window) {
            if (window == null || window.isNegative()) {
                throw new IllegalArgumentException("the batch window must be zero or positive; got " + window);
            }
            this.batchWindow = window;
            return this;
        }

        /**
         * The most runs in one batch, 1 to {@value AiCreditsClient#MAX_BATCH_SIZE} (the API's limit, also the default);
         * a batch leaves as soon as this many wait. 1 turns batching off.
         */
        public Builder maxBatchSize(int size) {
            if (size < 1 || size > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_SIZE + " runs; got " + size);
            }
            this.maxBatchSize = size;
            return this;
        }

        /**
         * How many record calls (single or batch) of one workspace this client has on their way at once (default 1)
         * before further runs wait for one of them to answer, instead of their window, and then leave together (a full
         * batch, {@link #maxBatchSize} runs, leaves at once all the same). One
         * suits a busy workspace best: its balance commits one transaction at a time, so a second call in flight
         * mostly races the first (measured in docs/design.md, "Scale, measured"); more trade that for a bounded wait.
         */
        public Builder maxCallsInFlight(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("at least one call must be allowed in flight; got " + calls);
            }
            this.maxCallsInFlight = calls;
            return this;
        }

        public AiCreditsClient build() {
            return new AiCreditsClient(this);
        }

        private static Duration positive(Duration duration) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a duration must be positive; got " + duration);
            }
            return duration;
        }
    }
}
