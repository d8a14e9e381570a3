package com.aicredits.local.streams;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.testkit.LocalDynamoDb;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
 *
 * <p>This class is the lifecycle; {@link SubscriptionWorker} is one subscription's thread, {@link StreamReader} reads
 * the stream, {@link LambdaStreamEvents} gives records Lambda's shape, {@link StreamCheckpoints} keeps the positions.
 */
public final class StreamPoller implements AutoCloseable {
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final List<SubscriptionWorker> workers = new ArrayList<>();
    private final StreamCheckpoints checkpoints;
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
        String region = streams.serviceClientConfiguration().region() == null
                ? null : streams.serviceClientConfiguration().region().id();
        StreamReader reader = new StreamReader(streams, streamArn, new LambdaStreamEvents(region, streamArn));
        this.checkpoints = new StreamCheckpoints(checkpointDirectory, streamArn);
        subscriptions.forEach(subscription -> workers.add(
                new SubscriptionWorker(subscription, reader, invoker, this::saveCheckpoint, () -> closing)));
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
        return checkpoints.file();
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
        Map<String, Map<String, StreamCheckpoints.Position>> saved = checkpoints.load();
        for (SubscriptionWorker worker : workers) {
            worker.position(saved.get(worker.subscription.id()));
        }
        saveCheckpoint();
        for (SubscriptionWorker worker : workers) {
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
        Map<SubscriptionWorker, Long> targets = new LinkedHashMap<>();
        for (SubscriptionWorker worker : workers) {
            targets.put(worker, worker.startedCycles + 1);
            worker.wake();
        }
        for (Map.Entry<SubscriptionWorker, Long> target : targets.entrySet()) {
            SubscriptionWorker worker = target.getKey();
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
        workers.forEach(SubscriptionWorker::wake);
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (SubscriptionWorker worker : workers) {
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

    /** Every subscription's published positions, written under one lock so a later write never holds older ones. */
    private void saveCheckpoint() {
        synchronized (checkpointLock) {
            Map<String, Map<String, StreamCheckpoints.Position>> positions = new LinkedHashMap<>();
            workers.forEach(worker -> positions.put(worker.subscription.id(), worker.published));
            checkpoints.save(positions);
        }
    }

    static void log(String message) {
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
