package com.aicredits.local.streams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/**
 * One subscription's thread: polls every shard, delivers the records its filters accept in batches, retries a failed
 * batch (from the first reported item) up to MaximumRetryAttempts, and publishes its positions after every batch.
 */
final class SubscriptionWorker implements Runnable {
    private static final long POLL_INTERVAL_MILLIS = 200;

    final StreamSubscription subscription;
    final Thread thread;
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    /** The positions as last checkpointed, read by whichever thread writes the file. */
    final Map<String, StreamCheckpoints.Position> published = new ConcurrentHashMap<>();
    private final Object wakeUp = new Object();
    private boolean wakeRequested;
    volatile long startedCycles;
    volatile long lastQuietCycle = -1;
    private volatile String lastProblem;

    private final StreamReader reader;
    private final BiFunction<String, Object, Object> invoker;
    /** Writes every subscription's published positions to the checkpoint file. */
    private final Runnable saveCheckpoint;
    private final BooleanSupplier closing;

    SubscriptionWorker(StreamSubscription subscription, StreamReader reader, BiFunction<String, Object, Object> invoker,
                       Runnable saveCheckpoint, BooleanSupplier closing) {
        this.subscription = subscription;
        this.reader = reader;
        this.invoker = invoker;
        this.saveCheckpoint = saveCheckpoint;
        this.closing = closing;
        this.thread = new Thread(this, "stream-poller-" + subscription.id());
        this.thread.setDaemon(true);
    }

    /** From the checkpoint, else at the subscription's starting position. */
    void position(Map<String, StreamCheckpoints.Position> saved) {
        List<Shard> listed = reader.describeShards();
        if (saved != null) {
            for (Shard shard : listed) {
                shards.put(shard.shardId(), new ShardState(shard.shardId(), shard.parentShardId(), saved.get(shard.shardId())));
            }
        } else {
            for (Shard shard : listed) {
                ShardState state = new ShardState(shard.shardId(), shard.parentShardId(), null);
                shards.put(shard.shardId(), state);
                if (subscription.startingPosition().equals("LATEST")) {
                    reader.skipToEnd(state, shard.sequenceNumberRange().endingSequenceNumber() != null);
                }
            }
        }
        publish();
    }

    @Override
    public void run() {
        while (!closing.getAsBoolean()) {
            try {
                cycle();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (!closing.getAsBoolean()) {
                    lastProblem = e.toString();
                    StreamPoller.log(subscription.id() + ": polling failed, retrying: " + e);
                }
            }
            synchronized (wakeUp) {
                if (!wakeRequested && !closing.getAsBoolean()) {
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
        while (progressed && !closing.getAsBoolean()) {
            progressed = false;
            for (ShardState shard : shards.values()) {
                if (shard.finished || !parentFinished(shard)) {
                    continue;
                }
                quiet &= pump(shard);
                progressed |= shard.finished;
                if (closing.getAsBoolean()) {
                    break;
                }
            }
        }
        if (quiet && !closing.getAsBoolean()) {
            lastProblem = null;
            lastQuietCycle = cycle;
        }
    }

    /** Adds new shards (a new shard is read from its start), forgets those trimmed away; false if anything changed. */
    private boolean refreshShards() {
        List<Shard> listed = reader.describeShards();
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
        while (!closing.getAsBoolean()) {
            if (shard.pending.isEmpty()) {
                if (shard.endReached) {
                    shard.finished = true;
                    publish();
                    return quiet;
                }
                if (!reader.read(shard, subscription.id())) {
                    if (shard.finished) {
                        publish(); // the shard itself is gone
                    }
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

    /**
     * Delivers the next batch from the shard's pending records: the next records the filters accept, at most
     * BatchSize of them. Records the filters reject are passed over, as Lambda drops them. False when the batch
     * failed and is to be retried.
     */
    private boolean deliver(ShardState shard) {
        List<ShardState.PendingRecord> batch = new ArrayList<>();
        int covered = 0; // pending records this batch settles, accepted or not
        for (ShardState.PendingRecord record : shard.pending) {
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
        for (ShardState.PendingRecord record : shard.pending) {
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
            StreamPoller.log(subscription.id() + ": giving up on records " + failedFrom + ".." + last + " of " + shard.shardId
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
    private String invoke(List<ShardState.PendingRecord> batch) {
        Object response;
        try {
            response = invoker.apply(subscription.functionLogicalId(), LambdaStreamEvents.event(batch));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            lastProblem = subscription.functionLogicalId() + " threw " + e;
            StreamPoller.log(subscription.id() + ": " + lastProblem + "; the batch of " + batch.size() + " will be retried");
            return batch.getFirst().sequenceNumber();
        }
        if (!subscription.reportBatchItemFailures()) {
            return null;
        }
        BatchItemFailures failures = BatchItemFailures.read(response, batch);
        if (failures.unknown()) {
            lastProblem = subscription.functionLogicalId() + " reported an unknown itemIdentifier " + failures.unknownIdentifier();
            StreamPoller.log(subscription.id() + ": " + lastProblem + "; the whole batch will be retried");
            return batch.getFirst().sequenceNumber();
        }
        if (failures.firstFailed() < 0) {
            return null;
        }
        String failed = batch.get(failures.firstFailed()).sequenceNumber();
        lastProblem = subscription.functionLogicalId() + " reported record " + failed + " as failed";
        return failed;
    }

    /** The first {@code count} pending records are done: checkpoint after the last of them. */
    private void settle(ShardState shard, int count) {
        if (count == 0) {
            return;
        }
        ShardState.PendingRecord last = null;
        for (int i = 0; i < count; i++) {
            last = shard.pending.removeFirst();
        }
        shard.checkpoint = last.sequenceNumber();
        publish();
    }

    private void publish() {
        Map<String, StreamCheckpoints.Position> positions = new LinkedHashMap<>();
        shards.forEach((id, shard) -> positions.put(id, new StreamCheckpoints.Position(shard.checkpoint, shard.finished)));
        published.keySet().retainAll(positions.keySet());
        published.putAll(positions);
        if (thread.isAlive()) {
            saveCheckpoint.run();
        }
    }

    String describeBacklog() {
        int pending = shards.values().stream().mapToInt(shard -> shard.pending.size()).sum();
        return pending + " records read and not yet delivered"
                + (lastProblem == null ? "" : "; last problem: " + lastProblem);
    }
}
