package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.Alert;
import com.aicredits.domain.Balance;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Workspace;
import com.aicredits.json.Json;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.UsageStore;
import com.aicredits.port.WorkspaceStore;
import com.aicredits.service.Retries;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link UsageStore} on the table: a period's ledger newest first and an organization's workspaces from GSI1, the
 * balances by key. A ledger's cursor is the last sequence shown; a workspaces cursor is the query's last evaluated key;
 * both base64url-encoded, and checked before use.
 */
public final class DynamoDbUsageStore implements UsageStore {
    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbCreditStore credits;

    private final BatchGet batchGet;

    public DynamoDbUsageStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Retries.standard());
    }

    /** {@code retries}: how long a BatchGetItem's unprocessed keys are asked for again. */
    public DynamoDbUsageStore(DynamoDbClient dynamoDb, String tableName, Retries retries) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.credits = new DynamoDbCreditStore(dynamoDb, tableName, retries);
        this.batchGet = new BatchGet(dynamoDb, tableName, retries);
    }

    @Override
    public LedgerStore.LedgerView workspaceAndBalance(String workspaceId, Period period) {
        // Usage may lag the last debit by DynamoDB's eventual consistency (about a second), but a 404 is confirmed on a
        // consistent read: a workspace created a moment ago exists.
        LedgerStore.LedgerView view = credits.read(workspaceId, period, null, false);
        return view.workspace() != null ? view : credits.read(workspaceId, period, null, true);
    }

    /**
     * A period's ledger, newest first, from its {@value Keys#LEDGER_SHARDS} index partitions: each is read newest first
     * below the cursor and the answers merged. An index entry is one line (a record, a refund line) or a batch's ledger
     * page (consecutive lines, indexed at its last, whose records are then read by id). Lines are numbered without gaps,
     * so a page of {@code limit} takes about a quarter of it from each partition; a partition that had more to give
     * bounds the page at the first line of its last entry, so a page is never missing a line older than one it shows.
     * The cursor is the last sequence shown and, when that line's ledger page holds older lines still to show, the
     * page's last sequence (the partition holding it is read from there).
     */
    @Override
    public Page<String> executions(String workspaceId, Period period, int limit, String cursor) {
        LedgerCursor after = cursor == null ? null : decodeLedgerCursor(cursor, workspaceId, period);
        int perShard = Math.ceilDiv(limit, Keys.LEDGER_SHARDS) + 1;
        List<Line> lines = new ArrayList<>();
        long stop = Long.MIN_VALUE;
        for (int shard = 0; shard < Keys.LEDGER_SHARDS; shard++) {
            String partition = Keys.ledgerGsiPartition(workspaceId, period, shard);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(partition)));
            String condition = Keys.GSI1PK + " = :pk";
            if (after != null) {
                boolean openPage = after.pageEnd() != null && partition.equals(Keys.ledgerGsiPk(workspaceId, period, after.pageEnd()));
                values.put(":bound", AttributeValue.fromS(Keys.ledgerGsiSk(openPage ? after.pageEnd() : after.before())));
                condition += " AND " + Keys.GSI1SK + (openPage ? " <= :bound" : " < :bound");
            }
            QueryResponse response = dynamoDb.query(QueryRequest.builder().tableName(tableName).indexName(Keys.GSI1)
                    .keyConditionExpression(condition).expressionAttributeValues(values)
                    .scanIndexForward(false).limit(perShard).build());
            response.items().forEach(entry -> lines.addAll(Line.of(entry)));
            if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !response.items().isEmpty()) {
                Map<String, AttributeValue> last = response.items().getLast();
                stop = Math.max(stop, Line.firstSequence(last));
            }
        }
        lines.sort(Comparator.comparingLong(Line::sequence).reversed());
        List<Line> page = new ArrayList<>();
        boolean more = false;
        for (Line line : lines) {
            if (after != null && line.sequence() >= after.before()) {
                continue;
            }
            if (page.size() == limit || line.sequence() < stop) {
                more = true;
                break;
            }
            page.add(line);
        }
        more |= stop != Long.MIN_VALUE;
        String next = null;
        if (more && !page.isEmpty()) {
            Line last = page.getLast();
            next = encodeLedgerCursor(workspaceId, period, last.sequence(), last.pageFirst() < last.sequence() ? last.pageEnd() : null);
        }
        return new Page<>(bodies(workspaceId, page), next);
    }

    /**
     * The lines' bodies in their order: a line of a page is its record, read by id, eventually consistent as the index
     * is (a record the read missed, written a moment ago with its page, is read again consistently).
     */
    private List<String> bodies(String workspaceId, List<Line> lines) {
        List<String> ids = lines.stream().filter(line -> line.item() == null).map(Line::executionId).toList();
        Map<String, Map<String, AttributeValue>> records = new HashMap<>();
        readRecords(workspaceId, ids, false, records);
        readRecords(workspaceId, ids.stream().filter(id -> !records.containsKey(id)).toList(), true, records);
        return lines.stream().map(line -> {
            Map<String, AttributeValue> item = line.item() != null ? line.item() : records.get(line.executionId());
            if (item == null) {
                throw new IllegalStateException("the ledger page lists " + line.executionId() + ", which has no record");
            }
            return Items.currentBody(Items.storedRecord(item));
        }).toList();
    }

    private void readRecords(String workspaceId, List<String> ids, boolean consistent, Map<String, Map<String, AttributeValue>> into) {
        for (Map<String, AttributeValue> record : batchGet.items(ids.stream().map(id -> Keys.execution(workspaceId, id)).toList(), consistent)) {
            into.put(record.get(Keys.SK).s().substring(Keys.EXECUTION_SK_PREFIX.length()), record);
        }
    }

    /**
     * One line of the ledger: its own index entry ({@code item}), or a place on a ledger page ({@code executionId}, the
     * page's first and last sequences).
     */
    private record Line(long sequence, Map<String, AttributeValue> item, String executionId, long pageFirst, long pageEnd) {
        /** The sequence of an index entry's first line: the line's own, or its page's first. */
        static long firstSequence(Map<String, AttributeValue> entry) {
            return Items.isLedgerPage(entry) ? Items.firstSequence(entry) : DynamoDbUsageStore.sequence(entry);
        }

        static List<Line> of(Map<String, AttributeValue> entry) {
            long first = firstSequence(entry);
            if (!Items.isLedgerPage(entry)) {
                return List.of(new Line(first, entry, null, first, first));
            }
            List<String> ids = Items.executionIds(entry);
            long end = first + ids.size() - 1;
            List<Line> lines = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                lines.add(new Line(first + i, null, ids.get(i), first, end));
            }
            return lines;
        }
    }

    private static long sequence(Map<String, AttributeValue> ledgerLine) {
        return Long.parseLong(ledgerLine.get(Keys.GSI1SK).s());
    }

    /**
     * Where the next page of a ledger starts: below {@code before}; when line {@code before} - 1 sits inside a ledger
     * page, {@code pageEnd} is that page's last line (else null).
     */
    private record LedgerCursor(long before, Long pageEnd) {
    }

    private static String encodeLedgerCursor(String workspaceId, Period period, long before, Long pageEnd) {
        Map<String, Object> cursor = new LinkedHashMap<>();
        cursor.put("workspaceId", workspaceId);
        cursor.put("period", period.toString());
        cursor.put("before", before);
        if (pageEnd != null) {
            cursor.put("pageEnd", pageEnd);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** Where a cursor of this ledger points; anything else (another ledger's cursor included) is a 400. */
    private static LedgerCursor decodeLedgerCursor(String cursor, String workspaceId, Period period) {
        try {
            Map<String, Object> decoded = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), new TypeReference<Map<String, Object>>() {
            });
            if (decoded != null && (decoded.size() == 3 || decoded.size() == 4 && decoded.containsKey("pageEnd"))
                    && workspaceId.equals(decoded.get("workspaceId")) && period.toString().equals(decoded.get("period"))
                    && wholeNumber(decoded.get("before")) >= 1) {
                long before = wholeNumber(decoded.get("before"));
                if (decoded.size() == 3) {
                    return new LedgerCursor(before, null);
                }
                long pageEnd = wholeNumber(decoded.get("pageEnd"));
                if (pageEnd >= before && pageEnd < before + LedgerStore.MAX_TRANSACTION_ITEMS) {
                    return new LedgerCursor(before, pageEnd);
                }
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // answered below
        }
        throw invalidCursor();
    }

    /** A JSON integer's value; anything else is -1. */
    private static long wholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : -1;
    }

    @Override
    public Page<Workspace> workspacesOf(String organizationId, int limit, String cursor) {
        // A workspace item: its own key again as the index's sort key.
        Predicate<Map<String, String>> workspaceItem = key -> key.get(Keys.SK).equals(Keys.WORKSPACE_SK)
                && key.get(Keys.PK).equals(key.get(Keys.GSI1SK)) && key.get(Keys.PK).startsWith(Keys.workspacePk(""));
        QueryResponse response = dynamoDb.query(gsi1(Keys.organizationGsiPk(organizationId), Keys.workspacePk(""), limit, cursor,
                workspaceItem).build());
        return new Page<>(response.items().stream().map(Items::workspace).toList(), nextCursor(response));
    }

    @Override
    public Map<String, Balance> balances(List<String> workspaceIds, Period period) {
        Map<String, Balance> balances = new HashMap<>();
        List<Map<String, AttributeValue>> keys = workspaceIds.stream().map(id -> Keys.balance(id, period)).toList();
        for (Map<String, AttributeValue> item : batchGet.items(keys, false)) {
            Balance balance = Items.balance(item);
            balances.put(balance.workspaceId(), balance);
        }
        return balances;
    }

    @Override
    public WorkspaceStore.WorkspaceBalances balanceHistory(String workspaceId, List<Period> periods) {
        // Eventually consistent, as the other usage reads; a 404 is confirmed on a consistent read.
        WorkspaceStore.WorkspaceBalances view = credits.readBalances(workspaceId, periods, false);
        return view.workspace() != null ? view : credits.readBalances(workspaceId, periods, true);
    }

    @Override
    public Map<Period, List<Integer>> thresholdsFired(String workspaceId, Period from, Period to) {
        return thresholdsFiredOn(Keys.workspacePk(workspaceId), from, to);
    }

    /** A pool's markers are a workspace's items on the organization's partition. */
    @Override
    public Map<Period, List<Integer>> poolThresholdsFired(String organizationId, Period from, Period to) {
        return thresholdsFiredOn(Keys.organizationPk(organizationId), from, to);
    }

    @Override
    public OrganizationPools organizationPools(String organizationId, List<Period> periods) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(Keys.organization(organizationId));
        periods.forEach(period -> keys.add(Keys.poolBalance(organizationId, period)));
        Organization organization = null;
        Map<Period, PoolBalance> pools = new HashMap<>();
        // Eventually consistent, as the other usage reads.
        for (Map<String, AttributeValue> item : batchGet.items(keys, false)) {
            if (item.get(Keys.SK).s().equals(Keys.ORGANIZATION_SK)) {
                organization = Items.organization(item);
            } else {
                PoolBalance pool = Items.poolBalance(item);
                pools.put(pool.period(), pool);
            }
        }
        return new OrganizationPools(organization, pools);
    }

    private Map<Period, List<Integer>> thresholdsFiredOn(String partition, Period from, Period to) {
        // The markers sort by period (ALERT#<period>#...): one key range covers the months, the keys alone answer.
        String prefix = DynamoDbAlertStore.ALERT_SK_PREFIX;
        Map<Period, List<Integer>> fired = new HashMap<>();
        dynamoDb.queryPaginator(b -> b.tableName(tableName)
                        .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition),
                                ":from", AttributeValue.fromS(prefix + from + "#"), ":to", AttributeValue.fromS(prefix + to + "#~")))
                        .projectionExpression("SK"))
                .items().forEach(item -> {
                    String key = item.get(Keys.SK).s().substring(prefix.length());
                    Alert alert = Alert.fromKey(key.substring(key.indexOf('#') + 1));
                    if (alert.kind() == Alert.Kind.THRESHOLD) {
                        fired.computeIfAbsent(Period.parse(key.substring(0, key.indexOf('#'))), p -> new ArrayList<>()).add(alert.threshold());
                    }
                });
        return fired;
    }

    /**
     * A query of GSI1's {@code partition}; a cursor must name an item of that partition as the listing returns them
     * ({@code belongs}), else it is a 400: a forged key would only make DynamoDB refuse the query or start nowhere.
     */
    private QueryRequest.Builder gsi1(String partition, String sortKeyPrefix, int limit, String cursor,
                                      Predicate<Map<String, String>> belongs) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(partition)));
        String condition = Keys.GSI1PK + " = :pk";
        if (sortKeyPrefix != null) {
            values.put(":prefix", AttributeValue.fromS(sortKeyPrefix));
            condition += " AND begins_with(" + Keys.GSI1SK + ", :prefix)";
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(tableName).indexName(Keys.GSI1)
                .keyConditionExpression(condition).expressionAttributeValues(values).limit(limit);
        if (cursor != null) {
            Map<String, String> start = decode(cursor);
            if (!partition.equals(start.get(Keys.GSI1PK)) || !belongs.test(start)) {
                throw invalidCursor();
            }
            Map<String, AttributeValue> key = new HashMap<>();
            start.forEach((name, value) -> key.put(name, AttributeValue.fromS(value)));
            query.exclusiveStartKey(key);
        }
        return query;
    }

    private static String nextCursor(QueryResponse response) {
        if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
            return null;
        }
        Map<String, String> key = new LinkedHashMap<>();
        response.lastEvaluatedKey().forEach((name, value) -> key.put(name, value.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(key).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> decode(String cursor) {
        try {
            Map<String, String> key = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), new TypeReference<Map<String, String>>() {
            });
            if (key == null || key.size() != 4 || !key.keySet().containsAll(List.of(Keys.PK, Keys.SK, Keys.GSI1PK, Keys.GSI1SK))
                    || key.values().stream().anyMatch(v -> v == null || v.isEmpty())) {
                throw invalidCursor();
            }
            return key;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalidCursor();
        }
    }

    private static CreditsException invalidCursor() {
        return CreditsException.invalid("cursor", "cursor is not one this listing returned; start again without it");
    }
}
