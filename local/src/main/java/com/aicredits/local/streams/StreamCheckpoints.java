package com.aicredits.local.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The stream poller's positions in a JSON file, {@code stream-positions-<table>.json}, so a restart resumes. */
final class StreamCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where a subscription stands in one shard: after {@code sequenceNumber} (none: from the shard's start). */
    record Position(String sequenceNumber, boolean finished) {
    }

    private final Path file;
    private final String streamArn;

    StreamCheckpoints(Path directory, String streamArn) {
        this.file = directory.resolve("stream-positions-" + tableName(streamArn) + ".json");
        this.streamArn = streamArn;
    }

    Path file() {
        return file;
    }

    /** Subscription id to shard id to position, as last saved; empty when there is none for this stream. */
    Map<String, Map<String, Position>> load() {
        Map<String, Map<String, Position>> positions = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return positions;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!streamArn.equals(root.path("streamArn").asText())) {
                // The table was recreated: its new stream shares nothing with the old one.
                log("checkpoint " + file + " is for another stream; starting afresh");
                return positions;
            }
            for (Map.Entry<String, JsonNode> subscription : root.path("subscriptions").properties()) {
                Map<String, Position> shards = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> shard : subscription.getValue().properties()) {
                    JsonNode sequence = shard.getValue().get("sequenceNumber");
                    shards.put(shard.getKey(), new Position(sequence == null || sequence.isNull() ? null : sequence.asText(),
                            shard.getValue().path("finished").asBoolean(false)));
                }
                positions.put(subscription.getKey(), shards);
            }
            return positions;
        } catch (IOException e) {
            log("cannot read checkpoint " + file + " (" + e.getMessage() + "); starting afresh");
            return new LinkedHashMap<>();
        }
    }

    /** Writes {@code positions} (subscription id to shard id to position) atomically. */
    void save(Map<String, Map<String, Position>> positions) {
        ObjectNode root = JSON.createObjectNode();
        root.put("streamArn", streamArn);
        ObjectNode subscriptions = root.putObject("subscriptions");
        for (Map.Entry<String, Map<String, Position>> subscription : positions.entrySet()) {
            ObjectNode shards = subscriptions.putObject(subscription.getKey());
            new TreeMap<>(subscription.getValue()).forEach((shardId, position) -> shards.putObject(shardId)
                    .put("sequenceNumber", position.sequenceNumber())
                    .put("finished", position.finished()));
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, JSON.writeValueAsString(root));
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    private static String tableName(String streamArn) {
        int start = streamArn.indexOf(":table/") + ":table/".length();
        return streamArn.substring(start, streamArn.indexOf("/stream/"));
    }

    private static void log(String message) {
        StreamPoller.log(message);
    }
}
