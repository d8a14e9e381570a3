package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.json.LedgerBodies;
import com.aicredits.port.CreditStore;
import com.aicredits.service.Retries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** {@link CreditStore} on one DynamoDB table (see {@link Keys} for the item types). */
public final class DynamoDbCreditStore implements CreditStore {
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String NOT_EXISTS = "attribute_not_exists(" + Keys.PK + ")";
    private static final ReturnValuesOnConditionCheckFailure ALL_OLD = ReturnValuesOnConditionCheckFailure.ALL_OLD;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    private final BatchGet batchGet;

    public DynamoDbCreditStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Retries.standard());
    }

    /** {@code retries}: how long a BatchGetItem's unprocessed keys are asked for again. */
    public DynamoDbCreditStore(DynamoDbClient dynamoDb, String tableName, Retries retries) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.batchGet = new BatchGet(dynamoDb, tableName, retries);
    }

    @Override
    public Optional<Workspace> findWorkspace(String workspaceId, boolean consistent) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(Keys.workspace(workspaceId))
                .consistentRead(consistent)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.workspace(item));
    }

    @Override
    public LedgerView read(String workspaceId, Period period, String executionId, boolean consistent) {
        BatchView view = readAll(workspaceId, List.of(period), executionId == null ? List.of() : List.of(executionId), consistent);
        return new LedgerView(view.workspace(), view.balances().get(period),
                executionId == null ? null : view.records().get(executionId));
    }

    /** The workspace, the balances and the records asked for, in one BatchGetItem (100 keys a call). */
    @Override
    public BatchView readAll(String workspaceId, List<Period> periods, List<String> executionIds, boolean consistent) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(List.of(Keys.workspace(workspaceId)));
        periods.forEach(period -> keys.add(Keys.balance(workspaceId, period)));
        executionIds.forEach(id -> keys.add(Keys.execution(workspaceId, id)));
        Workspace workspace = null;
        Map<Period, Balance> balances = new HashMap<>();
        Map<String, StoredRecord> records = new HashMap<>();
        for (Map<String, AttributeValue> item : batchGet.items(keys, consistent)) {
            String sortKey = item.get(Keys.SK).s();
            if (sortKey.equals(Keys.WORKSPACE_SK)) {
                workspace = Items.workspace(item);
            } else if (sortKey.startsWith(Keys.BALANCE_SK_PREFIX)) {
                Balance balance = Items.balance(item);
                balances.put(balance.period(), balance);
            } else {
                records.put(sortKey.substring(Keys.EXECUTION_SK_PREFIX.length()), Items.storedRecord(item));
            }
        }
        return new BatchView(workspace, balances, records);
    }

    /** The records first (in the batch's order), then each period's balance, then the workspace check if one opens. */
    @Override
    public BatchResult appendAll(LedgerBatch batch) {
        int writes = batch.writes();
        if (writes > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("a transaction takes at most " + MAX_TRANSACTION_ITEMS + " writes; got " + writes);
        }
        List<TransactWriteItem> items = new ArrayList<>(writes);
        List<String> bodies = new ArrayList<>(batch.records().size());
        Map<Period, Credits> creditsByPeriod = new HashMap<>();
        // A pooled line's place in its workspace's list: the workspace's own sequence, counted on from its balance.
        Map<Period, Long> workspaceSequence = new HashMap<>();
        batch.balances().forEach(step -> workspaceSequence.put(step.after().period(),
                step.before() == null ? 0 : step.before().sequence()));
        // A period with a page: its first line's place in the list, and its lines' ids in order.
        Map<Period, Long> pageStart = new LinkedHashMap<>();
        Map<Period, List<String>> pageLines = new HashMap<>();
        batch.pagedPeriods().forEach(period -> pageLines.put(period, new ArrayList<>()));
        for (UsageRecord record : batch.records()) {
            String body = LedgerBodies.of(record);
            bodies.add(body);
            Period period = Period.parse(record.period());
            creditsByPeriod.merge(period, record.creditsConsumed(), Credits::plus);
            long indexSequence = workspaceSequence.merge(period, 1L, Long::sum);
            long listedAt = record.pool() == null ? record.sequence() : indexSequence;
            Map<String, AttributeValue> item = Items.record(record, body, listedAt);
            List<String> page = pageLines.get(period);
            if (page != null) {
                pageStart.putIfAbsent(period, listedAt);
                page.add(record.executionId());
                Items.unindexed(item);
            }
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                    .conditionExpression(NOT_EXISTS)
                    .returnValuesOnConditionCheckFailure(ALL_OLD).build()).build());
        }
        Balance opening = null;
        for (BalanceStep step : batch.balances()) {
            Balance after = step.after();
            if (step.before() != null) {
                // DynamoDB conditions cannot add: the hard limit is precomputed as the most `used` may be before these lines.
                Credits credits = creditsByPeriod.getOrDefault(after.period(), Credits.ZERO);
                items.add(TransactWriteItem.builder().update(balanceUpdate(step.before(), after,
                        credits.isPositive() ? after.hardLimitCredits().minus(credits) : null)).build());
            } else {
                items.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                        .item(Items.balance(after))
                        .conditionExpression(NOT_EXISTS)
                        .returnValuesOnConditionCheckFailure(ALL_OLD).build()).build());
                opening = after;
            }
        }
        for (PoolStep move : batch.pools()) {
            PoolBalance after = move.after();
            Credits credits = creditsByPeriod.getOrDefault(after.period(), Credits.ZERO);
            items.add(move.before() != null
                    ? TransactWriteItem.builder().update(poolUpdate(move.before(), after,
                            credits.isPositive() ? after.ledger().hardLimitCredits().minus(credits) : null)).build()
                    : TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(Items.poolBalance(after))
                            .conditionExpression(NOT_EXISTS).returnValuesOnConditionCheckFailure(ALL_OLD).build()).build());
        }
        boolean poolOpens = batch.pools().stream().anyMatch(step -> step.before() == null);
        if (opening != null) {
            items.add(TransactWriteItem.builder().conditionCheck(workspaceAtVersion(opening.workspaceId(), batch.workspaceVersion())).build());
            if (!poolOpens) {
                // (A pool's opening below checks the organization at its version, which says it pools: one check an item.)
                items.add(TransactWriteItem.builder().conditionCheck(organizationPooling(opening.organizationId(), opening.pooled())).build());
            }
        }
        if (poolOpens) {
            // The pool's opening was computed from the organization and its members as read: both still so.
            String organizationId = batch.pools().getFirst().after().organizationId();
            items.add(TransactWriteItem.builder().conditionCheck(organizationAt(organizationId, batch.poolBasis().organizationVersion())).build());
            items.add(TransactWriteItem.builder().conditionCheck(membersAt(organizationId, batch.poolBasis().membersRevision())).build());
        }
        // Last, so that the cancellation reasons of the others keep their places: a page has no condition (the balance's
        // compare-and-set lets each range of sequences commit once).
        pageStart.forEach((period, first) -> items.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                .item(Items.ledgerPage(batch.records().getFirst().workspaceId(), period, first, pageLines.get(period))).build()).build()));
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(items));
            return new BatchResult.Committed(bodies);
        } catch (TransactionCanceledException e) {
            return explain(batch, e.cancellationReasons());
        }
    }

    @Override
    public boolean markBlocked(String workspaceId, Period period, Instant at) {
        return markBlocked(Keys.balance(workspaceId, period), at);
    }

    @Override
    public boolean markPoolBlocked(String organizationId, Period period, Instant at) {
        return markBlocked(Keys.poolBalance(organizationId, period), at);
    }

    /** Sets {@code blockedAt} on an existing balance item (a workspace's or a pool's) that has none. */
    private boolean markBlocked(Map<String, AttributeValue> key, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key)
                    .updateExpression("SET #blockedAt = :at")
                    .conditionExpression("attribute_exists(PK) AND attribute_not_exists(#blockedAt)")
                    .expressionAttributeNames(Map.of("#blockedAt", Items.BLOCKED_AT))
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()))));
            return true;
        } catch (ConditionalCheckFailedException alreadyOrAbsent) {
            return false;
        }
    }

    @Override
    public OpenResult open(Balance opening, long workspaceVersion) {
        return openWith(Items.balance(opening), workspaceAtVersion(opening.workspaceId(), workspaceVersion),
                organizationPooling(opening.organizationId(), opening.pooled()));
    }

    /** The pool's opening, while the organization and its members are as it was computed from. */
    @Override
    public OpenResult openPool(PoolBalance opening, PoolBasis basis) {
        return openWith(Items.poolBalance(opening), organizationAt(opening.organizationId(), basis.organizationVersion()),
                membersAt(opening.organizationId(), basis.membersRevision()));
    }

    /** Puts {@code balance} only if absent and only while both checks hold. */
    private OpenResult openWith(Map<String, AttributeValue> balance, ConditionCheck first, ConditionCheck second) {
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(balance).conditionExpression(NOT_EXISTS).build()).build(),
                TransactWriteItem.builder().conditionCheck(first).build(),
                TransactWriteItem.builder().conditionCheck(second).build());
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(items));
            return OpenResult.OPENED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                return OpenResult.ALREADY_OPEN;
            }
            return failedCondition(reasons, 1) || failedCondition(reasons, 2) ? OpenResult.WORKSPACE_CHANGED : OpenResult.CONTENTION;
        }
    }

    @Override
    public Optional<RecordedRun> findRecord(String workspaceId, String executionId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(Keys.execution(workspaceId, executionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.recordedRun(item));
    }

    @Override
    public RefundResult refund(RefundWrite refund) {
        Balance before = refund.before();
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                        .key(Keys.execution(before.workspaceId(), refund.executionId()))
                        .updateExpression("SET #refundedAt = :refundedAt, #refundReason = :refundReason")
                        .conditionExpression("attribute_exists(" + Keys.PK + ") AND attribute_not_exists(#refundedAt)")
                        .expressionAttributeNames(Map.of("#refundedAt", Items.REFUNDED_AT, "#refundReason", Items.REFUND_REASON))
                        .expressionAttributeValues(Map.of(":refundedAt", Items.s(refund.refund().refundedAt()),
                                ":refundReason", Items.s(refund.refund().reason())))
                        .returnValuesOnConditionCheckFailure(ALL_OLD).build()).build(),
                TransactWriteItem.builder().update(balanceUpdate(before, refund.after(), null)).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                        .item(Items.refundLine(refund.line(), LedgerBodies.of(refund.line())))
                        .conditionExpression(NOT_EXISTS).build()).build()));
        if (refund.poolBefore() != null) {
            items.add(TransactWriteItem.builder().update(poolUpdate(refund.poolBefore(), refund.poolAfter(), null)).build());
        }
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(items));
            return new RefundResult.Committed(LedgerBodies.refunded(LedgerBodies.of(refund.line().refunded()),
                    refund.refund().refundedAt(), refund.refund().reason()));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                Map<String, AttributeValue> record = reasons.get(0).item();
                return new RefundResult.AlreadyRefunded(record == null || record.isEmpty() ? null : Items.recordedRun(record));
            }
            if (failedCondition(reasons, 1)) {
                return new RefundResult.BalanceChanged(Items.balance(reasons.get(1).item()));
            }
            if (failedCondition(reasons, 3)) {
                return new RefundResult.PoolChanged(Items.poolBalance(reasons.get(3).item()));
            }
            // The refund line exists only beside a marked record, so its condition cannot fail alone: transient.
            return new RefundResult.Contention(reasons.stream().map(CancellationReason::code).toList().toString());
        }
    }

    private static BatchResult explain(LedgerBatch batch, List<CancellationReason> reasons) {
        int records = batch.records().size();
        Map<String, StoredRecord> existing = new HashMap<>();
        for (int i = 0; i < records; i++) {
            if (failedCondition(reasons, i)) {
                existing.put(batch.records().get(i).executionId(), Items.storedRecord(reasons.get(i).item()));
            }
        }
        if (!existing.isEmpty()) {
            return new BatchResult.AlreadyRecorded(existing);
        }
        for (int i = 0; i < batch.balances().size(); i++) {
            if (failedCondition(reasons, records + i)) {
                Map<String, AttributeValue> fresh = reasons.get(records + i).item();
                return new BatchResult.BalanceChanged(batch.balances().get(i).after().period(),
                        fresh == null || fresh.isEmpty() ? null : Items.balance(fresh));
            }
        }
        int pools = records + batch.balances().size();
        for (int i = 0; i < batch.pools().size(); i++) {
            if (failedCondition(reasons, pools + i)) {
                Map<String, AttributeValue> fresh = reasons.get(pools + i).item();
                return new BatchResult.PoolChanged(batch.pools().get(i).after().period(),
                        fresh == null || fresh.isEmpty() ? null : Items.poolBalance(fresh));
            }
        }
        int checks = pools + batch.pools().size();
        if (IntStream.range(checks, reasons.size()).anyMatch(i -> failedCondition(reasons, i))) {
            // The workspace changed, its organization switched its pool, or what a pool's opening was computed from moved:
            // read them again.
            return new BatchResult.WorkspaceChanged();
        }
        // TransactionConflict, ThrottlingError, ProvisionedThroughputExceeded: transient, nothing was written.
        return new BatchResult.Contention(reasons.stream().map(CancellationReason::code).toList().toString());
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index).code());
    }

    @Override
    public WorkspaceBalances readBalances(String workspaceId, List<Period> periods) {
        return readBalances(workspaceId, periods, true);
    }

    /** The workspace and its balances of {@code periods} in one BatchGetItem (100 keys a call). */
    WorkspaceBalances readBalances(String workspaceId, List<Period> periods, boolean consistent) {
        BatchView view = readAll(workspaceId, periods, List.of(), consistent);
        return new WorkspaceBalances(view.workspace(), view.balances());
    }

    @Override
    public SaveResult saveWorkspace(Workspace workspace, long expectedVersion, List<BalanceMove> balances, List<PoolStep> pools) {
        List<TransactWriteItem> items = new ArrayList<>(List.of(versionedPut(Items.workspace(workspace), expectedVersion)));
        for (BalanceMove move : balances) {
            items.add(balanceMove(workspace.workspaceId(), move.period(), move.before(), move.after()));
        }
        for (PoolStep step : pools) {
            items.add(TransactWriteItem.builder().update(poolUpdate(step.before(), step.after(), null)).build());
        }
        items.add(TransactWriteItem.builder().update(membersMoved(workspace, expectedVersion == 0)).build());
        return saveAll(items);
    }

    /** Saved; stale when a condition failed (something read moved on); contention otherwise. */
    private SaveResult saveAll(List<TransactWriteItem> items) {
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(items));
            return SaveResult.SAVED;
        } catch (TransactionCanceledException e) {
            boolean moved = e.hasCancellationReasons()
                    && e.cancellationReasons().stream().anyMatch(reason -> CONDITION_FAILED.equals(reason.code()));
            // TransactionConflict, ThrottlingError, ProvisionedThroughputExceeded: transient, nothing was written.
            return moved ? SaveResult.STALE : SaveResult.CONTENTION;
        }
    }

    /** Sets exactly the attributes that differ, at the revision {@code before} was read. */
    private Update balanceUpdate(Balance before, Balance after, Credits maxUsedBefore) {
        return balanceUpdate(Keys.balance(before.workspaceId(), before.period()), Items.balanceChanges(before, after), before,
                maxUsedBefore);
    }

    /** A pool's balance moved as {@link #balanceUpdate} moves a workspace's. */
    private Update poolUpdate(PoolBalance before, PoolBalance after, Credits maxUsedBefore) {
        Map<String, AttributeValue> changed = Items.balanceChanges(before.ledger(), after.ledger());
        changed.remove(Items.POOLED);
        if (before.enabled() != after.enabled()) {
            changed.put(Items.ENABLED, AttributeValue.fromBool(after.enabled()));
        }
        return balanceUpdate(Keys.poolBalance(before.organizationId(), before.period()), changed, before.ledger(), maxUsedBefore);
    }

    private Update balanceUpdate(Map<String, AttributeValue> key, Map<String, AttributeValue> changed, Balance before,
                                 Credits maxUsedBefore) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> assignments = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : changed.entrySet()) {
            names.put("#a" + i, attribute.getKey());
            values.put(":a" + i, attribute.getValue());
            assignments.add("#a" + i + " = :a" + i);
            i++;
        }
        names.put("#revision", Items.REVISION);
        values.put(":expectedRevision", number(before.revision()));
        String condition = "#revision = :expectedRevision";
        if (maxUsedBefore != null) {
            names.put("#used", Items.USED);
            values.put(":maxUsedBefore", number(maxUsedBefore.hundredths()));
            condition += " AND #used <= :maxUsedBefore";
        }
        return Update.builder().tableName(tableName).key(key)
                .updateExpression("SET " + String.join(", ", assignments))
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ALL_OLD)
                .build();
    }

    /**
     * The organization pools ({@code pooled}) or does not (no organization item, no pool, or a disabled one): what an
     * opening was computed from. A switch writes the organization item, so the two cannot both commit from one read.
     */
    private ConditionCheck organizationPooling(String organizationId, boolean pooled) {
        return ConditionCheck.builder().tableName(tableName).key(Keys.organization(organizationId))
                .conditionExpression(pooled ? "#pool.#enabled = :true" : "attribute_not_exists(#pool) OR #pool.#enabled = :false")
                .expressionAttributeNames(Map.of("#pool", "creditPool", "#enabled", Items.ENABLED))
                .expressionAttributeValues(Map.of(pooled ? ":true" : ":false", AttributeValue.fromBool(pooled)))
                .build();
    }

    @Override
    public PoolView readPool(String organizationId, Period period, boolean consistent) {
        Organization organization = null;
        PoolBalance pool = null;
        for (Map<String, AttributeValue> item : batchGet.items(List.of(Keys.organization(organizationId),
                Keys.poolBalance(organizationId, period)), consistent)) {
            if (item.get(Keys.SK).s().equals(Keys.ORGANIZATION_SK)) {
                organization = Items.organization(item);
            } else {
                pool = Items.poolBalance(item);
            }
        }
        return new PoolView(organization, pool);
    }

    @Override
    public Optional<Organization> findOrganization(String organizationId, boolean consistent) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(Keys.organization(organizationId))
                .consistentRead(consistent)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.organization(item));
    }

    @Override
    public Members members(String organizationId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(Keys.members(organizationId))
                .consistentRead(true)).item();
        boolean listed = item != null && item.containsKey(Items.WORKSPACE_IDS);
        List<String> ids = listed ? item.get(Items.WORKSPACE_IDS).ss() : List.of();
        long revision = item != null && item.containsKey(Items.REVISION) ? Long.parseLong(item.get(Items.REVISION).n()) : 0;
        List<Workspace> workspaces = batchGet.items(ids.stream().map(Keys::workspace).toList(), true).stream()
                .map(Items::workspace).sorted(java.util.Comparator.comparing(Workspace::workspaceId)).toList();
        return new Members(workspaces, revision);
    }

    @Override
    public PoolState readPoolState(String organizationId, List<String> workspaceIds, List<Period> periods) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        periods.forEach(period -> keys.add(Keys.poolBalance(organizationId, period)));
        workspaceIds.forEach(id -> periods.forEach(period -> keys.add(Keys.balance(id, period))));
        Map<Period, PoolBalance> pools = new HashMap<>();
        Map<String, Map<Period, Balance>> balances = new HashMap<>();
        for (Map<String, AttributeValue> item : batchGet.items(keys, true)) {
            if (item.get(Keys.SK).s().startsWith(Keys.POOL_SK_PREFIX)) {
                PoolBalance pool = Items.poolBalance(item);
                pools.put(pool.period(), pool);
            } else {
                Balance balance = Items.balance(item);
                balances.computeIfAbsent(balance.workspaceId(), id -> new HashMap<>()).put(balance.period(), balance);
            }
        }
        return new PoolState(pools, balances);
    }

    /** The organization, then each workspace's move (or absence), then each pool's. */
    @Override
    public SaveResult saveOrganization(OrganizationWrite write) {
        Organization organization = write.organization();
        List<TransactWriteItem> items = new ArrayList<>(List.of(versionedPut(Items.organization(organization), write.expectedVersion())));
        for (MemberMove move : write.members()) {
            items.add(balanceMove(move.workspaceId(), move.period(), move.before(), move.after()));
        }
        for (PoolStep step : write.pools()) {
            items.add(step.before() == null
                    ? TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(Items.poolBalance(step.after()))
                            .conditionExpression(NOT_EXISTS).build()).build()
                    : TransactWriteItem.builder().update(poolUpdate(step.before(), step.after(), null)).build());
        }
        if (write.membersRevision() != null) {
            items.add(TransactWriteItem.builder().conditionCheck(membersAt(organization.organizationId(), write.membersRevision())).build());
        }
        return saveAll(items);
    }

    /** The organization's members item moved by a write of {@code workspace} ({@code created}: it joins the list). */
    private Update membersMoved(Workspace workspace, boolean created) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", number(1)));
        if (created) {
            values.put(":id", AttributeValue.fromSs(List.of(workspace.workspaceId())));
        }
        return Update.builder().tableName(tableName).key(Keys.members(workspace.organizationId()))
                .updateExpression("ADD #revision :one" + (created ? ", #ids :id" : ""))
                .expressionAttributeNames(created ? Map.of("#revision", Items.REVISION, "#ids", Items.WORKSPACE_IDS)
                        : Map.of("#revision", Items.REVISION))
                .expressionAttributeValues(values).build();
    }

    /** The organization's members as they were read: at {@code revision} (0: no workspace written yet). */
    private ConditionCheck membersAt(String organizationId, long revision) {
        ConditionCheck.Builder check = ConditionCheck.builder().tableName(tableName).key(Keys.members(organizationId))
                .expressionAttributeNames(Map.of("#revision", Items.REVISION));
        return revision == 0 ? check.conditionExpression("attribute_not_exists(#revision)").build()
                : check.conditionExpression("#revision = :revision")
                        .expressionAttributeValues(Map.of(":revision", number(revision))).build();
    }

    private ConditionCheck organizationAt(String organizationId, long version) {
        return atVersion(Keys.organization(organizationId), version);
    }

    /** Creates the item ({@code expectedVersion} 0: only if absent) or replaces it at {@code expectedVersion}. */
    private TransactWriteItem versionedPut(Map<String, AttributeValue> item, long expectedVersion) {
        Put.Builder put = Put.builder().tableName(tableName).item(item);
        if (expectedVersion == 0) {
            put.conditionExpression(NOT_EXISTS);
        } else {
            put.conditionExpression("#version = :version")
                    .expressionAttributeNames(Map.of("#version", Items.VERSION))
                    .expressionAttributeValues(Map.of(":version", number(expectedVersion)));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** A workspace's balance moved at its revision, or, {@code before} null, asserted still absent. */
    private TransactWriteItem balanceMove(String workspaceId, Period period, Balance before, Balance after) {
        return before == null
                ? TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(tableName)
                        .key(Keys.balance(workspaceId, period)).conditionExpression(NOT_EXISTS).build()).build()
                : TransactWriteItem.builder().update(balanceUpdate(before, after, null)).build();
    }

    private ConditionCheck workspaceAtVersion(String workspaceId, long version) {
        return atVersion(Keys.workspace(workspaceId), version);
    }

    private ConditionCheck atVersion(Map<String, AttributeValue> key, long version) {
        return ConditionCheck.builder().tableName(tableName).key(key)
                .conditionExpression("#version = :version")
                .expressionAttributeNames(Map.of("#version", Items.VERSION))
                .expressionAttributeValues(Map.of(":version", number(version)))
                .build();
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
