package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Values;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator, GetRecords (one open shard a stream). */
final class StreamsApi {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long ITERATOR_MILLIS = 15 * 60 * 1000L;

    private final Database database;

    StreamsApi(Database database) {
        this.database = database;
    }

    private Table byArn(String arn) {
        if (arn == null) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null");
        }
        for (Table table : database.tables.values()) {
            if (arn.equals(table.stream.arn)) {
                return table;
            }
        }
        throw new DynamoDbError("ResourceNotFoundException", 400, "Requested resource not found: Stream: " + arn + " not found");
    }

    JsonNode listStreams(JsonNode request) {
        String tableName = Requests.text(request, "TableName");
        int limit = request.path("Limit").asInt(100);
        String start = Requests.text(request, "ExclusiveStartStreamArn");
        ObjectNode out = JSON.objectNode();
        ArrayNode streams = out.putArray("Streams");
        boolean started = start == null;
        for (Table table : database.tables.values()) {
            if (table.stream.arn == null || tableName != null && !tableName.equals(table.definition.name)) {
                continue;
            }
            if (!started) {
                started = table.stream.arn.equals(start);
                continue;
            }
            if (streams.size() == limit) {
                out.put("LastEvaluatedStreamArn", streams.get(streams.size() - 1).get("StreamArn").asText());
                break;
            }
            streams.addObject().put("StreamArn", table.stream.arn).put("TableName", table.definition.name).put("StreamLabel", table.stream.label);
        }
        return out;
    }

    JsonNode describeStream(JsonNode request) {
        Table table = byArn(Requests.text(request, "StreamArn"));
        StreamLog stream = table.stream;
        ObjectNode out = JSON.objectNode();
        ObjectNode description = out.putObject("StreamDescription");
        description.put("StreamArn", stream.arn);
        description.put("StreamLabel", stream.label);
        description.put("StreamStatus", stream.enabled() ? "ENABLED" : "DISABLED");
        description.put("StreamViewType", stream.viewType != null ? stream.viewType : table.definition.streamViewType);
        description.put("CreationRequestDateTime", TableDefinition.epochSeconds(table.definition.streamCreated));
        description.put("TableName", table.definition.name);
        description.set("KeySchema", TableDefinition.keySchemaJson(table.key()));
        ArrayNode shards = description.putArray("Shards");
        String startShard = Requests.text(request, "ExclusiveStartShardId");
        if (startShard == null || !startShard.equals(stream.shardId)) {
            ObjectNode shard = shards.addObject().put("ShardId", stream.shardId);
            ObjectNode range = shard.putObject("SequenceNumberRange").put("StartingSequenceNumber", StreamLog.sequenceText(stream.startingSequence));
            if (!stream.enabled()) {
                range.put("EndingSequenceNumber", StreamLog.sequenceText(stream.lastSequence()));
            }
        }
        return out;
    }

    private static String iterator(String arn, String shardId, long position, long nowMillis) {
        String text = arn + "|" + shardId + "|" + position + "|" + nowMillis;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode getShardIterator(JsonNode request) {
        Table table = byArn(Requests.text(request, "StreamArn"));
        StreamLog stream = table.stream;
        String shardId = Requests.text(request, "ShardId");
        if (!stream.shardId.equals(shardId)) {
            throw new DynamoDbError("ResourceNotFoundException", 400, "Requested resource not found: Shard does not exist");
        }
        String type = Requests.text(request, "ShardIteratorType");
        String sequence = Requests.text(request, "SequenceNumber");
        long position = switch (type == null ? "" : type) {
            case "TRIM_HORIZON" -> stream.oldestSequence();
            case "LATEST" -> stream.lastSequence() + 1;
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                if (sequence == null) {
                    throw DynamoDbError.validation("SequenceNumber is required for ShardIteratorType " + type);
                }
                long number = StreamLog.parseSequence(sequence);
                if (number < stream.startingSequence || number > stream.lastSequence()) {
                    throw DynamoDbError.validation("Invalid SequenceNumber " + sequence + " for shard " + shardId);
                }
                if (number < stream.oldestSequence()) {
                    throw new DynamoDbError("TrimmedDataAccessException", 400, "The operation attempted to read past the oldest stream record in a shard.");
                }
                yield type.equals("AT_SEQUENCE_NUMBER") ? number : number + 1;
            }
            default -> throw DynamoDbError.validation("1 validation error detected: Value '" + type
                    + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
        };
        ObjectNode out = JSON.objectNode();
        out.put("ShardIterator", iterator(stream.arn, shardId, position, database.clock.millis()));
        return out;
    }

    JsonNode getRecords(JsonNode request) {
        String iterator = Requests.text(request, "ShardIterator");
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(iterator == null ? "" : iterator), StandardCharsets.UTF_8).split("\\|");
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 4) {
            throw DynamoDbError.validation("Invalid ShardIterator");
        }
        long now = database.clock.millis();
        long issued = Long.parseLong(parts[3]);
        if (now - issued > ITERATOR_MILLIS) {
            throw new DynamoDbError("ExpiredIteratorException", 400, "Iterator expired. The iterator was created at time "
                    + java.time.Instant.ofEpochMilli(issued) + " while right now it is " + java.time.Instant.ofEpochMilli(now)
                    + " which is further in the future than the tolerated delay of 900000 milliseconds.");
        }
        Table table = byArn(parts[0]);
        StreamLog stream = table.stream;
        if (!stream.shardId.equals(parts[1])) {
            throw new DynamoDbError("ResourceNotFoundException", 400, "Requested resource not found: Shard does not exist");
        }
        int limit = request.path("Limit").asInt(1000);
        if (limit < 1 || limit > 1000) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        long position = Long.parseLong(parts[2]);
        List<StreamLog.Record> records = stream.read(position, limit, now);
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("Records");
        for (StreamLog.Record record : records) {
            ObjectNode element = list.addObject();
            element.put("eventID", String.format("%032x", record.sequence() * 0x9E3779B97F4A7C15L & Long.MAX_VALUE));
            element.put("eventName", record.eventName());
            element.put("eventVersion", "1.1");
            element.put("eventSource", "aws:dynamodb");
            element.put("awsRegion", table.definition.region);
            ObjectNode dynamodb = element.putObject("dynamodb");
            dynamodb.put("ApproximateCreationDateTime", record.createdMillis() / 1000);
            dynamodb.set("Keys", Values.itemToJson(record.keys()));
            if (record.newImage() != null && record.viewType().contains("NEW")) {
                dynamodb.set("NewImage", Values.itemToJson(record.newImage()));
            }
            if (record.oldImage() != null && record.viewType().contains("OLD")) {
                dynamodb.set("OldImage", Values.itemToJson(record.oldImage()));
            }
            dynamodb.put("SequenceNumber", StreamLog.sequenceText(record.sequence()));
            dynamodb.put("SizeBytes", record.sizeBytes());
            dynamodb.put("StreamViewType", record.viewType());
            if (record.byService()) {
                element.putObject("userIdentity").put("PrincipalId", "dynamodb.amazonaws.com").put("Type", "Service");
            }
        }
        long next = records.isEmpty() ? position : records.getLast().sequence() + 1;
        if (stream.enabled() || next <= stream.lastSequence()) {
            out.put("NextShardIterator", iterator(stream.arn, stream.shardId, next, now));
        }
        return out;
    }
}
