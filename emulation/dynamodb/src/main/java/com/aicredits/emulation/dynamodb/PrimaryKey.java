package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** An item's primary key; {@code range} is {@link #NO_RANGE} when the table has no sort key. */
record PrimaryKey(Value hash, Value range) {
    static final Value NO_RANGE = new Value.Null();

    /**
     * The order of partitions in a Scan: by a 64-bit hash of the partition key (DynamoDB scans in hash order, not in
     * key order), then by value. Scan segments split the unsigned hash range evenly.
     */
    static final Comparator<Value> PARTITION_ORDER = (a, b) -> {
        int byHash = Long.compareUnsigned(partitionHash(a), partitionHash(b));
        return byHash != 0 ? byHash : Values.compareKeys(a, b);
    };

    static long partitionHash(Value value) {
        byte[] bytes = switch (value) {
            case Value.S s -> s.value().getBytes(StandardCharsets.UTF_8);
            case Value.N n -> n.text().getBytes(StandardCharsets.US_ASCII);
            case Value.B b -> b.value().toArray();
            default -> new byte[0];
        };
        long hash = 0xcbf29ce484222325L ^ value.type().hashCode();
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // a final mix, so that near keys spread over the segments
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }

    /** The segment (of {@code total}) a partition belongs to in a parallel Scan. */
    static int segment(Value hash, int total) {
        return (int) Math.unsignedMultiplyHigh(partitionHash(hash), total);
    }

    Map<String, Value> toItem(KeySchema schema) {
        Map<String, Value> key = new LinkedHashMap<>();
        key.put(schema.hashName(), hash);
        if (schema.hasRange()) {
            key.put(schema.rangeName(), range);
        }
        return key;
    }
}
