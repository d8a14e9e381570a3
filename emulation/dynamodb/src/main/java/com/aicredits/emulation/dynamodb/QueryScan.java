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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Query and Scan, on a table or a global secondary index: items read in key order (Query) or partition-hash order
 * (Scan), a page ending at {@code Limit} items read or at 1 MB read, whichever first, with its LastEvaluatedKey; the
 * filter applies after the read (it does not lower the read's cost nor its ScannedCount).
 */
final class QueryScan {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long PAGE_BYTES = 1024 * 1024;
    private static final Set<String> SELECTS = Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

    private final Database database;

    QueryScan(Database database) {
        this.database = database;
    }

    /** What a Query or Scan was asked, validated. */
    private record Read(Table table, Table.Index index, KeySchema key, Expressions.KeyCondition keyCondition,
                        Expressions.Condition filter, Expressions.Projection projection, String select, int limit, boolean forward,
                        boolean consistent, Map<String, Value> exclusiveStart, int segment, int totalSegments, String mode) {
    }

    private Read parse(JsonNode request, boolean query) {
        Table table = database.table(Requests.text(request, "TableName"));
        String indexName = Requests.text(request, "IndexName");
        Table.Index index = null;
        if (indexName != null) {
            table.definition.index(indexName);
            index = table.indexes.get(indexName);
        }
        KeySchema key = index == null ? table.key() : index.definition.key();
        Placeholders placeholders = Requests.placeholders(request);
        Expressions.KeyCondition keyCondition = null;
        if (query) {
            String text = Requests.text(request, "KeyConditionExpression");
            if (text == null) {
                throw DynamoDbError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
            }
            if (text.isBlank()) {
                throw DynamoDbError.validation("Invalid KeyConditionExpression: The expression can not be empty;");
            }
            keyCondition = Expressions.keyCondition(text, placeholders, key.hashName(), key.rangeName());
            if (!keyCondition.partitionKey().type().equals(key.hashType())) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
            }
        }
        Expressions.Condition filter = Requests.condition(request, "FilterExpression", placeholders);
        Expressions.Projection projection = Requests.projection(request, placeholders);
        Requests.placeholdersNeedExpressions(request, query || filter != null || projection != null);
        Requests.checkAllUsed(placeholders);
        String select = Requests.enumeration(request, "Select", projection != null ? "SPECIFIC_ATTRIBUTES"
                : index != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES", SELECTS, null);
        if (projection != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
            throw DynamoDbError.validation("Cannot specify the ProjectionExpression when choosing to get " + select);
        }
        if (select.equals("SPECIFIC_ATTRIBUTES") && projection == null) {
            throw DynamoDbError.validation("SPECIFIC_ATTRIBUTES requires either AttributesToGet or ProjectionExpression");
        }
        if (select.equals("ALL_PROJECTED_ATTRIBUTES") && index == null) {
            throw DynamoDbError.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        if (select.equals("ALL_ATTRIBUTES") && index != null && !index.definition.projectionType().equals("ALL")) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
                    + "secondary index " + index.definition.name() + " because its projection type is not ALL");
        }
        int limit = Integer.MAX_VALUE;
        if (request.has("Limit")) {
            limit = request.get("Limit").asInt();
            if (limit < 1) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + limit
                        + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
            }
        }
        boolean consistent = request.path("ConsistentRead").asBoolean(false);
        if (consistent && index != null) {
            throw DynamoDbError.validation("Consistent reads are not supported on global secondary indexes");
        }
        Map<String, Value> start = null;
        if (request.hasNonNull("ExclusiveStartKey")) {
            start = Values.itemFromJson(request.get("ExclusiveStartKey"));
            checkStartKey(table, index, start);
        }
        int segment = 0;
        int totalSegments = 1;
        if (!query && (request.has("Segment") || request.has("TotalSegments"))) {
            if (!request.has("Segment") || !request.has("TotalSegments")) {
                throw DynamoDbError.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
            }
            segment = request.get("Segment").asInt();
            totalSegments = request.get("TotalSegments").asInt();
            if (totalSegments < 1 || totalSegments > 1_000_000) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + totalSegments
                        + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000");
            }
            if (segment < 0 || segment >= totalSegments) {
                throw DynamoDbError.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                        + segment + " is not less than TotalSegments: " + totalSegments);
            }
        }
        return new Read(table, index, key, keyCondition, filter, projection, select, limit,
                request.path("ScanIndexForward").asBoolean(true), consistent, start, segment, totalSegments, Capacity.mode(request));
    }

    private static void checkStartKey(Table table, Table.Index index, Map<String, Value> start) {
        List<KeySchema> schemas = index == null ? List.of(table.key()) : List.of(table.key(), index.definition.key());
        int expected = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (KeySchema schema : schemas) {
            names.add(schema.hashName());
            if (schema.hasRange()) {
                names.add(schema.rangeName());
            }
            if (!schema.coveredBy(start)) {
                throw DynamoDbError.validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
        }
        expected = names.size();
        if (start.size() != expected) {
            throw DynamoDbError.validation("The provided starting key is invalid: The provided key element does not match the schema");
        }
    }

    JsonNode query(JsonNode request) {
        Read read = parse(request, true);
        return execute(read, true);
    }

    JsonNode scan(JsonNode request) {
        Read read = parse(request, false);
        return execute(read, false);
    }

    /** The items in the order the read visits them: one partition (Query) or every partition of the segment (Scan). */
    private static Iterator<Map<String, Value>> items(Read read, boolean query) {
        Map<String, Value> start = read.exclusiveStart();
        if (read.index() == null) {
            NavigableMap<Value, java.util.TreeMap<Value, Map<String, Value>>> partitions = read.table().partitions;
            Value startRange = start == null ? null : read.key().hasRange() ? start.get(read.key().rangeName()) : PrimaryKey.NO_RANGE;
            if (query) {
                java.util.TreeMap<Value, Map<String, Value>> partition = partitions.get(read.keyCondition().partitionKey());
                if (partition == null) {
                    return java.util.Collections.emptyIterator();
                }
                NavigableMap<Value, Map<String, Value>> view = read.forward() ? partition : partition.descendingMap();
                if (startRange != null) {
                    view = view.tailMap(startRange, false);
                }
                return view.values().iterator();
            }
            return scanIterator(partitions, start == null ? null : start.get(read.key().hashName()), startRange, read);
        }
        NavigableMap<Value, java.util.TreeMap<Table.IndexEntry, Map<String, Value>>> partitions = read.index().partitions;
        Table.IndexEntry startEntry = start == null ? null : read.index().entry(start);
        if (query) {
            java.util.TreeMap<Table.IndexEntry, Map<String, Value>> partition = partitions.get(read.keyCondition().partitionKey());
            if (partition == null) {
                return java.util.Collections.emptyIterator();
            }
            NavigableMap<Table.IndexEntry, Map<String, Value>> view = read.forward() ? partition : partition.descendingMap();
            if (startEntry != null) {
                view = view.tailMap(startEntry, false);
            }
            return view.values().iterator();
        }
        return scanIterator(partitions, start == null ? null : start.get(read.key().hashName()), startEntry, read);
    }

    private static <K> Iterator<Map<String, Value>> scanIterator(NavigableMap<Value, java.util.TreeMap<K, Map<String, Value>>> partitions,
            Value startHash, K startKey, Read read) {
        NavigableMap<Value, java.util.TreeMap<K, Map<String, Value>>> view = startHash == null ? partitions : partitions.tailMap(startHash, true);
        Iterator<Map.Entry<Value, java.util.TreeMap<K, Map<String, Value>>>> outer = view.entrySet().iterator();
        return new Iterator<>() {
            Iterator<Map<String, Value>> inner = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!inner.hasNext() && outer.hasNext()) {
                    Map.Entry<Value, java.util.TreeMap<K, Map<String, Value>>> partition = outer.next();
                    if (read.totalSegments() > 1 && PrimaryKey.segment(partition.getKey(), read.totalSegments()) != read.segment()) {
                        continue;
                    }
                    NavigableMap<K, Map<String, Value>> items = partition.getValue();
                    if (startHash != null && partition.getKey().equals(startHash)) {
                        items = items.tailMap(startKey, false);
                    }
                    inner = items.values().iterator();
                }
                return inner.hasNext();
            }

            @Override
            public Map<String, Value> next() {
                hasNext();
                return inner.next();
            }
        };
    }

    private JsonNode execute(Read read, boolean query) {
        String tableName = read.table().definition.name;
        boolean eventual = !read.consistent();
        long staleTime = eventual && database.production != null ? database.production.staleReadTime() : 0;
        record Page(List<Map<String, Value>> items, int scanned, long bytes, Map<String, Value> lastKey) {
        }
        Page page = database.read(() -> {
            Table table = database.table(tableName);
            Table.Index index = read.index() == null ? null : table.indexes.get(read.index().definition.name());
            Read current = new Read(table, index, read.key(), read.keyCondition(), read.filter(), read.projection(), read.select(),
                    read.limit(), read.forward(), read.consistent(), read.exclusiveStart(), read.segment(), read.totalSegments(), read.mode());
            Iterator<Map<String, Value>> iterator = items(current, query);
            List<Map<String, Value>> matched = new ArrayList<>();
            int scanned = 0;
            long bytes = 0;
            Map<String, Value> last = null;
            boolean more = false;
            while (iterator.hasNext()) {
                Map<String, Value> stored = iterator.next();
                if (query && read.keyCondition().sortKey().isPresent()) {
                    Value range = stored.get(read.key().rangeName());
                    if (!read.keyCondition().sortKey().get().test(range)) {
                        continue;
                    }
                }
                Map<String, Value> item = stored;
                if (staleTime != 0) {
                    item = database.production.asOf(new ProductionMode.ItemRef(tableName, table.keyOf(stored)), stored, staleTime);
                    if (item == null || index != null && !index.definition.key().coveredBy(item)) {
                        continue;
                    }
                }
                Map<String, Value> visible = index == null ? item : index.definition.project(item, table.key());
                long size = Values.itemSize(visible);
                if (scanned > 0 && bytes + size > PAGE_BYTES) {
                    more = true;
                    break;
                }
                scanned++;
                bytes += size;
                last = stored;
                if (read.filter() == null || read.filter().test(visible)) {
                    matched.add(visible);
                }
                if (scanned >= read.limit()) {
                    more = true;
                    break;
                }
            }
            Map<String, Value> lastKey = null;
            if (more && last != null) {
                lastKey = new LinkedHashMap<>(table.keyOf(last).toItem(table.key()));
                if (index != null) {
                    lastKey.putAll(index.entry(last).range() instanceof Value.Null
                            ? Map.of(index.definition.key().hashName(), last.get(index.definition.key().hashName()))
                            : Map.of(index.definition.key().hashName(), last.get(index.definition.key().hashName()),
                                    index.definition.key().rangeName(), last.get(index.definition.key().rangeName())));
                }
            }
            return new Page(matched, scanned, bytes, lastKey);
        });
        double units = Capacity.readUnits(page.bytes(), read.consistent());
        if (query && database.production != null) {
            // a Query on an index reads the index's partition, not the table's
            String index = read.index() == null ? null : read.index().definition.name();
            ProductionMode.Partition partition = new ProductionMode.Partition(tableName, index, read.keyCondition().partitionKey());
            if (!database.production.tryConsume(List.of(new ProductionMode.Charge(partition, units)), false).isEmpty()) {
                throw index == null ? ProductionMode.throughputExceeded()
                        : ProductionMode.indexThroughputExceeded(ItemOperations.indexArn(read.table(), index), false);
            }
        }
        ObjectNode out = JSON.objectNode();
        if (!read.select().equals("COUNT")) {
            ArrayNode items = out.putArray("Items");
            for (Map<String, Value> item : page.items()) {
                items.add(Values.itemToJson(read.projection() == null ? item : read.projection().apply(item)));
            }
        }
        out.put("Count", page.items().size());
        out.put("ScannedCount", page.scanned());
        if (page.lastKey() != null) {
            out.set("LastEvaluatedKey", Values.itemToJson(page.lastKey()));
        }
        if (!read.mode().equals("NONE")) {
            Capacity capacity = new Capacity(tableName);
            if (read.index() == null) {
                capacity.addTable(units);
            } else {
                capacity.addIndex(read.index().definition.name(), units);
            }
            out.set("ConsumedCapacity", capacity.toJson(read.mode()));
        }
        return out;
    }
}
