package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;

/** DynamoDB Streams (Developer Guide, "Change data capture for DynamoDB Streams"). */
class StreamsTest extends EngineTestSupport {

    private static String streamArn(String table) {
        return dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    private static List<Record> records(String table, ShardIteratorType type, String sequence) {
        String arn = streamArn(table);
        StreamDescription description = streams.describeStream(r -> r.streamArn(arn)).streamDescription();
        String shard = description.shards().getFirst().shardId();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(type).sequenceNumber(sequence))
                .shardIterator();
        return streams.getRecords(r -> r.shardIterator(iterator)).records();
    }

    @Test
    void inserts_modifies_and_removes_are_recorded_in_order_with_new_and_old_images() {
        String table = creditsTable();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "v", 1)));
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "v", 2)));
        dynamo.deleteItem(r -> r.tableName(table).key(item("PK", "a", "SK", "1")));
        List<Record> records = records(table, ShardIteratorType.TRIM_HORIZON, null);
        assertThat(records).extracting(Record::eventName).containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
        assertThat(records.get(0).dynamodb().newImage()).containsEntry("v", n("1"));
        assertThat(records.get(0).dynamodb().hasOldImage()).isFalse();
        assertThat(records.get(1).dynamodb().oldImage()).containsEntry("v", n("1"));
        assertThat(records.get(1).dynamodb().newImage()).containsEntry("v", n("2"));
        assertThat(records.get(2).dynamodb().oldImage()).containsEntry("v", n("2"));
        assertThat(records.get(2).dynamodb().keys()).isEqualTo(item("PK", "a", "SK", "1"));
        assertThat(records.get(0).eventSource()).isEqualTo("aws:dynamodb");
        assertThat(records).extracting(r -> r.dynamodb().sequenceNumber()).isSorted();
    }

    @Test
    void a_write_that_changes_nothing_writes_no_record() {
        String table = creditsTable();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "v", 1)));
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "v", 1)));
        dynamo.deleteItem(r -> r.tableName(table).key(item("PK", "absent", "SK", "1")));
        assertThat(records(table, ShardIteratorType.TRIM_HORIZON, null)).hasSize(1);
    }

    @Test
    void latest_and_after_sequence_number_iterators_start_after_what_was_read() {
        String table = creditsTable();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1")));
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "2")));
        List<Record> all = records(table, ShardIteratorType.TRIM_HORIZON, null);
        assertThat(records(table, ShardIteratorType.LATEST, null)).isEmpty();
        String first = all.getFirst().dynamodb().sequenceNumber();
        assertThat(records(table, ShardIteratorType.AFTER_SEQUENCE_NUMBER, first)).hasSize(1);
        assertThat(records(table, ShardIteratorType.AT_SEQUENCE_NUMBER, first)).hasSize(2);
    }

    @Test
    void the_next_shard_iterator_returns_only_new_records() {
        String table = creditsTable();
        String arn = streamArn(table);
        String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().getFirst().shardId();
        String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1")));
        var page = streams.getRecords(r -> r.shardIterator(iterator));
        assertThat(page.records()).hasSize(1);
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "b", "SK", "1")));
        var next = streams.getRecords(r -> r.shardIterator(page.nextShardIterator()));
        assertThat(next.records()).extracting(rec -> rec.dynamodb().keys().get("PK").s()).containsExactly("b");
    }

    @Test
    void list_streams_names_the_table_and_describe_stream_gives_its_view_type_and_key_schema() {
        String table = creditsTable();
        var listed = streams.listStreams(r -> r.tableName(table)).streams();
        assertThat(listed).hasSize(1);
        assertThat(listed.getFirst().streamArn()).isEqualTo(streamArn(table));
        StreamDescription description = streams.describeStream(r -> r.streamArn(streamArn(table))).streamDescription();
        assertThat(description.streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(description.streamStatusAsString()).isEqualTo("ENABLED");
        assertThat(description.keySchema()).extracting(k -> k.attributeName()).containsExactly("PK", "SK");
    }

    @Test
    void a_ttl_deletion_is_a_remove_record_by_the_service() {
        String table = creditsTable();
        dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        long past = java.time.Instant.now().getEpochSecond() - 10;
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "1", "expiresAt", past)));
        dynamo.putItem(r -> r.tableName(table).item(item("PK", "a", "SK", "2", "expiresAt", past + 3600)));
        assertThat(engine.sweepExpiredItems()).isEqualTo(1);
        List<Record> records = records(table, ShardIteratorType.TRIM_HORIZON, null);
        Record removal = records.getLast();
        assertThat(removal.eventName()).isEqualTo(OperationType.REMOVE);
        assertThat(removal.userIdentity().type()).isEqualTo("Service");
        assertThat(removal.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(dynamo.getItem(r -> r.tableName(table).key(item("PK", "a", "SK", "2"))).hasItem()).isTrue();
    }
}
