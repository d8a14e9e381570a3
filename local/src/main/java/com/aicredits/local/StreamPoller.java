package com.aicredits.local;

import com.aicredits.testkit.CloudFormationTemplate;
import com.aicredits.testkit.LocalDynamoDb;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB event source mappings, played locally: reads the table's stream and invokes every
 * {@link StreamSubscription} with {@link DynamodbEvent}s shaped as Lambda delivers them, after the mapping's
 * filters, in batches of at most its {@code BatchSize}, in stream order per shard (a child shard only after its
 * parent).
 *
 * <p>Each subscription has its own thread and its own position in every shard, so a failing function only holds up
 * itself. A thrown exception redelivers the whole batch; with {@code ReportBatchItemFailures} a reported
 * {@code itemIdentifier} redelivers from that record onward. After {@code MaximumRetryAttempts} retries the records
 * are given up with a log line. Positions are checkpointed to a JSON file after every batch, so a restart resumes
 * where it stopped; a subscription without a checkpoint starts at its {@code StartingPosition}.
 */
public final class StreamPoller implements AutoCloseable {
    private static final long POLL_INTERVAL_MILLIS = 200;
    private static final int RECORDS_PER_READ = 1000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The serializer the Lambda Java runtime itself uses to turn the JSON event into a DynamodbEvent. */
    private static final PojoSerializer<DynamodbEvent> EVENTS =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamPoller.class.getClassLoader());

    private final List<Worker> workers = new ArrayList<>();
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String region;
    private final BiFunction<String, Object, Object> invoker;
    private final Path checkpointFile;
    private final Object checkpointLock = new Object();
    private volatile boolean closing;
    private boolean started;

    /**
     * @param invoker              function logical id and event to the function's response ({@code LocalFunctions::invoke})
     * @param checkpointDirectory  where {@code stream-positions-<table>.json} is kept
     */
    public StreamPoller(List<StreamSubscription> subscriptions, DynamoDbStreamsClient streams, String streamArn,
                        BiFunction<String, Object, Object> invoker, Path checkpointDirectory) {
        if (streamArn == null || !streamArn.contains("/stream/")) {
            throw new IllegalArgumentException("not a DynamoDB stream ARN: " + streamArn + " (is the table's stream enabled?)");
        }
        this.streams = streams;
        this.streamArn = streamArn;
        this.region = streams.serviceClientConfiguration().region() == null
                ? null : streams.serviceClientConfiguration().region().id();
        this.invoker = invoker;
        this.checkpointFile = checkpointDirectory.resolve("stream-positions-" + tableName(streamArn) + ".json");
        subscriptions.forEach(subscription -> workers.add(new Worker(subscription)));
    }

    /** One subscription per DynamoDB event on {@code CreditsTable}'s stream in {@code template}. */
    public static StreamPoller fromTemplate(CloudFormationTemplate template, DynamoDbStreamsClient streams, String streamArn,
                                            BiFunction<String, Object, Object> invoker, Path checkpointDirectory) {
        return new StreamPoller(StreamSubscription.fromTemplate(template, LocalDynamoDb.TABLE_LOGICAL_ID), streams,
                streamArn, invoker, checkpointDirectory);
    }

    public List<StreamSubscription> subscriptions() {
        return workers.stream().map(worker -> worker.subscription).toList();
    }

    /** The file positions are checkpointed to. */
    public Path checkpointFile() {
        return checkpointFile;
    }

    /**
     * Positions every subscription (from the checkpoint, else at its starting position: {@code LATEST} means after
     * every record in the stream now) and starts polling. Returns once positioned, so anything written afterwards is
     * delivered.
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("stream poller already started");
        }
        started = true;
        Map<String, Map<String, Position>> saved = loadCheckpoint();
        for (Worker worker : workers) {
            worker.position(saved.get(worker.subscription.id()));
        }
        saveCheckpoint();
        for (Worker worker : workers) {
            worker.thread.start();
        }
    }

    /**
     * Waits until every record written to the stream before this call has been delivered to (or dropped by the
     * filters of, or given up by) every subscription; IllegalStateException when that takes longer than
     * {@code timeout}. For tests.
     */
    public void drain(Duration timeout) {
        synchronized (this) {
            if (!started || closing) {
                throw new IllegalStateException("stream poller is not running");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // A quiet cycle (nothing read, nothing pending) that began after this call has seen everything written before it.
        Map<Worker, Long> targets = new LinkedHashMap<>();
        for (Worker worker : workers) {
            targets.put(worker, worker.startedCycles + 1);
            worker.wake();
        }
        for (Map.Entry<Worker, Long> target : targets.entrySet()) {
            Worker worker = target.getKey();
            while (worker.lastQuietCycle < target.getValue()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stream poller: " + worker.subscription.id() + " not drained within "
                            + timeout + " (" + worker.describeBacklog() + ")");
                }
                if (!worker.thread.isAlive()) {
                    throw new IllegalStateException("stream poller: " + worker.subscription.id() + " has stopped");
                }
                sleep(5);
            }
        }
    }

    /** Stops polling: each thread finishes the batch it is delivering, checkpoints, and ends. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        workers.forEach(Worker::wake);
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (Worker worker : workers) {
            if (!worker.thread.isAlive()) {
                continue;
            }
            try {
                worker.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (worker.thread.isAlive()) {
                    worker.thread.interrupt(); // a function stuck beyond the grace period
                    worker.thread.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (started) {
            saveCheckpoint();
        }
    }

    // ---- the Lambda event shape -----------------------------------------------------------------------------------

    /** A stream record as Lambda puts it into {@code Records}: the JSON the filters see and the function receives. */
    ObjectNode lambdaRecord(Record record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", record.eventVersion());
        json.put("eventSource", "aws:dynamodb");
        json.put("awsRegion", region != null ? region : record.awsRegion());
        StreamRecord data = record.dynamodb();
        ObjectNode dynamodb = json.putObject("dynamodb");
        if (data.approximateCreationDateTime() != null) {
            // Lambda sends whole epoch seconds here.
            dynamodb.put("ApproximateCreationDateTime", data.approximateCreationDateTime().getEpochSecond());
        }
        putImage(dynamodb, "Keys", data.keys(), data.hasKeys());
        putImage(dynamodb, "NewImage", data.newImage(), data.hasNewImage());
        putImage(dynamodb, "OldImage", data.oldImage(), data.hasOldImage());
        dynamodb.put("SequenceNumber", data.sequenceNumber());
        if (data.sizeBytes() != null) {
            dynamodb.put("SizeBytes", data.sizeBytes());
        }
        dynamodb.put("StreamViewType", data.streamViewTypeAsString());
        if (record.userIdentity() != null) {
            // Set on deletions by time to live.
            json.putObject("userIdentity").put("type", record.userIdentity().type())
                    .put("principalId", record.userIdentity().principalId());
        }
        json.put("eventSourceARN", streamArn);
        return json;
    }

    private static void putImage(ObjectNode parent, String name, Map<String, AttributeValue> image, boolean present) {
        if (present) {
            ObjectNode node = parent.putObject(name);
            image.forEach((attribute, value) -> node.set(attribute, attributeJson(value)));
        }
    }

    /** DynamoDB's JSON for one attribute value: {@code {"S": "..."}}, {@code {"N": "12"}}, {@code {"M": {...}}}, ... */
    private static JsonNode attributeJson(AttributeValue value) {
        ObjectNode json = JSON.createObjectNode();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", base64(value.b()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", true);
            case SS -> value.ss().forEach(json.putArray("SS")::add);
            case NS -> value.ns().forEach(json.putArray("NS")::add);
            case BS -> value.bs().forEach(b -> json.withArray("BS").add(base64(b)));
            case M -> {
                ObjectNode map = json.putObject("M");
                value.m().forEach((key, inner) -> map.set(key, attributeJson(inner)));
            }
            case L -> {
                ArrayNode list = json.putArray("L");
                value.l().forEach(inner -> list.add(attributeJson(inner)));
            }
            default -> throw new IllegalStateException("unknown DynamoDB attribute type in " + value);
        }
        return json;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }

    private static DynamodbEvent dynamodbEvent(List<PendingRecord> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(record -> records.add(record.json()));
        return EVENTS.fromJson(event.toString());
    }

    // ---- checkpoints ----------------------------------------------------------------------------------------------

    /** Where a subscription stands in one shard: after {@code sequenceNumber} (none: from the shard's start). */
    private record Position(String sequenceNumber, boolean finished) {
    }

    private Map<String, Map<String, Position>> loadCheckpoint() {
        Map<String, Map<String, Position>> positions = new LinkedHashMap<>();
        if (!Files.exists(checkpointFile)) {
            return positions;
        }
        try {
            JsonNode root = JSON.readTree(checkpointFile.toFile());
            if (!streamArn.equals(root.path("streamArn").asText())) {
                // The table was recreated: its new stream shares nothing with the old one.
                log("checkpoint " + checkpointFile + " is for another stream; starting afresh");
                return positions;
            }
            for (Map.Entry<String, JsonNode> subscription : root.path("subscriptions").properties()) {
                Map<String, Position> shards = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> shard : subscription.getValue().properties()) {
                    JsonNode sequence = shard.getValue().get("sequenceNumber");
                    shards.put(shard.getKey(), new Position(sequence == null || sequence.isNull() ? null : sequence.asText(),
                            shard.getValue().path("finished").asBoolean(false)));
                }
                positions.put(subscription.getKey(), shards);
            }
            return positions;
        } catch (IOException e) {
            log("cannot read checkpoint " + checkpointFile + " (" + e.getMessage() + "); starting afresh");
            return new LinkedHashMap<>();
        }
    }

    private void saveCheckpoint() {
        synchronized (checkpointLock) {
            ObjectNode root = JSON.createObjectNode();
            root.put("streamArn", streamArn);
            ObjectNode subscriptions = root.putObject("subscriptions");
            for (Worker worker : workers) {
                ObjectNode shards = subscriptions.putObject(worker.subscription.id());
                new TreeMap<>(worker.published).forEach((shardId, position) -> shards.putObject(shardId)
                        .put("sequenceNumber", position.sequenceNumber())
                        .put("finished", position.finished()));
            }
            try {
                Files.createDirectories(checkpointFile.getParent());
                Path temporary = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
                Files.writeString(temporary, JSON.writeValueAsString(root));
                try {
                    Files.move(temporary, checkpointFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, checkpointFile, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + checkpointFile, e);
            }
        }
    }

    // ---- one subscription -----------------------------------------------------------------------------------------

    /** A record read from the stream and not yet delivered, in both shapes. */
    private record PendingRecord(String sequenceNumber, ObjectNode json) {
    }

    /** A subscription's state in one shard. Touched only by its worker thread (and by start() before that). */
    private static final class ShardState {
        final String shardId;
        String parentShardId;
        String checkpoint;
        boolean finished;
        String iterator;
        /** The iterator returned no next iterator: every record of the shard has been read. */
        boolean endReached;
        String lastRead;
        final Deque<PendingRecord> pending = new ArrayDeque<>();
        String failingSequence;
        int failures;

        ShardState(String shardId, String parentShardId, Position position) {
            this.shardId = shardId;
            this.parentShardId = parentShardId;
            if (position != null) {
                this.checkpoint = position.sequenceNumber();
                this.finished = position.finished();
            }
        }
    }

    private final class Worker implements Runnable {
        final StreamSubscription subscription;
        final Thread thread;
        final Map<String, ShardState> shards = new LinkedHashMap<>();
        /** The positions as last checkpointed, read by whichever thread writes the file. */
        final Map<String, Position> published = new ConcurrentHashMap<>();
        final Object wakeUp = new Object();
        boolean wakeRequested;
        volatile long startedCycles;
        volatile long lastQuietCycle = -1;
        volatile String lastProblem;

        Worker(StreamSubscription subscription) {
            this.subscription = subscription;
            this.thread = new Thread(this, "stream-poller-" + subscription.id());
            this.thread.setDaemon(true);
        }

        /** From the checkpoint, else at the subscription's starting position. */
        void position(Map<String, Position> saved) {
            List<Shard> listed = describeShards();
            if (saved != null) {
                for (Shard shard : listed) {
                    shards.put(shard.shardId(), new ShardState(shard.shardId(), shard.parentShardId(), saved.get(shard.shardId())));
                }
            } else {
                for (Shard shard : listed) {
                    ShardState state = new ShardState(shard.shardId(), shard.parentShardId(), null);
                    shards.put(shard.shardId(), state);
                    if (subscription.startingPosition().equals("LATEST")) {
                        skipToEnd(state, shard.sequenceNumberRange().endingSequenceNumber() != null);
                    }
                }
            }
            publish();
        }

        /**
         * LATEST, made durable: reads past every record there is now and checkpoints the last one, so a restart
         * before the first delivery neither misses nor replays anything.
         */
        private void skipToEnd(ShardState state, boolean closed) {
            if (closed) {
                state.finished = true;
                return;
            }
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(state.shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(RECORDS_PER_READ));
                iterator = page.nextShardIterator();
                if (!page.hasRecords() || page.records().isEmpty()) {
                    break;
                }
                state.checkpoint = page.records().getLast().dynamodb().sequenceNumber();
            }
            state.iterator = iterator;
            state.endReached = iterator == null;
        }

        @Override
        public void run() {
            while (!closing) {
                try {
                    cycle();
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    if (!closing) {
                        lastProblem = e.toString();
                        log(subscription.id() + ": polling failed, retrying: " + e);
                    }
                }
                synchronized (wakeUp) {
                    if (!wakeRequested && !closing) {
                        try {
                            wakeUp.wait(POLL_INTERVAL_MILLIS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    wakeRequested = false;
                }
            }
        }

        void wake() {
            synchronized (wakeUp) {
                wakeRequested = true;
                wakeUp.notifyAll();
            }
        }

        /** One pass over every shard: read what is new and deliver it. Quiet when there was nothing to do. */
        void cycle() {
            long cycle = ++startedCycles;
            boolean quiet = refreshShards();
            boolean progressed = true;
            // Repeats so that a child shard starts in the same cycle as its parent finishes.
            while (progressed && !closing) {
                progressed = false;
                for (ShardState shard : shards.values()) {
                    if (shard.finished || !parentFinished(shard)) {
                        continue;
                    }
                    quiet &= pump(shard);
                    progressed |= shard.finished;
                    if (closing) {
                        break;
                    }
                }
            }
            if (quiet && !closing) {
                lastProblem = null;
                lastQuietCycle = cycle;
            }
        }

        /** Adds new shards (a new shard is read from its start), forgets those trimmed away; false if anything changed. */
        private boolean refreshShards() {
            List<Shard> listed = describeShards();
            Set<String> present = new HashSet<>();
            boolean unchanged = true;
            for (Shard shard : listed) {
                present.add(shard.shardId());
                if (!shards.containsKey(shard.shardId())) {
                    shards.put(shard.shardId(), new ShardState(shard.shardId(), shard.parentShardId(), null));
                    unchanged = false;
                }
            }
            if (shards.keySet().retainAll(present)) {
                publish();
            }
            return unchanged;
        }

        private boolean parentFinished(ShardState shard) {
            ShardState parent = shard.parentShardId == null ? null : shards.get(shard.parentShardId);
            return parent == null || parent.finished;
        }

        /**
         * Reads and delivers the shard's records until it is caught up or a batch fails. Returns true when there was
         * nothing to read or deliver.
         */
        private boolean pump(ShardState shard) {
            boolean quiet = true;
            while (!closing) {
                if (shard.pending.isEmpty()) {
                    if (shard.endReached) {
                        shard.finished = true;
                        publish();
                        return quiet;
                    }
                    if (!read(shard)) {
                        return false;
                    }
                    if (shard.pending.isEmpty()) {
                        if (shard.endReached) {
                            continue;
                        }
                        return quiet;
                    }
                }
                quiet = false;
                if (!deliver(shard)) {
                    return false; // a failed batch: retried next cycle
                }
            }
            return quiet;
        }

        /** One GetRecords; false when the shard could not be read this time. */
        private boolean read(ShardState shard) {
            GetRecordsResponse page;
            try {
                if (shard.iterator == null) {
                    shard.iterator = iterator(shard);
                }
                String iterator = shard.iterator;
                page = streams.getRecords(b -> b.shardIterator(iterator).limit(RECORDS_PER_READ));
            } catch (ExpiredIteratorException e) {
                shard.iterator = null; // a new one, after the last record read
                return false;
            } catch (TrimmedDataAccessException e) {
                log(subscription.id() + ": records after " + resumeAfter(shard) + " in " + shard.shardId
                        + " were trimmed from the stream; continuing from the oldest record there is");
                shard.iterator = null;
                shard.checkpoint = null;
                shard.lastRead = null;
                return false;
            } catch (ResourceNotFoundException e) {
                shard.finished = true; // the shard itself was trimmed away
                publish();
                return false;
            }
            shard.iterator = page.nextShardIterator();
            shard.endReached = shard.iterator == null;
            if (page.hasRecords()) {
                for (Record record : page.records()) {
                    String sequence = record.dynamodb().sequenceNumber();
                    shard.pending.add(new PendingRecord(sequence, lambdaRecord(record)));
                    shard.lastRead = sequence;
                }
            }
            return true;
        }

        private String iterator(ShardState shard) {
            String after = resumeAfter(shard);
            return streams.getShardIterator(b -> {
                b.streamArn(streamArn).shardId(shard.shardId);
                if (after == null) {
                    b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                } else {
                    b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
                }
            }).shardIterator();
        }

        private String resumeAfter(ShardState shard) {
            return shard.lastRead != null ? shard.lastRead : shard.checkpoint;
        }

        /**
         * Delivers the next batch from the shard's pending records: the next records the filters accept, at most
         * BatchSize of them. Records the filters reject are passed over, as Lambda drops them. False when the batch
         * failed and is to be retried.
         */
        private boolean deliver(ShardState shard) {
            List<PendingRecord> batch = new ArrayList<>();
            int covered = 0; // pending records this batch settles, accepted or not
            for (PendingRecord record : shard.pending) {
                if (subscription.accepts(record.json())) {
                    if (batch.size() == subscription.batchSize()) {
                        break;
                    }
                    batch.add(record);
                }
                covered++;
            }
            if (batch.isEmpty()) {
                settle(shard, covered);
                return true;
            }
            String failedFrom = invoke(batch);
            if (failedFrom == null) {
                shard.failingSequence = null;
                shard.failures = 0;
                settle(shard, covered);
                return true;
            }
            // Everything before the first failed record is done; from it on, the batch comes again.
            int before = 0;
            for (PendingRecord record : shard.pending) {
                if (record.sequenceNumber().equals(failedFrom)) {
                    break;
                }
                before++;
            }
            covered -= before;
            settle(shard, before);
            if (failedFrom.equals(shard.failingSequence)) {
                shard.failures++;
            } else {
                shard.failingSequence = failedFrom;
                shard.failures = 1;
            }
            int retries = shard.failures - 1;
            if (subscription.maximumRetryAttempts() >= 0 && retries >= subscription.maximumRetryAttempts()) {
                String last = batch.getLast().sequenceNumber();
                log(subscription.id() + ": giving up on records " + failedFrom + ".." + last + " of " + shard.shardId
                        + " after " + shard.failures + " failed attempts (MaximumRetryAttempts " + subscription.maximumRetryAttempts()
                        + "); last error: " + lastProblem);
                shard.failingSequence = null;
                shard.failures = 0;
                settle(shard, covered);
                return true;
            }
            return false;
        }

        /**
         * Invokes the function with the batch; returns null on success, else the sequence number of the first record
         * to deliver again.
         */
        private String invoke(List<PendingRecord> batch) {
            Object response;
            try {
                response = invoker.apply(subscription.functionLogicalId(), dynamodbEvent(batch));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                lastProblem = subscription.functionLogicalId() + " threw " + e;
                log(subscription.id() + ": " + lastProblem + "; the batch of " + batch.size() + " will be retried");
                return batch.getFirst().sequenceNumber();
            }
            if (!subscription.reportBatchItemFailures() || response == null) {
                return null;
            }
            JsonNode failures;
            try {
                JsonNode tree = response instanceof String text ? JSON.readTree(text) : JSON.valueToTree(response);
                failures = tree == null ? null : tree.get("batchItemFailures");
            } catch (IOException | IllegalArgumentException e) {
                return null; // not a batch response: Lambda counts the batch as done
            }
            if (failures == null || failures.isNull() || failures.isEmpty()) {
                return null;
            }
            // The earliest reported record in batch order; an unknown or empty identifier fails the whole batch.
            int first = Integer.MAX_VALUE;
            for (JsonNode failure : failures) {
                JsonNode identifier = failure.get("itemIdentifier");
                int index = identifier == null || !identifier.isTextual() ? -1 : indexOf(batch, identifier.textValue());
                if (index < 0) {
                    lastProblem = subscription.functionLogicalId() + " reported an unknown itemIdentifier " + identifier;
                    log(subscription.id() + ": " + lastProblem + "; the whole batch will be retried");
                    return batch.getFirst().sequenceNumber();
                }
                first = Math.min(first, index);
            }
            lastProblem = subscription.functionLogicalId() + " reported record " + batch.get(first).sequenceNumber() + " as failed";
            return batch.get(first).sequenceNumber();
        }

        private static int indexOf(List<PendingRecord> batch, String sequenceNumber) {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).sequenceNumber().equals(sequenceNumber)) {
                    return i;
                }
            }
            return -1;
        }

        /** The first {@code count} pending records are done: checkpoint after the last of them. */
        private void settle(ShardState shard, int count) {
            if (count == 0) {
                return;
            }
            PendingRecord last = null;
            for (int i = 0; i < count; i++) {
                last = shard.pending.removeFirst();
            }
            shard.checkpoint = last.sequenceNumber();
            publish();
        }

        private void publish() {
            Map<String, Position> positions = new LinkedHashMap<>();
            shards.forEach((id, shard) -> positions.put(id, new Position(shard.checkpoint, shard.finished)));
            published.keySet().retainAll(positions.keySet());
            published.putAll(positions);
            if (thread.isAlive()) {
                saveCheckpoint();
            }
        }

        String describeBacklog() {
            int pending = shards.values().stream().mapToInt(shard -> shard.pending.size()).sum();
            return pending + " records read and not yet delivered"
                    + (lastProblem == null ? "" : "; last problem: " + lastProblem);
        }
    }

    private List<Shard> describeShards() {
        List<Shard> shards = new ArrayList<>();
        String after = null;
        do {
            String exclusiveStart = after;
            DescribeStreamResponse page = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(exclusiveStart));
            shards.addAll(page.streamDescription().shards());
            after = page.streamDescription().lastEvaluatedShardId();
        } while (after != null);
        return shards;
    }

    private static String tableName(String streamArn) {
        int start = streamArn.indexOf(":table/") + ":table/".length();
        return streamArn.substring(start, streamArn.indexOf("/stream/"));
    }

    private static void log(String message) {
        System.err.println("stream poller: " + message);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining the stream", e);
        }
    }
}
