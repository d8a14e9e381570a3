package com.aicredits.local.streams;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Reads the table's stream for the subscriptions: its shards, and a shard's records from where one stands. */
final class StreamReader {
    private static final int RECORDS_PER_READ = 1000;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final LambdaStreamEvents events;

    StreamReader(DynamoDbStreamsClient streams, String streamArn, LambdaStreamEvents events) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.events = events;
    }

    /** Every shard of the stream now. */
    List<Shard> describeShards() {
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

    /**
     * LATEST, made durable: reads past every record there is now and checkpoints the last one, so a restart
     * before the first delivery neither misses nor replays anything.
     */
    void skipToEnd(ShardState state, boolean closed) {
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

    /**
     * One GetRecords into the shard's pending records; false when the shard could not be read this time (and
     * finished when the shard itself is gone).
     */
    boolean read(ShardState shard, String subscriptionId) {
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
            StreamPoller.log(subscriptionId + ": records after " + resumeAfter(shard) + " in " + shard.shardId
                    + " were trimmed from the stream; continuing from the oldest record there is");
            shard.iterator = null;
            shard.checkpoint = null;
            shard.lastRead = null;
            return false;
        } catch (ResourceNotFoundException e) {
            shard.finished = true; // the shard itself was trimmed away
            return false;
        }
        shard.iterator = page.nextShardIterator();
        shard.endReached = shard.iterator == null;
        if (page.hasRecords()) {
            for (Record record : page.records()) {
                String sequence = record.dynamodb().sequenceNumber();
                shard.pending.add(new ShardState.PendingRecord(sequence, events.record(record)));
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

    private static String resumeAfter(ShardState shard) {
        return shard.lastRead != null ? shard.lastRead : shard.checkpoint;
    }
}
