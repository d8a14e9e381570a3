package com.aicredits.bench;

import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * One DynamoDB call as the SDK sees it, on our engine over loopback (in memory, in this JVM, production mode off):
 * GetItem, PutItem and a 3-item TransactWriteItems on the table from template.yaml, one caller at a time, through
 * the client the functions use (SDK v2, url-connection), timed from the call to its answer. Each is warmed up first
 * (the JIT, the connection), then timed {@link #CALLS} times; p50 and p99 against the issue's target (p50 < 0.5 ms).
 */
final class EngineCalls {
    static final int WARM_UP = 3_000;
    static final int CALLS = 5_000;
    static final double TARGET_P50_MILLIS = 0.5;

    private EngineCalls() {
    }

    static void run() throws IOException {
        Progress.say("one DynamoDB call on the engine over loopback: GetItem, PutItem, a 3-item TransactWriteItems");
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, null);
             DynamoDbClient client = dynamoDb.client()) {
            String table = dynamoDb.createTable("bench-calls");
            String payload = "x".repeat(200);
            client.putItem(b -> b.tableName(table).item(item("WS#calls", "BALANCE", payload)));
            measure("GetItem", i -> client.getItem(b -> b.tableName(table).key(Map.of("PK", AttributeValue.fromS("WS#calls"),
                    "SK", AttributeValue.fromS("BALANCE")))));
            measure("PutItem", i -> client.putItem(b -> b.tableName(table).item(item("WS#calls", "EXEC#" + i, payload))));
            measure("TransactWriteItems (3 items)", i -> client.transactWriteItems(b -> b.transactItems(List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item("WS#tx", "EXEC#" + i, payload))
                            .conditionExpression("attribute_not_exists(PK)")).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("PK", AttributeValue.fromS("WS#tx"),
                                    "SK", AttributeValue.fromS("BALANCE")))
                            .updateExpression("ADD used :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item("WS#tx-idem", "IDEM#" + i, payload))).build()))));
        }
        // On disk, as make run keeps its data: every acknowledged write is in the journal and fsynced first.
        Path directory = Files.createTempDirectory("bench-calls-journal");
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, directory.resolve("dynamodb"));
             DynamoDbClient client = dynamoDb.client()) {
            String table = dynamoDb.createTable("bench-calls-disk");
            String payload = "x".repeat(200);
            measure("PutItem on disk (journal, fsync)", i -> client.putItem(b -> b.tableName(table).item(item("WS#disk", "EXEC#" + i, payload))));
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static Map<String, AttributeValue> item(String pk, String sk, String payload) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk), "payload", AttributeValue.fromS(payload));
    }

    private static void measure(String operation, IntConsumer call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.accept(-1 - i);
        }
        long[] nanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double p50 = nanos[CALLS / 2] / 1e6;
        double p99 = nanos[CALLS * 99 / 100] / 1e6;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("operation", operation);
        figures.put("calls", CALLS);
        figures.put("p50Millis", Math.round(p50 * 1000) / 1000.0);
        figures.put("p99Millis", Math.round(p99 * 1000) / 1000.0);
        String result = String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms (%d calls after %d to warm up)", p50, p99, CALLS, WARM_UP);
        Progress.say("DynamoDB engine, " + operation + ": " + result);
        BenchResults.add(BenchResults.Row.of("dynamodb", "one " + operation + " on our DynamoDB engine over loopback, SDK-side", result)
                .withTarget("p50 < 0.5 ms", p50 < TARGET_P50_MILLIS).withFigures(figures));
    }
}
