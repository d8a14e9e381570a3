package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The SDK-side latency of a call over loopback (target: p50 under 0.5 ms for GetItem and PutItem on a quiet
 * machine). Printed, and asserted only loosely (10 ms), since test machines are shared.
 */
class LatencyIntegrationTest extends EngineTestSupport {
    private static final int WARMUP = 500;
    private static final int CALLS = 1000;

    private static String measure(String name, Runnable call) {
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        long[] nanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double p50 = nanos[CALLS / 2] / 1e6;
        double p99 = nanos[CALLS * 99 / 100] / 1e6;
        assertThat(p50).as(name + " p50 ms").isLessThan(10);
        return String.format(Locale.ROOT, "%s p50 %.3f ms p99 %.3f ms", name, p50, p99);
    }

    @Test
    void get_put_and_a_three_item_transaction_over_loopback() {
        String table = creditsTable();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "WS#1", "SK", "BALANCE", "amount", 100)));
        int[] counter = {0};
        String get = measure("GetItem", () -> dynamo.getItem(r -> r.tableName(table).key(item("PK", "WS#1", "SK", "BALANCE"))));
        String put = measure("PutItem", () -> dynamo.putItem(r -> r.tableName(table)
                .item(item("PK", "WS#1", "SK", "REC#" + counter[0]++, "amount", 5, "GSI1PK", "U#1", "GSI1SK", "T#" + counter[0]))));
        String transaction = measure("TransactWriteItems(3)", () -> {
            int n = counter[0]++;
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(item("PK", "WS#1", "SK", "BALANCE"))
                            .conditionExpression("attribute_exists(PK)")).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item("PK", "WS#1", "SK", "TX#" + n, "amount", 5))
                            .conditionExpression("attribute_not_exists(PK)")).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(item("PK", "WS#2", "SK", "BALANCE"))
                            .updateExpression("ADD amount :one").expressionAttributeValues(java.util.Map.of(":one", n("1")))).build()));
        });
        System.out.println("dynamodb-engine latency: " + get + "; " + put + "; " + transaction);
    }

    @Test
    void put_on_disk_pays_the_journal_fsync(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) {
        try (DynamoDbEngine disk = DynamoDbEngine.onDisk(directory).start();
             software.amazon.awssdk.services.dynamodb.DynamoDbClient client = client(disk)) {
            client.createTable(r -> r.tableName("disk").billingMode("PAY_PER_REQUEST").attributeDefinitions(definition("id")).keySchema(hash("id")));
            int[] counter = {0};
            String put = measure("PutItem on disk", () -> client.putItem(r -> r.tableName("disk").item(item("id", "k" + counter[0]++, "v", 5))));
            System.out.println("dynamodb-engine latency: " + put);
        }
    }
}
