package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.expression.Expressions;
import com.aicredits.emulation.dynamodb.expression.Placeholders;
import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** PutItem, GetItem, UpdateItem, DeleteItem, BatchGetItem and BatchWriteItem. */
final class ItemOperations {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> PUT_RETURN_VALUES = Set.of("NONE", "ALL_OLD");
    private static final Set<String> UPDATE_RETURN_VALUES = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");

    private final Database database;

    ItemOperations(Database database) {
        this.database = database;
    }

    static Map<String, Value> orEmpty(Map<String, Value> item) {
        return item == null ? Map.of() : item;
    }

    /** One index write a table write causes: the index, the partition key value it writes under, its units. */
    record IndexWrite(String index, Value hash, double units) {
    }

    /**
     * The index writes of changing {@code oldItem} into {@code newItem}, by the Developer Guide's rules: an entry
     * put or deleted costs 1 unit per KB of its projection; an entry whose key moves, a delete and a put (each
     * under its own partition key value); an entry changed in place, the larger of its two versions; nothing when
     * the projection is unchanged or the item is in neither version of the index (sparse).
     */
    static List<IndexWrite> indexWrites(Table table, Map<String, Value> oldItem, Map<String, Value> newItem) {
        List<IndexWrite> writes = new ArrayList<>();
        for (Table.Index index : table.indexes.values()) {
            IndexDefinition definition = index.definition;
            KeySchema key = definition.key();
            boolean wasIn = oldItem != null && key.coveredBy(oldItem);
            boolean isIn = newItem != null && key.coveredBy(newItem);
            if (!wasIn && !isIn) {
                continue;
            }
            Map<String, Value> before = wasIn ? definition.project(oldItem, table.key()) : null;
            Map<String, Value> after = isIn ? definition.project(newItem, table.key()) : null;
            String name = definition.name();
            if (!wasIn) {
                writes.add(new IndexWrite(name, newItem.get(key.hashName()), Capacity.writeUnits(Values.itemSize(after))));
            } else if (!isIn) {
                writes.add(new IndexWrite(name, oldItem.get(key.hashName()), Capacity.writeUnits(Values.itemSize(before))));
            } else if (!Objects.equals(oldItem.get(key.hashName()), newItem.get(key.hashName()))
                    || key.hasRange() && !Objects.equals(oldItem.get(key.rangeName()), newItem.get(key.rangeName()))) {
                writes.add(new IndexWrite(name, oldItem.get(key.hashName()), Capacity.writeUnits(Values.itemSize(before))));
                writes.add(new IndexWrite(name, newItem.get(key.hashName()), Capacity.writeUnits(Values.itemSize(after))));
            } else if (!before.equals(after)) {
                writes.add(new IndexWrite(name, newItem.get(key.hashName()),
                        Capacity.writeUnits(Math.max(Values.itemSize(before), Values.itemSize(after)))));
            }
        }
        return writes;
    }

    /** Adds the index writes of changing {@code oldItem} into {@code newItem} to {@code capacity}. */
    static void indexWrites(Table table, Map<String, Value> oldItem, Map<String, Value> newItem, Capacity capacity) {
        indexWrites(table, oldItem, newItem).forEach(write -> capacity.addIndex(write.index(), write.units()));
    }

    /** What those index writes debit from the index partitions (never doubled, even in a transaction). */
    static List<ProductionMode.Charge> indexCharges(Table table, Map<String, Value> oldItem, Map<String, Value> newItem) {
        return indexWrites(table, oldItem, newItem).stream()
                .map(write -> new ProductionMode.Charge(new ProductionMode.Partition(table.definition.name, write.index(), write.hash()),
                        write.units()))
                .toList();
    }

    static String indexArn(Table table, String index) {
        return table.definition.arn() + "/index/" + index;
    }

    /** A single write's table and index units; {@code factor} 2 in a transaction (the index writes are not doubled). */
    static void writeCapacity(Table table, Map<String, Value> oldItem, Map<String, Value> newItem, Capacity capacity, double factor) {
        long size = Math.max(oldItem == null ? 0 : Values.itemSize(oldItem), newItem == null ? 0 : Values.itemSize(newItem));
        capacity.addTable(factor * Capacity.writeUnits(size));
        indexWrites(table, oldItem, newItem, capacity);
    }

    private static void putCapacity(ObjectNode response, String mode, Capacity capacity) {
        if (!mode.equals("NONE")) {
            response.set("ConsumedCapacity", capacity.toJson(mode));
        }
    }

    /**
     * One single-item write as production plays it: in flight from here (a transaction on the item conflicts with it),
     * the partition charged {@code units}, {@code write} under the write lock (which charges the index partitions,
     * {@link #chargeIndexes}), and its answer perhaps lost.
     */
    private ObjectNode singleWrite(Table table, PrimaryKey key, List<ProductionMode.Charge> base,
                                   java.util.function.Supplier<ObjectNode> write) {
        ProductionMode.Ticket ticket = enterSingleWrite(table, key);
        try {
            if (database.production != null) {
                database.production.consume(base.getFirst().partition(), base.getFirst().units(), true);
            }
            ObjectNode response = database.write(write);
            maybeLoseResponse();
            return response;
        } finally {
            close(ticket);
        }
    }

    private ProductionMode.Ticket enterSingleWrite(Table table, PrimaryKey key) {
        return database.production == null ? null
                : database.production.enterSingleWrite(new ProductionMode.ItemRef(table.definition.name, key));
    }

    /** The charge of a write of {@code units} on the table partition of {@code key}. */
    private static List<ProductionMode.Charge> baseCharge(Table table, PrimaryKey key, double units) {
        return List.of(new ProductionMode.Charge(ProductionMode.Partition.ofTable(table.definition.name, key.hash()), units));
    }

    /**
     * Under the write lock, before a single write commits: charges the index partitions its index writes touch;
     * when one is empty, gives {@code base} back to the table partition (nothing is written) and throws the
     * index's throttle (GSI back-pressure).
     */
    private void chargeIndexes(Table table, Map<String, Value> oldItem, Map<String, Value> newItem, List<ProductionMode.Charge> base) {
        if (database.production == null) {
            return;
        }
        List<ProductionMode.Partition> empty = database.production.tryConsume(indexCharges(table, oldItem, newItem), true);
        if (!empty.isEmpty()) {
            database.production.refund(base, true);
            throw ProductionMode.indexThroughputExceeded(indexArn(table, empty.getFirst().index()), true);
        }
    }

    private void consumeRead(Table table, Value hash, double units) {
        if (database.production != null) {
            database.production.consume(ProductionMode.Partition.ofTable(table.definition.name, hash), units, false);
        }
    }

    private void maybeLoseResponse() {
        if (database.production != null && database.production.loseResponse()) {
            throw Errors.internal();
        }
    }

    private static void close(ProductionMode.Ticket ticket) {
        if (ticket != null) {
            ticket.close();
        }
    }

    // ---- PutItem and DeleteItem ----

    JsonNode putItem(JsonNode request) {
        Table table = database.table(Requests.text(request, "TableName"));
        Map<String, Value> item = Requests.item(table, request.get("Item"));
        return replaceWhole(request, table, table.keyOf(item), item, Capacity.writeUnits(Values.itemSize(item)));
    }

    JsonNode deleteItem(JsonNode request) {
        Table table = database.table(Requests.text(request, "TableName"));
        return replaceWhole(request, table, Requests.key(table, request.get("Key")), null, 1);
    }

    /**
     * PutItem ({@code item} the new item) or DeleteItem ({@code item} null): the whole item written or removed under
     * an optional condition, the old one returned for ALL_OLD. {@code units} is what the partition's throughput is
     * charged before the write (the item's size for a put; a delete's size is known only inside).
     */
    private JsonNode replaceWhole(JsonNode request, Table table, PrimaryKey key, Map<String, Value> item, double units) {
        Placeholders placeholders = Requests.placeholders(request);
        Expressions.Condition condition = Requests.condition(request, "ConditionExpression", placeholders);
        Requests.placeholdersNeedExpressions(request, condition != null);
        Requests.checkAllUsed(placeholders);
        String returnValues = Requests.enumeration(request, "ReturnValues", "NONE", UPDATE_RETURN_VALUES, null);
        if (!PUT_RETURN_VALUES.contains(returnValues)) {
            throw DynamoDbError.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        String onFailure = Requests.returnValuesOnFailure(request);
        String mode = Capacity.mode(request);
        List<ProductionMode.Charge> base = baseCharge(table, key, units);
        return singleWrite(table, key, base, () -> {
            Table current = database.table(table.definition.name);
            Map<String, Value> old = current.get(key);
            if (condition != null && !condition.test(orEmpty(old))) {
                throw Errors.conditionalCheckFailed(onFailure.equals("ALL_OLD") && old != null ? Values.itemToJson(old) : null);
            }
            chargeIndexes(current, old, item, base);
            Capacity capacity = new Capacity(current.definition.name);
            writeCapacity(current, old, item, capacity, 1);
            if (item != null || old != null) {
                database.commit(List.of(new Database.Change(current, key, old, item, false)));
            }
            ObjectNode out = JSON.objectNode();
            if (returnValues.equals("ALL_OLD") && old != null) {
                out.set("Attributes", Values.itemToJson(old));
            }
            putCapacity(out, mode, capacity);
            return out;
        });
    }

    // ---- UpdateItem ----

    /** The item an update makes of {@code old} (absent: the key alone), checked as a stored item. */
    static Map<String, Value> updated(Table table, PrimaryKey key, Map<String, Value> old, Expressions.Update update) {
        Map<String, Value> base = old != null ? old : key.toItem(table.key());
        Map<String, Value> result = update == null ? new LinkedHashMap<>(base) : update.apply(base);
        Requests.checkItem(table, result, "Item size to update has exceeded the maximum allowed size");
        return Collections.unmodifiableMap(new LinkedHashMap<>(result));
    }

    JsonNode updateItem(JsonNode request) {
        Table table = database.table(Requests.text(request, "TableName"));
        PrimaryKey key = Requests.key(table, request.get("Key"));
        Placeholders placeholders = Requests.placeholders(request);
        String updateText = Requests.text(request, "UpdateExpression");
        if (updateText != null && updateText.isBlank()) {
            throw DynamoDbError.validation("Invalid UpdateExpression: The expression can not be empty;");
        }
        Expressions.Update update = updateText == null ? null : Expressions.update(updateText, placeholders);
        Expressions.Condition condition = Requests.condition(request, "ConditionExpression", placeholders);
        Requests.placeholdersNeedExpressions(request, condition != null || update != null);
        if (update != null) {
            Set<String> keyAttributes = new HashSet<>();
            keyAttributes.add(table.key().hashName());
            if (table.key().hasRange()) {
                keyAttributes.add(table.key().rangeName());
            }
            update.rejectKeyUpdates(keyAttributes);
        }
        Requests.checkAllUsed(placeholders);
        String returnValues = Requests.enumeration(request, "ReturnValues", "NONE", UPDATE_RETURN_VALUES, null);
        String onFailure = Requests.returnValuesOnFailure(request);
        String mode = Capacity.mode(request);
        List<ProductionMode.Charge> base = baseCharge(table, key, 1);
        return singleWrite(table, key, base, () -> {
            Table current = database.table(table.definition.name);
            Map<String, Value> old = current.get(key);
            if (condition != null && !condition.test(orEmpty(old))) {
                throw Errors.conditionalCheckFailed(onFailure.equals("ALL_OLD") && old != null ? Values.itemToJson(old) : null);
            }
            Map<String, Value> item = updated(current, key, old, update);
            chargeIndexes(current, old, item, base);
            Capacity capacity = new Capacity(current.definition.name);
            writeCapacity(current, old, item, capacity, 1);
            database.commit(List.of(new Database.Change(current, key, old, item, false)));
            ObjectNode out = JSON.objectNode();
            Map<String, Value> attributes = switch (returnValues) {
                case "ALL_OLD" -> old;
                case "ALL_NEW" -> item;
                case "UPDATED_OLD" -> changed(current, old, item, true);
                case "UPDATED_NEW" -> changed(current, old, item, false);
                default -> null;
            };
            if (attributes != null && !attributes.isEmpty()) {
                out.set("Attributes", Values.itemToJson(attributes));
            }
            putCapacity(out, mode, capacity);
            return out;
        });
    }

    /** UPDATED_OLD / UPDATED_NEW: the top-level non-key attributes the update changed, as they were or are. */
    private static Map<String, Value> changed(Table table, Map<String, Value> old, Map<String, Value> item, boolean before) {
        Map<String, Value> oldItem = orEmpty(old);
        Map<String, Value> result = new LinkedHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>(before ? oldItem.keySet() : item.keySet());
        for (String name : names) {
            if (table.key().isKeyAttribute(name) || Objects.equals(oldItem.get(name), item.get(name))) {
                continue;
            }
            Value value = before ? oldItem.get(name) : item.get(name);
            if (value != null) {
                result.put(name, value);
            }
        }
        return result;
    }

    // ---- GetItem ----

    JsonNode getItem(JsonNode request) {
        Table table = database.table(Requests.text(request, "TableName"));
        PrimaryKey key = Requests.key(table, request.get("Key"));
        Placeholders placeholders = Requests.placeholders(request);
        Expressions.Projection projection = Requests.projection(request, placeholders);
        Requests.placeholdersNeedExpressions(request, projection != null);
        Requests.checkAllUsed(placeholders);
        boolean consistent = request.path("ConsistentRead").asBoolean(false);
        String mode = Capacity.mode(request);
        Map<String, Value> item = database.read(() -> database.table(table.definition.name).get(key));
        if (!consistent && database.production != null) {
            long time = database.production.staleReadTime();
            item = database.production.asOf(new ProductionMode.ItemRef(table.definition.name, key), item, time);
        }
        double units = Capacity.readUnits(item == null ? 0 : Values.itemSize(item), consistent);
        consumeRead(table, key.hash(), units);
        ObjectNode out = JSON.objectNode();
        if (item != null) {
            out.set("Item", Values.itemToJson(projection == null ? item : projection.apply(item)));
        }
        Capacity capacity = new Capacity(table.definition.name);
        capacity.addTable(units);
        putCapacity(out, mode, capacity);
        return out;
    }

    // ---- BatchGetItem ----

    private record BatchGet(Table table, List<PrimaryKey> keys, Expressions.Projection projection, boolean consistent, JsonNode request) {
    }

    JsonNode batchGetItem(JsonNode request) {
        JsonNode requestItems = request.get("RequestItems");
        if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1");
        }
        String mode = Capacity.mode(request);
        List<BatchGet> gets = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            Table table = database.table(entry.getKey());
            JsonNode body = entry.getValue();
            JsonNode keys = body.path("Keys");
            if (!keys.isArray() || keys.isEmpty()) {
                throw DynamoDbError.validation("1 validation error detected: Value '[]' at 'requestItems." + entry.getKey()
                        + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }
            List<PrimaryKey> parsed = new ArrayList<>();
            Set<PrimaryKey> seen = new HashSet<>();
            for (JsonNode key : keys) {
                PrimaryKey primaryKey = Requests.key(table, key);
                if (!seen.add(primaryKey)) {
                    throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                }
                parsed.add(primaryKey);
            }
            total += parsed.size();
            Placeholders placeholders = Requests.placeholders(body);
            Expressions.Projection projection = Requests.projection(body, placeholders);
            Requests.placeholdersNeedExpressions(body, projection != null);
            Requests.checkAllUsed(placeholders);
            gets.add(new BatchGet(table, parsed, projection, body.path("ConsistentRead").asBoolean(false), body));
        }
        if (total > 100) {
            throw DynamoDbError.validation("Too many items requested for the BatchGetItem call");
        }
        long staleTime = database.production == null || gets.stream().allMatch(BatchGet::consistent) ? 0 : database.production.staleReadTime();
        List<List<Map<String, Value>>> found = database.read(() -> {
            List<List<Map<String, Value>>> items = new ArrayList<>();
            for (BatchGet get : gets) {
                Table table = database.table(get.table().definition.name);
                List<Map<String, Value>> list = new ArrayList<>();
                get.keys().forEach(key -> list.add(table.get(key)));
                items.add(list);
            }
            return items;
        });
        ObjectNode out = JSON.objectNode();
        ObjectNode responses = out.putObject("Responses");
        ObjectNode unprocessed = out.putObject("UnprocessedKeys");
        ArrayNode capacities = JSON.arrayNode();
        long responseSize = 0;
        for (int t = 0; t < gets.size(); t++) {
            BatchGet get = gets.get(t);
            String name = get.table().definition.name;
            ArrayNode items = responses.putArray(name);
            Capacity capacity = new Capacity(name);
            ArrayNode leftKeys = null;
            for (int k = 0; k < get.keys().size(); k++) {
                PrimaryKey key = get.keys().get(k);
                Map<String, Value> item = found.get(t).get(k);
                if (!get.consistent() && database.production != null) {
                    item = database.production.asOf(new ProductionMode.ItemRef(name, key), item, staleTime);
                }
                long size = item == null ? 0 : Values.itemSize(item);
                if (responseSize + size > 16L * 1024 * 1024) {
                    if (leftKeys == null) {
                        ObjectNode left = get.request().deepCopy();
                        leftKeys = left.putArray("Keys");
                        unprocessed.set(name, left);
                    }
                    leftKeys.add(Values.itemToJson(key.toItem(get.table().key())));
                    continue;
                }
                responseSize += size;
                capacity.addTable(Capacity.readUnits(size, get.consistent()));
                if (item != null) {
                    items.add(Values.itemToJson(get.projection() == null ? item : get.projection().apply(item)));
                }
            }
            capacities.add(capacity.toJson(mode));
        }
        if (!mode.equals("NONE")) {
            out.set("ConsumedCapacity", capacities);
        }
        return out;
    }

    // ---- BatchWriteItem ----

    private static void unprocessed(ObjectNode unprocessed, BatchWrite write) {
        String name = write.table().definition.name;
        ArrayNode list = unprocessed.has(name) ? (ArrayNode) unprocessed.get(name) : unprocessed.putArray(name);
        list.add(write.request());
    }

    private record BatchWrite(Table table, PrimaryKey key, Map<String, Value> item, JsonNode request) {
    }

    JsonNode batchWriteItem(JsonNode request) {
        JsonNode requestItems = request.get("RequestItems");
        if (requestItems == null || !requestItems.isObject() || requestItems.isEmpty()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1");
        }
        String mode = Capacity.mode(request);
        List<BatchWrite> writes = new ArrayList<>();
        Set<ProductionMode.ItemRef> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            Table table = database.table(entry.getKey());
            if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
                throw DynamoDbError.validation("1 validation error detected: Value '[]' at 'requestItems' failed to satisfy constraint: "
                        + "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
            }
            for (JsonNode write : entry.getValue()) {
                boolean put = write.has("PutRequest");
                boolean delete = write.has("DeleteRequest");
                if (put == delete) {
                    throw DynamoDbError.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                Map<String, Value> item = put ? Requests.item(table, write.get("PutRequest").get("Item")) : null;
                PrimaryKey key = put ? table.keyOf(item) : Requests.key(table, write.get("DeleteRequest").get("Key"));
                if (!seen.add(new ProductionMode.ItemRef(table.definition.name, key))) {
                    throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                }
                writes.add(new BatchWrite(table, key, item, write));
            }
        }
        if (writes.size() > 25) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + requestItems
                    + "' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                    + "Member must have length greater than or equal to 1]");
        }
        List<BatchWrite> accepted = new ArrayList<>();
        Map<BatchWrite, List<ProductionMode.Charge>> charged = new java.util.IdentityHashMap<>();
        ObjectNode out = JSON.objectNode();
        ObjectNode unprocessed = out.putObject("UnprocessedItems");
        for (BatchWrite write : writes) {
            try {
                List<ProductionMode.Charge> base = baseCharge(write.table(), write.key(),
                        write.item() == null ? 1 : Capacity.writeUnits(Values.itemSize(write.item())));
                if (database.production != null) {
                    database.production.consume(base.getFirst().partition(), base.getFirst().units(), true);
                }
                charged.put(write, base);
                accepted.add(write);
            } catch (DynamoDbError throttled) {
                unprocessed(unprocessed, write);
            }
        }
        if (accepted.isEmpty()) {
            throw ProductionMode.throughputExceeded();
        }
        Map<String, Capacity> capacities = database.write(() -> {
            Map<String, Capacity> byTable = new LinkedHashMap<>();
            List<Database.Change> changes = new ArrayList<>();
            DynamoDbError indexThrottle = null;
            for (BatchWrite write : accepted) {
                Table table = database.table(write.table().definition.name);
                Map<String, Value> old = table.get(write.key());
                if (database.production != null) {
                    List<ProductionMode.Partition> empty = database.production.tryConsume(indexCharges(table, old, write.item()), true);
                    if (!empty.isEmpty()) {
                        // GSI back-pressure: this item is not written and comes back, its table units given back
                        database.production.refund(charged.get(write), true);
                        unprocessed(unprocessed, write);
                        indexThrottle = ProductionMode.indexThroughputExceeded(indexArn(table, empty.getFirst().index()), true);
                        continue;
                    }
                }
                Capacity capacity = byTable.computeIfAbsent(table.definition.name, Capacity::new);
                writeCapacity(table, old, write.item(), capacity, 1);
                if (write.item() != null || old != null) {
                    changes.add(new Database.Change(table, write.key(), old, write.item(), false));
                }
            }
            if (byTable.isEmpty() && indexThrottle != null) {
                throw indexThrottle;
            }
            database.commit(changes);
            return byTable;
        });
        if (!mode.equals("NONE")) {
            ArrayNode consumed = out.putArray("ConsumedCapacity");
            capacities.values().forEach(capacity -> consumed.add(capacity.toJson(mode)));
        }
        return out;
    }
}
