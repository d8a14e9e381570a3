package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** On disk: data survives a restart, a torn last journal line is dropped, one engine owns a directory. */
class PersistenceTest {
    @TempDir
    Path directory;

    private static void createTable(DynamoDbClient client) {
        client.createTable(r -> r.tableName("table").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(EngineTestSupport.definition("id")).keySchema(EngineTestSupport.hash("id"))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_IMAGE")));
        client.updateTimeToLive(r -> r.tableName("table").timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true)));
    }

    @Test
    void tables_and_items_survive_a_restart_and_a_reopening() {
        try (DynamoDbEngine engine = DynamoDbEngine.onDisk(directory).start(); DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "a", "v", 1)));
            client.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("table").item(EngineTestSupport.item("id", "b"))).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName("table").key(EngineTestSupport.item("id", "a"))).build()));
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "c", "v", 3)));
            engine.restart();
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "c"))).item())
                    .containsEntry("v", EngineTestSupport.n("3"));
            assertThat(client.getItem(r -> r.tableName("table").key(EngineTestSupport.item("id", "a"))).hasItem()).isFalse();
        }
        try (DynamoDbEngine engine = DynamoDbEngine.onDisk(directory).start(); DynamoDbClient client = EngineTestSupport.client(engine)) {
            assertThat(client.scan(r -> r.tableName("table")).count()).isEqualTo(2);
            var table = client.describeTable(r -> r.tableName("table")).table();
            assertThat(table.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_IMAGE");
            assertThat(client.describeTimeToLive(r -> r.tableName("table")).timeToLiveDescription().attributeName()).isEqualTo("ttl");
        }
    }

    @Test
    void a_torn_last_line_is_dropped_and_the_rest_replayed() throws Exception {
        try (DynamoDbEngine engine = DynamoDbEngine.onDisk(directory).start(); DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            client.putItem(r -> r.tableName("table").item(EngineTestSupport.item("id", "a")));
        }
        Files.writeString(directory.resolve(Journal.FILE), "{\"op\":\"write\",\"changes\":[{\"tab", java.nio.file.StandardOpenOption.APPEND);
        try (DynamoDbEngine engine = DynamoDbEngine.onDisk(directory).start(); DynamoDbClient client = EngineTestSupport.client(engine)) {
            assertThat(client.scan(r -> r.tableName("table")).count()).isEqualTo(1);
        }
    }

    @Test
    void a_second_engine_on_the_same_directory_is_refused_at_once_saying_why() {
        try (DynamoDbEngine engine = DynamoDbEngine.onDisk(directory).start()) {
            assertThatThrownBy(() -> DynamoDbEngine.onDisk(directory).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another engine")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        DynamoDbEngine.onDisk(directory).start().close();
    }

    @Test
    void a_stopped_engine_refuses_connections_and_listens_again_on_the_same_port_after_restart() throws Exception {
        try (DynamoDbEngine engine = DynamoDbEngine.inMemory().start(); DynamoDbClient client = EngineTestSupport.client(engine)) {
            createTable(client);
            int port = engine.port();
            engine.stop();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            engine.restart();
            assertThat(engine.port()).isEqualTo(port);
            assertThat(client.listTables().tableNames()).containsExactly("table");
        }
    }
}
