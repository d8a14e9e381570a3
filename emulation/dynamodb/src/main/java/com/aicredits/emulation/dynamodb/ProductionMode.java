package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Value;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Production at its least kind, played by the engine itself (it replaces testkit's SDK interceptor and keeps its
 * settings' and counters' names):
 * <ul>
 * <li><b>Conflicts.</b> A write is in flight from its arrival until it committed, held a seeded time up to
 * {@link Settings#conflictHold} first. A TransactWriteItems touching an item another in-flight transaction or
 * single-item write touches is cancelled ({@code TransactionCanceledException}, {@code TransactionConflict} where
 * they overlap, {@code None} elsewhere); a PutItem, UpdateItem or DeleteItem on an item an in-flight transaction
 * touches fails with {@code TransactionConflictException}. Single-item writes are serialised, as in DynamoDB.</li>
 * <li><b>Stale reads.</b> With {@link Settings#staleReadPercent}, an eventually consistent read (GetItem,
 * BatchGetItem, Query, Scan; every index Query) is served the items as they stood a seeded time between half the
 * {@link Settings#lag} and the lag ago: an older version, or no item if it was created since.</li>
 * <li><b>Throughput.</b> Per partition key value, {@link Settings#writeUnitsPerSecond} write and
 * {@link Settings#readUnitsPerSecond} read units a second (token buckets with a second's burst);
 * beyond, {@code ProvisionedThroughputExceededException} (BatchWriteItem: the items come back unprocessed).
 * Every global secondary index has its own partitions, by its partition key value, with the same limits: a write
 * is charged the index writes it causes on each index partition it touches (the old and the new one when the
 * index key moves), and is throttled, nothing written, when one of them is empty (GSI back-pressure:
 * {@code ProvisionedThroughputExceededException} whose {@code ThrottlingReasons} name the index; in a transaction,
 * its cancellation reason {@code ThrottlingError}); a Query on an index is charged to the index partition's read
 * units.
 * {@link Settings#throttlePercent} more calls are throttled at random.</li>
 * <li><b>Latency and lost answers.</b> Each call waits a uniform time in [{@link Settings#minLatency},
 * {@link Settings#maxLatency}]; with {@link Settings#lostResponsePercent} a committed write answers 500
 * InternalServerError.</li>
 * </ul>
 * Every decision is drawn from one generator seeded with {@link Settings#seed}; threads interleave as they will, so
 * a seed replays the decisions, not the schedule.
 */
public final class ProductionMode {

    /**
     * The switch's settings. {@link #of(long)}: conflicts (3 ms hold) and a third of eventually consistent reads up
     * to 1 s stale, partition limits on, no added latency and no faults; {@link #inRegion(long)} adds 5–25 ms a call.
     */
    public record Settings(long seed, int staleReadPercent, Duration lag, Duration conflictHold, int writeUnitsPerSecond,
                           int readUnitsPerSecond, Duration minLatency, Duration maxLatency, int throttlePercent,
                           int lostResponsePercent) {
        public static final Duration DEFAULT_LAG = Duration.ofSeconds(1);

        public static Settings of(long seed) {
            return new Settings(seed, 33, DEFAULT_LAG, Duration.ofMillis(3), 1000, 3000, Duration.ZERO, Duration.ZERO, 0, 0);
        }

        /** {@link #of} with the latency of a call in region (5 to 25 ms). */
        public static Settings inRegion(long seed) {
            return of(seed).withLatency(Duration.ofMillis(5), Duration.ofMillis(25));
        }

        public Settings withStaleReadPercent(int percent) {
            return new Settings(seed, percent, lag, conflictHold, writeUnitsPerSecond, readUnitsPerSecond, minLatency, maxLatency,
                    throttlePercent, lostResponsePercent);
        }

        public Settings withLag(Duration newLag) {
            return new Settings(seed, staleReadPercent, newLag, conflictHold, writeUnitsPerSecond, readUnitsPerSecond, minLatency,
                    maxLatency, throttlePercent, lostResponsePercent);
        }

        public Settings withConflictHold(Duration hold) {
            return new Settings(seed, staleReadPercent, lag, hold, writeUnitsPerSecond, readUnitsPerSecond, minLatency, maxLatency,
                    throttlePercent, lostResponsePercent);
        }

        /** Per partition key value; 0 switches a limit off. */
        public Settings withPartitionLimits(int writeUnits, int readUnits) {
            return new Settings(seed, staleReadPercent, lag, conflictHold, writeUnits, readUnits, minLatency, maxLatency,
                    throttlePercent, lostResponsePercent);
        }

        public Settings withLatency(Duration min, Duration max) {
            return new Settings(seed, staleReadPercent, lag, conflictHold, writeUnitsPerSecond, readUnitsPerSecond, min, max,
                    throttlePercent, lostResponsePercent);
        }

        public Settings withFaults(int throttles, int lostResponses) {
            return new Settings(seed, staleReadPercent, lag, conflictHold, writeUnitsPerSecond, readUnitsPerSecond, minLatency,
                    maxLatency, throttles, lostResponses);
        }

        @Override
        public String toString() {
            return "seed=" + seed + " staleReadPercent=" + staleReadPercent + " lag=" + lag.toMillis() + "ms conflictHold="
                    + conflictHold.toMillis() + "ms partitionLimits=" + writeUnitsPerSecond + "WCU/s," + readUnitsPerSecond
                    + "RCU/s latency=" + minLatency.toMillis() + "-" + maxLatency.toMillis() + "ms throttlePercent="
                    + throttlePercent + " lostResponsePercent=" + lostResponsePercent;
        }
    }

    /**
     * What the mode did so far; reads served stale count once per call, new items missed once per item.
     * {@code partitionThrottles} counts every partition throttle, a table's or an index's (a BatchWriteItem item
     * and a transaction once each); {@code indexPartitionThrottles} those of them an index partition caused.
     */
    public record Stats(long transactions, long transactionsCancelledByConflict, long singleWrites,
                        long singleWritesInConflict, long eventuallyConsistentReads, long staleReads,
                        long readsMissingNewItem, long throttles, long partitionThrottles, long lostResponses,
                        long indexPartitionThrottles) {

        /** The counters as they were before index partitions: no index throttles. */
        public Stats(long transactions, long transactionsCancelledByConflict, long singleWrites,
                     long singleWritesInConflict, long eventuallyConsistentReads, long staleReads,
                     long readsMissingNewItem, long throttles, long partitionThrottles, long lostResponses) {
            this(transactions, transactionsCancelledByConflict, singleWrites, singleWritesInConflict, eventuallyConsistentReads,
                    staleReads, readsMissingNewItem, throttles, partitionThrottles, lostResponses, 0);
        }

        @Override
        public String toString() {
            return "transactions=" + transactions + " cancelledByConflict=" + transactionsCancelledByConflict
                    + " (" + percent(transactionsCancelledByConflict, transactions) + ") singleWrites=" + singleWrites
                    + " inConflict=" + singleWritesInConflict + " eventuallyConsistentReads=" + eventuallyConsistentReads
                    + " servedStale=" + staleReads + " (" + percent(staleReads, eventuallyConsistentReads) + "; new items missed: "
                    + readsMissingNewItem + ") throttles=" + throttles + " partitionThrottles=" + partitionThrottles
                    + " (on an index: " + indexPartitionThrottles + ") lostResponses=" + lostResponses;
        }

        private static String percent(long part, long whole) {
            return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
        }
    }

    /** An item of a table. */
    record ItemRef(String table, PrimaryKey key) {
    }

    /** A partition key value of a table ({@code index} null) or of one of its global secondary indexes. */
    record Partition(String table, String index, Value hash) {
        static Partition ofTable(String table, Value hash) {
            return new Partition(table, null, hash);
        }
    }

    /** Units to debit from a partition's bucket. */
    record Charge(Partition partition, double units) {
    }

    private record Version(long since, Map<String, Value> item) {
    }

    private static final class InFlight {
        int transactions;
        int singleWrites;
    }

    /** A partition's units (guarded by the map of buckets that holds it). */
    private static final class Bucket {
        double tokens;
        long refilledNanos;
    }

    /** The keys one write registered as in flight; closing it releases them. */
    final class Ticket implements AutoCloseable {
        private final List<ItemRef> keys;
        private final boolean transaction;

        private Ticket(List<ItemRef> keys, boolean transaction) {
            this.keys = keys;
            this.transaction = transaction;
        }

        @Override
        public void close() {
            synchronized (inFlight) {
                for (ItemRef key : keys) {
                    InFlight current = inFlight.get(key);
                    if (current == null) {
                        continue;
                    }
                    if (transaction) {
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
    }

    private final Settings settings;
    private final Random random;
    private final Map<ItemRef, InFlight> inFlight = new HashMap<>();
    private final Map<ItemRef, Deque<Version>> versions = new ConcurrentHashMap<>();
    private final LongSupplier ticker;
    private final Map<Partition, Bucket> writeBuckets = new HashMap<>();
    private final Map<Partition, Bucket> readBuckets = new HashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong transactionConflicts = new AtomicLong();
    private final AtomicLong singleWrites = new AtomicLong();
    private final AtomicLong singleWriteConflicts = new AtomicLong();
    private final AtomicLong eventualReads = new AtomicLong();
    private final AtomicLong staleReads = new AtomicLong();
    private final AtomicLong missedItems = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();
    private final AtomicLong partitionThrottles = new AtomicLong();
    private final AtomicLong indexPartitionThrottles = new AtomicLong();
    private final AtomicLong lostResponses = new AtomicLong();

    ProductionMode(Settings settings) {
        this(settings, System::nanoTime);
    }

    /** {@code ticker}: the nanoseconds the partitions' buckets refill by (a test's hand-moved clock). */
    ProductionMode(Settings settings, LongSupplier ticker) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.ticker = ticker;
    }

    public Settings settings() {
        return settings;
    }

    public Stats stats() {
        return new Stats(transactions.get(), transactionConflicts.get(), singleWrites.get(), singleWriteConflicts.get(),
                eventualReads.get(), staleReads.get(), missedItems.get(), throttles.get(), partitionThrottles.get(),
                lostResponses.get(), indexPartitionThrottles.get());
    }

    private synchronized int percentRoll() {
        return random.nextInt(100);
    }

    private synchronized long nanosBetween(Duration min, Duration max) {
        long low = min.toNanos();
        long high = Math.max(low, max.toNanos());
        return high <= 0 ? 0 : low + (long) (random.nextDouble() * (high - low));
    }

    private static void sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Before any call: the added latency, then the random throttle. */
    void beforeCall() {
        sleepNanos(nanosBetween(settings.minLatency(), settings.maxLatency()));
        if (settings.throttlePercent() > 0 && percentRoll() < settings.throttlePercent()) {
            throttles.incrementAndGet();
            throw throughputExceeded();
        }
    }

    static DynamoDbError throughputExceeded() {
        return new DynamoDbError("ProvisionedThroughputExceededException", 400,
                "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index "
                        + "so please try again shortly. If exceptions persist, check if you have a hot key: "
                        + "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html");
    }

    static final String INDEX_WRITE_THROTTLED = "Throughput exceeds the current capacity for one or more global secondary indexes. "
            + "DynamoDB is automatically scaling your index so please try again shortly.";

    /**
     * A throttle an index partition caused: {@code ProvisionedThroughputExceededException} as every partition
     * throttle of the engine, with DynamoDB's {@code ThrottlingReasons} naming the index ({@code
     * IndexWriteKeyRangeThroughputExceeded} or {@code IndexReadKeyRangeThroughputExceeded}) and, for a write, the
     * message DynamoDB gives a write throttled by a global secondary index.
     */
    static DynamoDbError indexThroughputExceeded(String indexArn, boolean write) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.putArray("ThrottlingReasons").addObject()
                .put("reason", write ? "IndexWriteKeyRangeThroughputExceeded" : "IndexReadKeyRangeThroughputExceeded")
                .put("resource", indexArn);
        return new Errors.Detailed("ProvisionedThroughputExceededException", 400,
                write ? INDEX_WRITE_THROTTLED : throughputExceeded().getMessage(), fields);
    }

    // ---- conflicts ----

    /** Registers a transaction's items as in flight and holds it, or cancels it as DynamoDB does on a conflict. */
    Ticket enterTransaction(List<ItemRef> keys) {
        transactions.incrementAndGet();
        Ticket ticket = enter(keys, true);
        sleepNanos(nanosBetween(Duration.ZERO, settings.conflictHold()));
        return ticket;
    }

    Ticket enterSingleWrite(ItemRef key) {
        singleWrites.incrementAndGet();
        Ticket ticket = enter(List.of(key), false);
        sleepNanos(nanosBetween(Duration.ZERO, settings.conflictHold()));
        return ticket;
    }

    private Ticket enter(List<ItemRef> keys, boolean transaction) {
        synchronized (inFlight) {
            ArrayNode reasons = JsonNodeFactory.instance.arrayNode();
            boolean conflict = false;
            for (ItemRef key : keys) {
                InFlight current = inFlight.get(key);
                boolean overlaps = current != null && (current.transactions > 0 || transaction && current.singleWrites > 0);
                conflict |= overlaps;
                ObjectNode reason = reasons.addObject();
                if (overlaps) {
                    reason.put("Code", "TransactionConflict").put("Message", "Transaction is ongoing for the item");
                } else {
                    reason.put("Code", "None");
                }
            }
            if (conflict) {
                if (transaction) {
                    transactionConflicts.incrementAndGet();
                    throw Errors.transactionCanceled(reasons);
                }
                singleWriteConflicts.incrementAndGet();
                throw new DynamoDbError("TransactionConflictException", 400, "Transaction is ongoing for the item");
            }
            for (ItemRef key : keys) {
                InFlight current = inFlight.computeIfAbsent(key, k -> new InFlight());
                if (transaction) {
                    current.transactions++;
                } else {
                    current.singleWrites++;
                }
            }
            return new Ticket(keys, transaction);
        }
    }

    // ---- versions and stale reads ----

    /** Called under the database's write lock for every committed change. */
    void recordVersion(ItemRef key, Map<String, Value> oldItem, Map<String, Value> newItem) {
        long now = System.nanoTime();
        Deque<Version> history = versions.computeIfAbsent(key, k -> {
            Deque<Version> fresh = new ArrayDeque<>();
            fresh.add(new Version(Long.MIN_VALUE, oldItem));
            return fresh;
        });
        synchronized (history) {
            history.addLast(new Version(now, newItem));
            long cutoff = now - settings.lag().toNanos();
            // keep the newest version older than the cutoff: it is what a read at the cutoff sees
            while (history.size() > 1) {
                Version first = history.pollFirst();
                Version second = history.peekFirst();
                if (second.since() > cutoff) {
                    history.addFirst(first);
                    break;
                }
            }
        }
    }

    /** Draws whether this eventually consistent read call is served stale, and as of when (nanoTime), or 0. */
    long staleReadTime() {
        eventualReads.incrementAndGet();
        if (settings.staleReadPercent() <= 0 || percentRoll() >= settings.staleReadPercent()) {
            return 0;
        }
        staleReads.incrementAndGet();
        long lag = settings.lag().toNanos();
        return System.nanoTime() - nanosBetween(Duration.ofNanos(lag / 2), settings.lag());
    }

    /** The item as it stood at {@code time} (a value from {@link #staleReadTime}; 0 means now). */
    Map<String, Value> asOf(ItemRef key, Map<String, Value> current, long time) {
        if (time == 0) {
            return current;
        }
        Deque<Version> history = versions.get(key);
        if (history == null) {
            return current;
        }
        Map<String, Value> seen = current;
        synchronized (history) {
            for (Version version : history) {
                if (version.since() <= time) {
                    seen = version.item();
                }
            }
        }
        if (seen == null && current != null) {
            missedItems.incrementAndGet();
        }
        return seen;
    }

    // ---- partition throughput ----

    /** Throws if the partition's bucket is empty; else debits it (a bucket may go below zero by one request). */
    void consume(Partition partition, double units, boolean write) {
        if (!tryConsume(List.of(new Charge(partition, units)), write).isEmpty()) {
            throw throughputExceeded();
        }
    }

    /**
     * Debits every charge, or none: when one of their partitions' buckets is empty, debits nothing, counts one
     * partition throttle and returns the empty partitions (else an empty list). A bucket may go below zero by one
     * request, as with {@link #consume}.
     */
    List<Partition> tryConsume(List<Charge> charges, boolean write) {
        int limit = write ? settings.writeUnitsPerSecond() : settings.readUnitsPerSecond();
        if (limit <= 0 || charges.isEmpty()) {
            return List.of();
        }
        Map<Partition, Bucket> buckets = write ? writeBuckets : readBuckets;
        synchronized (buckets) {
            long now = ticker.getAsLong();
            List<Partition> empty = new ArrayList<>();
            for (Charge charge : charges) {
                Bucket bucket = buckets.computeIfAbsent(charge.partition(), k -> {
                    Bucket fresh = new Bucket();
                    fresh.tokens = limit;
                    fresh.refilledNanos = now;
                    return fresh;
                });
                bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.refilledNanos) / 1e9 * limit);
                bucket.refilledNanos = now;
                if (bucket.tokens <= 0 && !empty.contains(charge.partition())) {
                    empty.add(charge.partition());
                }
            }
            if (!empty.isEmpty()) {
                partitionThrottles.incrementAndGet();
                if (empty.stream().anyMatch(partition -> partition.index() != null)) {
                    indexPartitionThrottles.incrementAndGet();
                }
                return empty;
            }
            for (Charge charge : charges) {
                buckets.get(charge.partition()).tokens -= charge.units();
            }
            return List.of();
        }
    }

    /** Gives back units debited for a write that was then throttled elsewhere (nothing written, nothing consumed). */
    void refund(List<Charge> charges, boolean write) {
        int limit = write ? settings.writeUnitsPerSecond() : settings.readUnitsPerSecond();
        if (limit <= 0) {
            return;
        }
        Map<Partition, Bucket> buckets = write ? writeBuckets : readBuckets;
        synchronized (buckets) {
            for (Charge charge : charges) {
                Bucket bucket = buckets.get(charge.partition());
                if (bucket != null) {
                    bucket.tokens = Math.min(limit, bucket.tokens + charge.units());
                }
            }
        }
    }

    /** Whether this committed write's answer is lost. */
    boolean loseResponse() {
        if (settings.lostResponsePercent() > 0 && percentRoll() < settings.lostResponsePercent()) {
            lostResponses.incrementAndGet();
            return true;
        }
        return false;
    }

    static List<ItemRef> refs(List<ItemRef> keys) {
        return new ArrayList<>(keys);
    }
}
