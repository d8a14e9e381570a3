package com.aicredits.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Production semantics on top of DynamoDB Local, as an SDK interceptor: what DynamoDB does and DynamoDB Local does not.
 * <ul>
 * <li><b>Transaction conflicts.</b> Every write registers its item keys while it is in flight (held for a seeded
 * delay up to {@link Settings#maxHold} before it is sent, then for as long as DynamoDB Local takes). A
 * TransactWriteItems touching an item another in-flight transaction or single-item write touches is cancelled as
 * DynamoDB cancels it: {@code TransactionCanceledException}, one {@code CancellationReason} per item,
 * {@code TransactionConflict} where they overlap and {@code None} elsewhere. A PutItem, UpdateItem or DeleteItem on an
 * item an in-flight transaction touches fails with {@code TransactionConflictException}. Single-item writes do not
 * conflict with each other (DynamoDB serialises them).</li>
 * <li><b>Stale reads.</b> Every written item is read back consistently after the write (and once before the first
 * one), so the recent versions of each item are known. A GetItem, BatchGetItem or Query without
 * {@code ConsistentRead} (and every index Query) is served, with {@link Settings#staleReadPercent}, as it stood a
 * seeded time between half the {@link Settings#lag} and the lag ago: an older version, or no item if it was created
 * within that time.</li>
 * <li><b>Throttles and lost responses.</b> With {@link Settings#throttlePercent} an attempt is throttled before it is
 * sent ({@code ProvisionedThroughputExceededException}, which the SDK retries as in production); with
 * {@link Settings#lostResponsePercent} a committed write's response is lost (the caller gets an error).</li>
 * </ul>
 * Every random decision is drawn from one seeded generator. Threads interleave as they will, so a seed replays the
 * decisions, not the schedule; it is printed on a failure (see {@link ProductionSemanticsSeed}).
 *
 * <p>It cannot play what a single DynamoDB Local cannot show: partition splits and hot partitions, real latencies,
 * replication lag of global tables, stream ordering across shards, or an item deleted within the lag reappearing in a
 * Query. Items written by a client without it are never served stale.
 *
 * <p>Add it to a client ({@link LocalDynamoDb#client}), or switch it on for every DynamoDB client of a JVM with the
 * system property {@value #SEED_PROPERTY} (see {@link ProductionSemanticsHook}): that is how the local stack and the
 * reliability tests run under it, with no change to production code.
 */
public final class ProductionSemantics implements ExecutionInterceptor {
    public static final String PROPERTY_PREFIX = "aicredits.semantics.";
    /** Set to a number (the seed) to play production semantics on every DynamoDB client of the JVM. */
    public static final String SEED_PROPERTY = PROPERTY_PREFIX + "seed";

    /** Requests of our own read-back client carry it, so that no interceptor of ours plays on them. */
    static final ExecutionAttribute<Boolean> OWN_REQUEST = new ExecutionAttribute<>("aicredits.semantics.own");
    /** Set on a client that plays its own instance ({@link LocalDynamoDb#client}), so the JVM-wide one keeps out. */
    static final ExecutionAttribute<Boolean> OWN_MODE = new ExecutionAttribute<>("aicredits.semantics.ownMode");
    private static final ExecutionAttribute<Attempt> ATTEMPT = new ExecutionAttribute<>("aicredits.semantics.attempt");
    private static volatile ProductionSemantics fromProperties;

    /**
     * What is played: {@code staleReadPercent} of eventually consistent reads are served up to {@code lag} old;
     * writes are held up to {@code maxHold} in flight; {@code throttlePercent} of attempts are throttled and
     * {@code lostResponsePercent} of committed writes lose their response.
     */
    public record Settings(long seed, int staleReadPercent, Duration lag, Duration maxHold, int throttlePercent,
                           int lostResponsePercent) {
        public static final Duration DEFAULT_LAG = Duration.ofSeconds(1);

        /** Conflicts and stale reads (a third of eventually consistent reads, up to 1 s old), no injected faults. */
        public static Settings of(long seed) {
            return new Settings(seed, 33, DEFAULT_LAG, Duration.ofMillis(3), 0, 0);
        }

        /**
         * The settings a test plays on its own client: {@link #of} with the seed of {@value #SEED_PROPERTY} when the run
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

    /**
     * What the mode did so far (the rates the README quotes come from here): reads served stale count once per call,
     * new items missed once per item.
     */
    public record Stats(long transactions, long transactionsCancelledByConflict, long singleWrites,
                        long singleWritesInConflict, long eventuallyConsistentReads, long staleReads,
                        long readsMissingNewItem, long throttles, long lostResponses) {
        @Override
        public String toString() {
            return "transactions=" + transactions + " cancelledByConflict=" + transactionsCancelledByConflict
                    + " (" + percent(transactionsCancelledByConflict, transactions) + ") singleWrites=" + singleWrites
                    + " inConflict=" + singleWritesInConflict + " eventuallyConsistentReads=" + eventuallyConsistentReads
                    + " servedStale=" + staleReads + " (" + percent(staleReads, eventuallyConsistentReads) + "; new items missed: "
                    + readsMissingNewItem + ") throttles=" + throttles + " lostResponses=" + lostResponses;
        }

        private static String percent(long part, long whole) {
            return whole == 0 ? "0%" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
        }
    }

    /** An item of a table on one endpoint. */
    private record ItemKey(String table, Map<String, AttributeValue> key) {
    }

    /** An item as it stood from {@code since} (nanoTime; Long.MIN_VALUE: before anything this mode saw); null item: absent. */
    private record Version(long since, Map<String, AttributeValue> item) {
    }

    /** How many in-flight transactions and single-item writes touch one item. */
    private static final class InFlight {
        int transactions;
        int singleWrites;
    }

    /** The keys one attempt registered as in flight, to release when its response comes. */
    private record Attempt(List<ItemKey> keys, boolean transaction) {
    }

    private final Settings settings;
    private final Random random;
    private final LongSupplier nanoTime;
    private final Map<ItemKey, InFlight> inFlight = new HashMap<>();
    private final Map<ItemKey, Deque<Version>> versions = new ConcurrentHashMap<>();
    private final Map<String, DynamoDbClient> readBack = new ConcurrentHashMap<>();
    private final Map<String, List<String>> keyNames = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong transactionConflicts = new AtomicLong();
    private final AtomicLong singleWrites = new AtomicLong();
    private final AtomicLong singleWriteConflicts = new AtomicLong();
    private final AtomicLong eventualReads = new AtomicLong();
    private final AtomicLong staleReads = new AtomicLong();
    private final AtomicLong missedItems = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();
    private final AtomicLong lostResponses = new AtomicLong();
    /** When the last write this mode saw was recorded (nanoTime): the lag counts from there. */
    private final AtomicLong lastWrite;

    public ProductionSemantics(Settings settings) {
        this(settings, System::nanoTime);
    }

    /** On another clock than {@link System#nanoTime} (tests of this mode). */
    ProductionSemantics(Settings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.nanoTime = nanoTime;
        this.lastWrite = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * The JVM-wide instance when {@value #SEED_PROPERTY} is set (created on first use, its settings from the
     * {@code aicredits.semantics.*} properties; it prints its settings and, at exit, its {@link Stats}); else null.
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
                System.err.println("production semantics on: " + created.settings);
                Runtime.getRuntime().addShutdownHook(new Thread(created::report, "semantics-stats"));
                fromProperties = created;
            }
            return fromProperties;
        }
    }

    /** Prints what was played, and appends it to the file {@code aicredits.semantics.statsFile} names, if any. */
    private void report() {
        report("at exit");
    }

    /** Prints what was played so far, {@code when}, and appends it to the file {@code aicredits.semantics.statsFile} names. */
    void report(String when) {
        String line = "production semantics (" + settings + ") " + when + ": " + stats();
        System.err.println(line);
        String file = System.getProperty(PROPERTY_PREFIX + "statsFile");
        if (file != null && !file.isBlank()) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(file), java.time.Instant.now() + " " + line + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                System.err.println("cannot write " + file + ": " + e.getMessage());
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    public Stats stats() {
        return new Stats(transactions.get(), transactionConflicts.get(), singleWrites.get(), singleWriteConflicts.get(),
                eventualReads.get(), staleReads.get(), missedItems.get(), throttles.get(), lostResponses.get());
    }

    private synchronized int percentRoll() {
        return random.nextInt(100);
    }

    private synchronized long nanosUpTo(Duration bound) {
        long nanos = bound.toNanos();
        return nanos <= 0 ? 0 : (long) (random.nextDouble() * nanos);
    }

    // ---- writes: in flight, conflicts, throttles, versions ----

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(OWN_REQUEST))) {
            return;
        }
        release(attributes);
        SdkRequest request = context.request();
        String endpoint = endpoint(context.httpRequest());
        if (settings.throttlePercent() > 0 && percentRoll() < settings.throttlePercent()) {
            throttles.incrementAndGet();
            throw throttled();
        }
        if (request instanceof TransactWriteItemsRequest transact) {
            List<ItemKey> keys = new ArrayList<>();
            for (TransactWriteItem item : transact.transactItems()) {
                keys.add(transactItemKey(endpoint, item));
            }
            transactions.incrementAndGet();
            List<ItemKey> written = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (transact.transactItems().get(i).conditionCheck() == null) {
                    written.add(keys.get(i));
                }
            }
            knowBefore(endpoint, written);
            enter(keys, true);
            attributes.putAttribute(ATTEMPT, new Attempt(keys, true));
            hold();
            return;
        }
        List<ItemKey> keys = singleWriteKeys(endpoint, request);
        if (keys.isEmpty()) {
            return;
        }
        singleWrites.incrementAndGet();
        knowBefore(endpoint, keys);
        enter(keys, false);
        attributes.putAttribute(ATTEMPT, new Attempt(keys, false));
        hold();
    }

    /** Registers {@code keys} as in flight, or throws what DynamoDB throws when one is already. */
    private void enter(List<ItemKey> keys, boolean transaction) {
        synchronized (inFlight) {
            List<CancellationReason> reasons = new ArrayList<>(keys.size());
            boolean conflict = false;
            for (ItemKey key : keys) {
                InFlight current = inFlight.get(key);
                boolean overlaps = current != null && (current.transactions > 0 || transaction && current.singleWrites > 0);
                conflict |= overlaps;
                reasons.add(overlaps
                        ? CancellationReason.builder().code("TransactionConflict").message("Transaction is ongoing for the item").build()
                        : CancellationReason.builder().code("None").build());
            }
            if (conflict) {
                if (transaction) {
                    transactionConflicts.incrementAndGet();
                    throw transactionCanceled(reasons);
                }
                singleWriteConflicts.incrementAndGet();
                throw transactionConflict();
            }
            for (ItemKey key : keys) {
                InFlight current = inFlight.computeIfAbsent(key, k -> new InFlight());
                if (transaction) {
                    current.transactions++;
                } else {
                    current.singleWrites++;
                }
            }
        }
    }

    private void release(ExecutionAttributes attributes) {
        Attempt attempt = attributes.getAttribute(ATTEMPT);
        if (attempt == null) {
            return;
        }
        attributes.putAttribute(ATTEMPT, null);
        synchronized (inFlight) {
            for (ItemKey key : attempt.keys()) {
                InFlight current = inFlight.get(key);
                if (current == null) {
                    continue;
                }
                if (attempt.transaction()) {
                    current.transactions--;
                } else {
                    current.singleWrites--;
                }
                if (current.transactions <= 0 && current.singleWrites <= 0) {
                    inFlight.remove(key);
                }
            }
        }
    }

    /** How long the next write is held in flight. */
    long nextHoldNanos() {
        return nanosUpTo(settings.maxHold());
    }

    private void hold() {
        long nanos = nextHoldNanos();
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(OWN_REQUEST))) {
            return;
        }
        SdkRequest request = context.request();
        String endpoint = endpoint(context.httpRequest());
        List<ItemKey> written = switch (request) {
            case TransactWriteItemsRequest transact -> transact.transactItems().stream()
                    .filter(item -> item.conditionCheck() == null)
                    .map(item -> transactItemKey(endpoint, item)).toList();
            default -> singleWriteKeys(endpoint, request);
        };
        if (written.isEmpty()) {
            return;
        }
        written.forEach(key -> remember(endpoint, key));
        boolean losable = !(request instanceof BatchWriteItemRequest);
        if (losable && settings.lostResponsePercent() > 0 && percentRoll() < settings.lostResponsePercent()) {
            lostResponses.incrementAndGet();
            throw SdkClientException.create("injected (production semantics): the response of a committed write was lost");
        }
    }

    /** Before the first write this mode sees of an item, what it was (so that a read within the lag can miss it). */
    private void knowBefore(String endpoint, List<ItemKey> keys) {
        for (ItemKey key : keys) {
            if (!versions.containsKey(key)) {
                Map<String, AttributeValue> item = consistentItem(endpoint, key);
                if (item != SKIPPED) {
                    Deque<Version> history = new ArrayDeque<>();
                    history.add(new Version(Long.MIN_VALUE, item));
                    versions.putIfAbsent(key, history);
                }
            }
        }
    }

    /**
     * Waits until the lag has passed since the last write the JVM-wide mode saw (nothing when it is off): for a test
     * whose step stands for something that happens long after its setup (the monthly job at midnight), where an index
     * Query, eventually consistent on DynamoDB with no way to ask otherwise, would otherwise miss items created by the
     * setup a moment ago. The README says what this leaves: an item created within the lag before the step.
     */
    public static void waitOutLag() {
        ProductionSemantics semantics = fromSystemProperties();
        if (semantics == null) {
            return;
        }
        long remaining = semantics.settledAt() - System.nanoTime();
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** When the lag has passed since the last write this mode saw (nanoTime): from then on, every read sees it. */
    long settledAt() {
        return lastWrite.get() + settings.lag().toNanos();
    }

    /** Records the item as it is now, just after a write committed. */
    private void remember(String endpoint, ItemKey key) {
        Map<String, AttributeValue> item = consistentItem(endpoint, key);
        // The version is dated when the read-back ended, and the lag counts from that same instant: dated from before
        // the read-back (as it was), a read at the lag's far end right after waitOutLag could fall between the two and
        // miss the item (issue 30, item 8). Only ever forward: threads record their writes in any order.
        long now = nanoTime.getAsLong();
        lastWrite.accumulateAndGet(now, Math::max);
        if (item == SKIPPED) {
            // Unknown now: never serve an older version of it as if it were recent.
            versions.remove(key);
            return;
        }
        Deque<Version> history = versions.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (history) {
            history.addLast(new Version(now, item));
            // Keep the newest version older than the lag (what a read at the lag's far end sees) and those after it.
            long horizon = now - settings.lag().toNanos();
            while (history.size() > 1) {
                Iterator<Version> oldest = history.iterator();
                oldest.next();
                if (oldest.next().since() <= horizon) {
                    history.removeFirst();
                } else {
                    break;
                }
            }
        }
    }

    private static final Map<String, AttributeValue> SKIPPED = Map.of("-", AttributeValue.fromS("-"));

    /** The item read consistently with our own client (null: absent; {@link #SKIPPED}: could not be read). */
    private Map<String, AttributeValue> consistentItem(String endpoint, ItemKey key) {
        try {
            Map<String, AttributeValue> item = client(endpoint).getItem(b -> b.tableName(key.table().substring(key.table().indexOf(' ') + 1))
                    .key(key.key()).consistentRead(true)).item();
            return item == null || item.isEmpty() ? null : Map.copyOf(item);
        } catch (RuntimeException unreachable) {
            return SKIPPED;
        }
    }

    private DynamoDbClient client(String endpoint) {
        return readBack.computeIfAbsent(endpoint, e -> DynamoDbClient.builder()
                .endpointOverride(URI.create(e))
                .region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.putExecutionAttribute(OWN_REQUEST, true))
                .build());
    }

    // ---- reads: stale versions ----

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(OWN_REQUEST)) || settings.staleReadPercent() <= 0) {
            return context.response();
        }
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        String endpoint = context.httpRequest() == null ? null : endpoint(context.httpRequest());
        if (endpoint == null) {
            return response;
        }
        return switch (request) {
            case GetItemRequest get when !Boolean.TRUE.equals(get.consistentRead()) ->
                    staleGet(endpoint, get, (GetItemResponse) response);
            case BatchGetItemRequest batch -> staleBatch(endpoint, batch, (BatchGetItemResponse) response);
            case QueryRequest query when (query.indexName() != null || !Boolean.TRUE.equals(query.consistentRead()))
                    && query.select() != Select.COUNT -> staleQuery(endpoint, query, (QueryResponse) response);
            default -> response;
        };
    }

    /** When this read is served from, or -1 when it is served fresh. */
    private long staleAt() {
        eventualReads.incrementAndGet();
        if (percentRoll() >= settings.staleReadPercent()) {
            return -1;
        }
        // Between half the lag and the lag: a stale read is really behind, yet versions within the lag still show.
        return nanoTime.getAsLong() - settings.lag().toNanos() / 2 - Math.max(1, nanosUpTo(settings.lag().dividedBy(2)));
    }

    /** The version of {@code key} at {@code at}, or the fresh item (unknown history) when there is none. */
    private Map<String, AttributeValue> itemAt(ItemKey key, long at, Map<String, AttributeValue> fresh, boolean[] changed) {
        Deque<Version> history = versions.get(key);
        if (history == null) {
            return fresh;
        }
        Version found = null;
        synchronized (history) {
            for (Version version : history) {
                if (version.since() <= at) {
                    found = version;
                } else {
                    break;
                }
            }
        }
        if (found == null || java.util.Objects.equals(found.item(), fresh)) {
            return fresh;
        }
        changed[0] = true;
        if (found.item() == null && fresh != null) {
            missedItems.incrementAndGet();
        }
        return found.item();
    }

    private GetItemResponse staleGet(String endpoint, GetItemRequest get, GetItemResponse response) {
        long at = staleAt();
        if (at < 0) {
            return response;
        }
        Map<String, AttributeValue> fresh = response.hasItem() && !response.item().isEmpty() ? response.item() : null;
        boolean[] changed = {false};
        Map<String, AttributeValue> item = itemAt(new ItemKey(endpoint + " " + get.tableName(), get.key()), at, fresh, changed);
        if (!changed[0]) {
            return response;
        }
        staleReads.incrementAndGet();
        return response.toBuilder().item(item == null ? null
                : projected(item, get.projectionExpression(), get.expressionAttributeNames(), get.attributesToGet())).build();
    }

    private BatchGetItemResponse staleBatch(String endpoint, BatchGetItemRequest batch, BatchGetItemResponse response) {
        Map<String, List<Map<String, AttributeValue>>> served = new LinkedHashMap<>(response.responses());
        boolean anyChanged = false;
        for (Map.Entry<String, KeysAndAttributes> entry : batch.requestItems().entrySet()) {
            KeysAndAttributes request = entry.getValue();
            if (Boolean.TRUE.equals(request.consistentRead())) {
                continue;
            }
            long at = staleAt();
            if (at < 0) {
                continue;
            }
            String table = entry.getKey();
            List<String> names = keyNames(endpoint, table);
            Map<Map<String, AttributeValue>, Map<String, AttributeValue>> freshByKey = new HashMap<>();
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                freshByKey.put(keyOf(item, names), item);
            }
            Set<Map<String, AttributeValue>> unprocessed = new HashSet<>();
            KeysAndAttributes left = response.unprocessedKeys().get(table);
            if (left != null) {
                left.keys().forEach(key -> unprocessed.add(keyOf(key, names)));
            }
            boolean[] changed = {false};
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (Map<String, AttributeValue> key : request.keys()) {
                Map<String, AttributeValue> canonical = keyOf(key, names);
                if (unprocessed.contains(canonical)) {
                    continue;
                }
                Map<String, AttributeValue> item = itemAt(new ItemKey(endpoint + " " + table, canonical), at,
                        freshByKey.get(canonical), changed);
                if (item != null) {
                    items.add(projected(item, request.projectionExpression(), request.expressionAttributeNames(),
                            request.attributesToGet()));
                }
            }
            if (changed[0]) {
                staleReads.incrementAndGet();
                served.put(table, items);
                anyChanged = true;
            }
        }
        return anyChanged ? response.toBuilder().responses(served).build() : response;
    }

    private QueryResponse staleQuery(String endpoint, QueryRequest query, QueryResponse response) {
        long at = staleAt();
        if (at < 0 || !response.hasItems()) {
            return response;
        }
        List<String> names = keyNames(endpoint, query.tableName());
        boolean[] changed = {false};
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Map<String, AttributeValue> fresh : response.items()) {
            Map<String, AttributeValue> item = itemAt(new ItemKey(endpoint + " " + query.tableName(), keyOf(fresh, names)),
                    at, fresh, changed);
            if (item != null) {
                // An index or a projection returns some attributes only: the older version shows the same ones.
                Map<String, AttributeValue> shown = new HashMap<>(item);
                shown.keySet().retainAll(fresh.keySet());
                items.add(shown);
            }
        }
        if (!changed[0]) {
            return response;
        }
        staleReads.incrementAndGet();
        return response.toBuilder().items(items).count(items.size()).build();
    }

    private static Map<String, AttributeValue> projected(Map<String, AttributeValue> item, String projection,
                                                         Map<String, String> names, List<String> attributesToGet) {
        Set<String> wanted = new HashSet<>();
        if (projection != null && !projection.isBlank()) {
            for (String path : projection.split(",")) {
                String top = path.trim().split("[.\\[]", 2)[0];
                wanted.add(top.startsWith("#") && names != null ? names.getOrDefault(top, top) : top);
            }
        } else if (attributesToGet != null && !attributesToGet.isEmpty()) {
            wanted.addAll(attributesToGet);
        } else {
            return item;
        }
        Map<String, AttributeValue> shown = new HashMap<>(item);
        shown.keySet().retainAll(wanted);
        return shown;
    }

    // ---- keys ----

    private ItemKey transactItemKey(String endpoint, TransactWriteItem item) {
        if (item.put() != null) {
            return new ItemKey(endpoint + " " + item.put().tableName(), keyOf(item.put().item(), keyNames(endpoint, item.put().tableName())));
        }
        if (item.update() != null) {
            return new ItemKey(endpoint + " " + item.update().tableName(), item.update().key());
        }
        if (item.delete() != null) {
            return new ItemKey(endpoint + " " + item.delete().tableName(), item.delete().key());
        }
        return new ItemKey(endpoint + " " + item.conditionCheck().tableName(), item.conditionCheck().key());
    }

    private List<ItemKey> singleWriteKeys(String endpoint, SdkRequest request) {
        return switch (request) {
            case PutItemRequest put -> List.of(new ItemKey(endpoint + " " + put.tableName(), keyOf(put.item(), keyNames(endpoint, put.tableName()))));
            case UpdateItemRequest update -> List.of(new ItemKey(endpoint + " " + update.tableName(), update.key()));
            case DeleteItemRequest delete -> List.of(new ItemKey(endpoint + " " + delete.tableName(), delete.key()));
            case BatchWriteItemRequest batch -> {
                List<ItemKey> keys = new ArrayList<>();
                batch.requestItems().forEach((table, writes) -> {
                    for (WriteRequest write : writes) {
                        keys.add(new ItemKey(endpoint + " " + table, write.putRequest() != null
                                ? keyOf(write.putRequest().item(), keyNames(endpoint, table)) : write.deleteRequest().key()));
                    }
                });
                yield keys;
            }
            default -> List.of();
        };
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, List<String> names) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : names) {
            AttributeValue value = item.get(name);
            if (value != null) {
                key.put(name, value);
            }
        }
        return Map.copyOf(key);
    }

    /** The table's key attributes, from DescribeTable (once per table). */
    private List<String> keyNames(String endpoint, String table) {
        return keyNames.computeIfAbsent(endpoint + " " + table, k -> {
            try {
                return client(endpoint).describeTable(b -> b.tableName(table)).table().keySchema().stream()
                        .map(KeySchemaElement::attributeName).toList();
            } catch (RuntimeException e) {
                return List.of("PK", "SK");
            }
        });
    }

    private static String endpoint(SdkHttpRequest request) {
        return request.protocol() + "://" + request.host() + ":" + request.port();
    }

    // ---- the exceptions DynamoDB throws ----

    private static TransactionCanceledException transactionCanceled(List<CancellationReason> reasons) {
        String message = "Transaction cancelled, please refer cancellation reasons for specific reasons "
                + reasons.stream().map(CancellationReason::code).toList();
        return (TransactionCanceledException) TransactionCanceledException.builder()
                .message(message).cancellationReasons(reasons).statusCode(400)
                .awsErrorDetails(details("TransactionCanceledException", message)).build();
    }

    private static TransactionConflictException transactionConflict() {
        String message = "Transaction is ongoing for the item";
        return (TransactionConflictException) TransactionConflictException.builder()
                .message(message).statusCode(400).awsErrorDetails(details("TransactionConflictException", message)).build();
    }

    private static ProvisionedThroughputExceededException throttled() {
        String message = "injected (production semantics): The level of configured provisioned throughput for the table was exceeded";
        return (ProvisionedThroughputExceededException) ProvisionedThroughputExceededException.builder()
                .message(message).statusCode(400).awsErrorDetails(details("ProvisionedThroughputExceededException", message)).build();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb")
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build()).build();
    }
}
