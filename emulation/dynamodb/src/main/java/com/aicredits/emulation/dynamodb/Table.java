package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A table's items and its global secondary indexes. Partitions are ordered by the hash of their key (Scan order),
 * items within a partition by sort key (Query order). Indexes are sparse: an item is in an index only when it
 * carries the index's key attributes with their defined types. Not thread-safe: the {@link Database} lock guards it.
 */
final class Table {
    final TableDefinition definition;
    final TreeMap<Value, TreeMap<Value, Map<String, Value>>> partitions = new TreeMap<>(PrimaryKey.PARTITION_ORDER);
    final Map<String, Index> indexes = new HashMap<>();
    final StreamLog stream;
    long itemCount;
    long sizeBytes;

    Table(TableDefinition definition) {
        this.definition = definition;
        definition.indexes.values().forEach(index -> indexes.put(index.name(), new Index(index, definition.key)));
        this.stream = new StreamLog(definition);
    }

    /** An index's entry key: its sort key (or none), then the table's key, which makes it unique. */
    record IndexEntry(Value range, Value tableHash, Value tableRange) {
        static final Comparator<IndexEntry> ORDER = Comparator.comparing(IndexEntry::range, KeySchema::compareRange)
                .thenComparing(IndexEntry::tableHash, Values::compareKeys)
                .thenComparing(IndexEntry::tableRange, KeySchema::compareRange);
    }

    static final class Index {
        final IndexDefinition definition;
        final KeySchema tableKey;
        final TreeMap<Value, TreeMap<IndexEntry, Map<String, Value>>> partitions = new TreeMap<>(PrimaryKey.PARTITION_ORDER);
        long itemCount;
        long sizeBytes;

        Index(IndexDefinition definition, KeySchema tableKey) {
            this.definition = definition;
            this.tableKey = tableKey;
        }

        IndexEntry entry(Map<String, Value> item) {
            KeySchema key = definition.key();
            return new IndexEntry(key.hasRange() ? item.get(key.rangeName()) : PrimaryKey.NO_RANGE,
                    item.get(tableKey.hashName()), tableKey.hasRange() ? item.get(tableKey.rangeName()) : PrimaryKey.NO_RANGE);
        }

        void remove(Map<String, Value> item) {
            if (item == null || !definition.key().coveredBy(item)) {
                return;
            }
            Value hash = item.get(definition.key().hashName());
            TreeMap<IndexEntry, Map<String, Value>> partition = partitions.get(hash);
            if (partition != null && partition.remove(entry(item)) != null) {
                itemCount--;
                sizeBytes -= Values.itemSize(definition.project(item, tableKey));
                if (partition.isEmpty()) {
                    partitions.remove(hash);
                }
            }
        }

        void add(Map<String, Value> item) {
            if (item == null || !definition.key().coveredBy(item)) {
                return;
            }
            partitions.computeIfAbsent(item.get(definition.key().hashName()), k -> new TreeMap<>(IndexEntry.ORDER))
                    .put(entry(item), item);
            itemCount++;
            sizeBytes += Values.itemSize(definition.project(item, tableKey));
        }
    }

    KeySchema key() {
        return definition.key;
    }

    PrimaryKey keyOf(Map<String, Value> item) {
        KeySchema key = definition.key;
        return new PrimaryKey(item.get(key.hashName()), key.hasRange() ? item.get(key.rangeName()) : PrimaryKey.NO_RANGE);
    }

    Map<String, Value> get(PrimaryKey key) {
        TreeMap<Value, Map<String, Value>> partition = partitions.get(key.hash());
        return partition == null ? null : partition.get(key.range());
    }

    /** Stores {@code item} (null: deletes) under {@code key}; returns the item it replaced, if any. */
    Map<String, Value> write(PrimaryKey key, Map<String, Value> item) {
        Map<String, Value> old;
        if (item == null) {
            TreeMap<Value, Map<String, Value>> partition = partitions.get(key.hash());
            old = partition == null ? null : partition.remove(key.range());
            if (partition != null && partition.isEmpty()) {
                partitions.remove(key.hash());
            }
        } else {
            old = partitions.computeIfAbsent(key.hash(), k -> new TreeMap<>(KeySchema::compareRange)).put(key.range(), item);
        }
        if (old != null) {
            itemCount--;
            sizeBytes -= Values.itemSize(old);
        }
        if (item != null) {
            itemCount++;
            sizeBytes += Values.itemSize(item);
        }
        for (Index index : indexes.values()) {
            index.remove(old);
            index.add(item);
        }
        return old;
    }

    /** All items in Scan order (for TTL sweeps, compaction and snapshots). */
    List<Map<String, Value>> allItems() {
        List<Map<String, Value>> items = new ArrayList<>((int) Math.min(itemCount, Integer.MAX_VALUE));
        for (NavigableMap<Value, Map<String, Value>> partition : partitions.values()) {
            items.addAll(partition.values());
        }
        return items;
    }
}
