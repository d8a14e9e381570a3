package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The tables, and the one lock that makes every request serializable: reads share it, writes (a single item, a
 * batch, a transaction over several tables) hold it alone, so a transaction is all or nothing and no reader sees
 * half of it. A committed change goes to the journal (when on disk) before memory, then to the table's stream.
 */
final class Database {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final ConcurrentSkipListMap<String, Table> tables = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final InstantSource clock;
    final String region;
    final Journal journal;
    final ProductionMode production;

    /** One committed change of an item; {@code newItem} null for a delete. */
    record Change(Table table, PrimaryKey key, Map<String, Value> oldItem, Map<String, Value> newItem, boolean byService) {
    }

    Database(InstantSource clock, String region, Journal journal, ProductionMode production) {
        this.clock = clock;
        this.region = region;
        this.journal = journal;
        this.production = production;
        if (journal != null) {
            replay(journal.replay());
            journal.rewrite(snapshot());
        }
    }

    <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    Table table(String name) {
        if (name == null) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        }
        Table table = tables.get(name);
        if (table == null) {
            throw Errors.resourceNotFound();
        }
        return table;
    }

    // ---- control plane changes (under the write lock) ----

    Table createTable(ObjectNode request) {
        Instant now = clock.instant();
        TableDefinition definition = TableDefinition.create(request, region, now);
        if (tables.containsKey(definition.name)) {
            throw new DynamoDbError("ResourceInUseException", 400, "Table already exists: " + definition.name);
        }
        journal(JSON.objectNode().put("op", "create").put("at", now.toEpochMilli()).set("request", request));
        Table table = new Table(definition);
        tables.put(definition.name, table);
        return table;
    }

    Table deleteTable(String name) {
        Table table = table(name);
        journal(JSON.objectNode().put("op", "delete").put("table", name));
        tables.remove(name);
        return table;
    }

    void setTimeToLive(Table table, String attribute, boolean enabled) {
        journal(JSON.objectNode().put("op", "ttl").put("table", table.definition.name).put("attribute", attribute).put("enabled", enabled));
        table.definition.ttlAttribute = attribute;
        table.definition.ttlEnabled = enabled;
    }

    void setStream(Table table, JsonNode specification) {
        Instant now = clock.instant();
        journal(JSON.objectNode().put("op", "stream").put("table", table.definition.name).put("at", now.toEpochMilli())
                .set("spec", specification));
        boolean wasEnabled = table.definition.streamViewType != null;
        table.definition.setStream(specification, now);
        if (table.definition.streamViewType != null && !wasEnabled) {
            table.stream.reset(table.definition);
        } else if (table.definition.streamViewType == null) {
            table.stream.viewType = null;
        }
    }

    void setBilling(Table table, String mode, long read, long write) {
        journal(JSON.objectNode().put("op", "billing").put("table", table.definition.name).put("mode", mode).put("read", read).put("write", write));
        table.definition.billingMode = mode;
        table.definition.readCapacity = read;
        table.definition.writeCapacity = write;
    }

    // ---- item changes ----

    /** Commits changes (one request's: all or none), under the write lock. */
    void commit(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (journal != null) {
            ArrayNode lines = JSON.arrayNode();
            for (Change change : changes) {
                ObjectNode line = lines.addObject().put("table", change.table().definition.name);
                line.set("key", Values.itemToJson(change.key().toItem(change.table().key())));
                if (change.newItem() != null) {
                    line.set("item", Values.itemToJson(change.newItem()));
                }
            }
            journal(JSON.objectNode().put("op", "write").set("changes", lines));
        }
        long now = clock.millis();
        for (Change change : changes) {
            apply(change, now);
        }
    }

    private void apply(Change change, long nowMillis) {
        Table table = change.table();
        table.write(change.key(), change.newItem());
        if (!sameItem(change.oldItem(), change.newItem())) {
            table.stream.append(change.key().toItem(table.key()), change.oldItem(), change.newItem(), change.byService(), nowMillis);
        }
        if (production != null) {
            production.recordVersion(new ProductionMode.ItemRef(table.definition.name, change.key()), change.oldItem(), change.newItem());
        }
    }

    static boolean sameItem(Map<String, Value> a, Map<String, Value> b) {
        return a == null ? b == null : a.equals(b);
    }

    private void journal(JsonNode record) {
        if (journal != null) {
            journal.append(record);
        }
    }

    // ---- replay and snapshot ----

    private void replay(List<JsonNode> records) {
        for (JsonNode record : records) {
            switch (record.path("op").asText()) {
                case "create" -> {
                    TableDefinition definition = TableDefinition.create((ObjectNode) record.get("request"), region,
                            Instant.ofEpochMilli(record.path("at").asLong()));
                    tables.put(definition.name, new Table(definition));
                }
                case "delete" -> tables.remove(record.path("table").asText());
                case "ttl" -> {
                    TableDefinition definition = tables.get(record.path("table").asText()).definition;
                    definition.ttlAttribute = record.path("attribute").asText();
                    definition.ttlEnabled = record.path("enabled").asBoolean();
                }
                case "stream" -> {
                    Table table = tables.get(record.path("table").asText());
                    table.definition.setStream(record.get("spec"), Instant.ofEpochMilli(record.path("at").asLong()));
                    table.stream.reset(table.definition);
                }
                case "billing" -> {
                    TableDefinition definition = tables.get(record.path("table").asText()).definition;
                    definition.billingMode = record.path("mode").asText();
                    definition.readCapacity = record.path("read").asLong();
                    definition.writeCapacity = record.path("write").asLong();
                }
                case "write" -> {
                    for (JsonNode change : record.get("changes")) {
                        Table table = tables.get(change.path("table").asText());
                        PrimaryKey key = table.keyOf(Values.itemFromJson(change.get("key")));
                        table.write(key, change.has("item") ? Map.copyOf(Values.itemFromJson(change.get("item"))) : null);
                    }
                }
                default -> throw new IllegalStateException("unknown journal record: " + record);
            }
        }
    }

    private List<ObjectNode> snapshot() {
        List<ObjectNode> lines = new ArrayList<>();
        for (Table table : tables.values()) {
            TableDefinition definition = table.definition;
            ObjectNode request = definition.request.deepCopy();
            request.remove("StreamSpecification");
            lines.add(JSON.objectNode().put("op", "create").put("at", definition.created.toEpochMilli()).set("request", request));
            if (definition.streamCreated != null) {
                ObjectNode spec = JSON.objectNode().put("StreamEnabled", definition.streamViewType != null);
                if (definition.streamViewType != null) {
                    spec.put("StreamViewType", definition.streamViewType);
                }
                lines.add(JSON.objectNode().put("op", "stream").put("table", definition.name)
                        .put("at", definition.streamCreated.toEpochMilli()).set("spec", spec));
            }
            if (definition.ttlAttribute != null) {
                lines.add(JSON.objectNode().put("op", "ttl").put("table", definition.name).put("attribute", definition.ttlAttribute)
                        .put("enabled", definition.ttlEnabled));
            }
            lines.add(JSON.objectNode().put("op", "billing").put("table", definition.name).put("mode", definition.billingMode)
                    .put("read", definition.readCapacity).put("write", definition.writeCapacity));
            ArrayNode changes = JSON.arrayNode();
            for (Map<String, Value> item : table.allItems()) {
                changes.addObject().put("table", definition.name).set("key", Values.itemToJson(table.keyOf(item).toItem(table.key())));
                ((ObjectNode) changes.get(changes.size() - 1)).set("item", Values.itemToJson(item));
                if (changes.size() == 1000) {
                    lines.add((ObjectNode) JSON.objectNode().put("op", "write").set("changes", changes));
                    changes = JSON.arrayNode();
                }
            }
            if (!changes.isEmpty()) {
                lines.add((ObjectNode) JSON.objectNode().put("op", "write").set("changes", changes));
            }
        }
        return lines;
    }
}
