package com.aicredits.testkit;

import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.domain.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes many items fast for a bench: BatchWriteItem, 25 items a call, on a few threads, with progress. The items
 * are copies of ones the real services wrote ({@link #copy}), so they have exactly the shapes a bench measures.
 */
public final class ItemSeeder {
    private static final int BATCH = 25;

    private ItemSeeder() {
    }

    /**
     * Writes {@code count} groups of items, {@code group.apply(i)} for i in [0, count), on {@code threads} threads;
     * returns the seconds it took.
     */
    public static double write(DynamoDbClient client, String table, String phase, int count, int threads,
                               IntFunction<List<Map<String, AttributeValue>>> group) {
        Progress progress = new Progress(phase, count);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<WriteRequest> batch = new ArrayList<>(BATCH);
                    for (int i = thread; i < count; i += threads) {
                        for (Map<String, AttributeValue> item : group.apply(i)) {
                            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                            if (batch.size() == BATCH) {
                                flush(client, table, batch);
                            }
                        }
                        progress.add(1);
                    }
                    flush(client, table, batch);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException(phase + " failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return progress.finish();
    }

    private static void flush(DynamoDbClient client, String table, List<WriteRequest> batch) {
        List<WriteRequest> pending = List.copyOf(batch);
        batch.clear();
        while (!pending.isEmpty()) {
            List<WriteRequest> requests = pending;
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(Map.of(table, requests)));
            pending = response.unprocessedItems().getOrDefault(table, List.of());
        }
    }

    /**
     * A copy of {@code item} with every occurrence of {@code from} in its strings (keys, ids, JSON bodies, nested
     * lists and maps) replaced by {@code to}, then {@code overrides} set.
     */
    public static Map<String, AttributeValue> copy(Map<String, AttributeValue> item, String from, String to,
                                                   Map<String, AttributeValue> overrides) {
        Map<String, AttributeValue> copy = new HashMap<>();
        item.forEach((name, value) -> copy.put(name, replace(value, from, to)));
        copy.putAll(overrides);
        return copy;
    }

    /**
     * A copy of a stored usage record of {@code workspaceId} under another executionId ({@link #copy} of the ids) as
     * line {@code sequence} of {@code period}: its keys (its record partition, its index partition and sort key) as
     * the store would write them, then {@code overrides} set.
     */
    public static Map<String, AttributeValue> recordCopy(Map<String, AttributeValue> record, String workspaceId, String fromId,
                                                         String toId, Period period, long sequence,
                                                         Map<String, AttributeValue> overrides) {
        Map<String, AttributeValue> copy = copy(record, fromId, toId, Map.of());
        copy.putAll(Keys.execution(workspaceId, toId));
        copy.put(Keys.GSI1PK, AttributeValue.fromS(Keys.ledgerGsiPk(workspaceId, period, sequence)));
        copy.put(Keys.GSI1SK, AttributeValue.fromS(Keys.ledgerGsiSk(sequence)));
        copy.putAll(overrides);
        return copy;
    }

    private static AttributeValue replace(AttributeValue value, String from, String to) {
        return switch (value.type()) {
            case S -> AttributeValue.fromS(value.s().replace(from, to));
            case L -> AttributeValue.fromL(value.l().stream().map(v -> replace(v, from, to)).toList());
            case M -> {
                Map<String, AttributeValue> map = new HashMap<>();
                value.m().forEach((k, v) -> map.put(k, replace(v, from, to)));
                yield AttributeValue.fromM(map);
            }
            default -> value;
        };
    }
}
