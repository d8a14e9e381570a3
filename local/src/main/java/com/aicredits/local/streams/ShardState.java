package com.aicredits.local.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;

/** A subscription's state in one shard. Touched only by its worker thread (and by StreamPoller.start() before that). */
final class ShardState {
    /** A record read from the stream and not yet delivered, in both shapes. */
    record PendingRecord(String sequenceNumber, ObjectNode json) {
    }

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

    ShardState(String shardId, String parentShardId, StreamCheckpoints.Position position) {
        this.shardId = shardId;
        this.parentShardId = parentShardId;
        if (position != null) {
            this.checkpoint = position.sequenceNumber();
            this.finished = position.finished();
        }
    }
}
