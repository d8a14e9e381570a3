package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One table's DynamoDB stream: one shard, records in commit order (so an item's records are in order), kept 24
 * hours. Guarded by the {@link Database} lock for appends; reads copy under it too.
 */
final class StreamLog {
    static final long RETENTION_MILLIS = 24 * 3600 * 1000L;
    /** Sequence numbers are global and increasing, written as 21 digits as DynamoDB's are. */
    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis() * 1000);

    record Record(long sequence, long createdMillis, String eventName, Map<String, Value> keys,
                  Map<String, Value> oldImage, Map<String, Value> newImage, String viewType, boolean byService, long sizeBytes) {
    }

    final String tableName;
    volatile String arn;
    volatile String label;
    volatile String viewType;
    volatile String shardId;
    volatile long startingSequence;
    private final ArrayList<Record> records = new ArrayList<>();
    private int firstRetained;

    StreamLog(TableDefinition definition) {
        this.tableName = definition.name;
        reset(definition);
    }

    /** After CreateTable or an UpdateTable that enabled the stream: a new stream (new ARN, new shard). */
    synchronized void reset(TableDefinition definition) {
        records.clear();
        firstRetained = 0;
        arn = definition.streamArn();
        label = definition.streamLabel();
        viewType = definition.streamViewType;
        startingSequence = SEQUENCE.get() + 1;
        shardId = "shardId-" + String.format("%020d", definition.streamCreated == null ? 0 : definition.streamCreated.toEpochMilli())
                + "-" + String.format("%08x", (definition.name + label).hashCode());
    }

    static String sequenceText(long sequence) {
        return String.format("1%020d", sequence);
    }

    static long parseSequence(String text) {
        if (text == null || text.length() != 21 || text.charAt(0) != '1' || !text.chars().allMatch(Character::isDigit)) {
            throw DynamoDbError.validation("Invalid SequenceNumber: " + text);
        }
        return Long.parseLong(text.substring(1));
    }

    boolean enabled() {
        return viewType != null;
    }

    /** Appends a record for a change that modified the item (the caller skips no-op writes). */
    synchronized void append(Map<String, Value> keys, Map<String, Value> oldImage, Map<String, Value> newImage, boolean byService,
            long nowMillis) {
        if (viewType == null) {
            return;
        }
        String eventName = oldImage == null ? "INSERT" : newImage == null ? "REMOVE" : "MODIFY";
        long size = com.aicredits.emulation.dynamodb.value.Values.itemSize(keys);
        if (!viewType.equals("KEYS_ONLY")) {
            if (oldImage != null && viewType.contains("OLD")) {
                size += com.aicredits.emulation.dynamodb.value.Values.itemSize(oldImage);
            }
            if (newImage != null && viewType.contains("NEW")) {
                size += com.aicredits.emulation.dynamodb.value.Values.itemSize(newImage);
            }
        }
        records.add(new Record(SEQUENCE.incrementAndGet(), nowMillis, eventName, keys, oldImage, newImage, viewType, byService, size));
        trim(nowMillis);
    }

    private void trim(long nowMillis) {
        while (firstRetained < records.size() && records.get(firstRetained).createdMillis() < nowMillis - RETENTION_MILLIS) {
            records.set(firstRetained++, null);
        }
        if (firstRetained > 4096 && firstRetained > records.size() / 2) {
            records.subList(0, firstRetained).clear();
            firstRetained = 0;
        }
    }

    synchronized long lastSequence() {
        return records.size() > firstRetained ? records.getLast().sequence() : startingSequence - 1;
    }

    synchronized long oldestSequence() {
        trim(System.currentTimeMillis());
        return records.size() > firstRetained ? records.get(firstRetained).sequence() : startingSequence;
    }

    /** Up to {@code limit} retained records whose sequence number is at least {@code from}. */
    synchronized List<Record> read(long from, int limit, long nowMillis) {
        trim(nowMillis);
        int low = firstRetained;
        int high = records.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (records.get(mid).sequence() < from) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return List.copyOf(records.subList(low, Math.min(records.size(), low + limit)));
    }
}
