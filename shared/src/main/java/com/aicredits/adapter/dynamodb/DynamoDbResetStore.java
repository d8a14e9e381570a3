package com.aicredits.adapter.dynamodb;

import static com.aicredits.adapter.dynamodb.Items.n;
import static com.aicredits.adapter.dynamodb.Items.s;
import com.aicredits.domain.Alert;
import com.aicredits.domain.Balance;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.SummaryHistory;
import com.aicredits.domain.Workspace;
import com.aicredits.port.ResetStore;
import com.aicredits.service.Retries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link ResetStore} on the one table. Workspaces are paged from the sparse index GSI2 ({@code WORKSPACES#<shard>},
 * sorted by id); a summary marker is {@code PK=WS#<id>} (or {@code ORG#<id>} for an organization's credit pool),
 * {@code SK=SUMMARY#<period>} with {@code state} CLAIMED or
 * SENT, the claim's {@code owner} and {@code leaseUntil} (epoch milliseconds) and a {@code claims} counter; when the
 * summary went to each recipient alone, {@code recipientsDone} (a string set: the recipients served, sent or parked,
 * kept from claim to claim), {@code messageId} (the last send's), {@code parkedRecipients}, {@code parkedAt} and
 * {@code parkReason} (a recipient SES refuses for good), as an alert marker.
 */
public final class DynamoDbResetStore implements ResetStore {
    static final String SUMMARY_SK_PREFIX = "SUMMARY#";
    private static final String CLAIMED = "CLAIMED";
    private static final String SENT = "SENT";
    private static final String RECIPIENTS_DONE = "recipientsDone";
    private static final String MESSAGE_ID = "messageId";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbAlertStore alerts;

    private final BatchGet batchGet;

    public DynamoDbResetStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Retries.standard());
    }

    /** {@code retries}: how long a BatchGetItem's unprocessed keys are asked for again. */
    public DynamoDbResetStore(DynamoDbClient dynamoDb, String tableName, Retries retries) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.batchGet = new BatchGet(dynamoDb, tableName, retries);
        this.alerts = new DynamoDbAlertStore(dynamoDb, tableName);
    }

    @Override
    public int workspaceShards() {
        return Keys.WORKSPACE_SHARDS;
    }

    @Override
    public WorkspacePage workspaces(int shard, String afterWorkspaceId, int limit) {
        Map<String, AttributeValue> values = Map.of(":pk", s(Keys.workspacesGsiPk(shard)));
        QueryResponse response = dynamoDb.query(b -> {
            b.tableName(tableName).indexName(Keys.GSI2).keyConditionExpression("GSI2PK = :pk")
                    .expressionAttributeValues(values).limit(limit);
            if (afterWorkspaceId != null) {
                // The index's exclusive start key: its own key and the table's, all derived from the workspace id.
                b.exclusiveStartKey(Map.of(Keys.GSI2PK, s(Keys.workspacesGsiPk(shard)), Keys.GSI2SK, s(afterWorkspaceId),
                        Keys.PK, s(Keys.workspacePk(afterWorkspaceId)), Keys.SK, s(Keys.WORKSPACE_SK)));
            }
        });
        List<Workspace> workspaces = response.items().stream().map(Items::workspace).toList();
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !workspaces.isEmpty();
        return new WorkspacePage(workspaces, more ? workspaces.getLast().workspaceId() : null);
    }

    @Override
    public Map<String, PeriodStates> states(Collection<String> workspaceIds, Period opening, Period closing) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : workspaceIds) {
            keys.add(Keys.balance(id, opening));
            keys.add(Keys.balance(id, closing));
            keys.add(summaryKey(LedgerOwner.workspace(id), closing));
        }
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (Map<String, AttributeValue> item : batchGet.items(keys, true)) {
            found.put(item.get(Keys.PK).s() + "|" + item.get(Keys.SK).s(), item);
        }
        Map<String, PeriodStates> states = new LinkedHashMap<>();
        for (String id : workspaceIds) {
            String pk = Keys.workspacePk(id) + "|";
            Map<String, AttributeValue> open = found.get(pk + Keys.BALANCE_SK_PREFIX + opening);
            Map<String, AttributeValue> close = found.get(pk + Keys.BALANCE_SK_PREFIX + closing);
            Map<String, AttributeValue> summary = found.get(pk + SUMMARY_SK_PREFIX + closing);
            states.put(id, new PeriodStates(open == null ? null : Items.balance(open), close == null ? null : Items.balance(close),
                    summary == null ? null : marker(summary)));
        }
        return states;
    }

    @Override
    public Map<String, PoolStates> poolStates(Collection<String> organizationIds, Period opening, Period closing) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : organizationIds) {
            keys.add(Keys.organization(id));
            keys.add(Keys.poolBalance(id, opening));
            keys.add(Keys.poolBalance(id, closing));
            keys.add(summaryKey(LedgerOwner.organization(id), closing));
        }
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (Map<String, AttributeValue> item : batchGet.items(keys, true)) {
            found.put(item.get(Keys.PK).s() + "|" + item.get(Keys.SK).s(), item);
        }
        Map<String, PoolStates> states = new LinkedHashMap<>();
        for (String id : organizationIds) {
            String pk = Keys.organizationPk(id) + "|";
            Map<String, AttributeValue> organization = found.get(pk + Keys.ORGANIZATION_SK);
            Map<String, AttributeValue> open = found.get(pk + Keys.POOL_SK_PREFIX + opening);
            Map<String, AttributeValue> close = found.get(pk + Keys.POOL_SK_PREFIX + closing);
            Map<String, AttributeValue> summary = found.get(pk + SUMMARY_SK_PREFIX + closing);
            states.put(id, new PoolStates(organization == null ? null : Items.organization(organization),
                    open == null ? null : Items.poolBalance(open), close == null ? null : Items.poolBalance(close),
                    summary == null ? null : marker(summary)));
        }
        return states;
    }

    @Override
    public Claim claimSummary(LedgerOwner whose, Period period, String owner, Instant now, Instant leaseUntil) {
        try {
            // ALL_NEW: the recipients an earlier claim served, which this one does not send to again.
            Map<String, AttributeValue> claimed = dynamoDb.updateItem(b -> b.tableName(tableName).key(summaryKey(whose, period))
                    .updateExpression("SET #type = :type, #state = :claimed, #owner = :owner, #lease = :lease,"
                            + " claimedAt = :now ADD claims :one")
                    .conditionExpression("attribute_not_exists(PK) OR (#state = :claimed AND #lease <= :nowMillis)")
                    .expressionAttributeNames(Map.of("#type", Items.TYPE, "#state", "state", "#owner", "owner", "#lease", "leaseUntil"))
                    .expressionAttributeValues(Map.of(":type", s("SUMMARY"), ":claimed", s(CLAIMED), ":owner", s(owner),
                            ":lease", n(leaseUntil.toEpochMilli()), ":now", s(now.toString()),
                            ":nowMillis", n(now.toEpochMilli()), ":one", n(1)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return claimed(claimed);
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> item = taken.hasItem() && !taken.item().isEmpty() ? taken.item()
                    : dynamoDb.getItem(b -> b.tableName(tableName).key(summaryKey(whose, period)).consistentRead(true)).item();
            SummaryMarker marker = marker(item);
            if (marker.sent()) {
                return new Claim.AlreadySent();
            }
            // Our own claim met by the SDK's retry of it, its first response lost: still ours to send.
            return owner.equals(marker.owner()) ? claimed(item) : new Claim.HeldUntil(marker.leaseUntil());
        }
    }

    @Override
    public boolean markSummarySent(LedgerOwner whose, Period period, String owner, String messageId, Instant sentAt) {
        return updateOwnClaim(whose, period, owner, "SET #state = :sent, sentAt = :at, messageId = :id REMOVE #lease",
                Map.of("#lease", "leaseUntil"), Map.of(":sent", s(SENT), ":at", s(sentAt.toString()), ":id", s(messageId)));
    }

    @Override
    public boolean markSummaryRecipientSent(LedgerOwner whose, Period period, String owner, String recipient, String messageId) {
        return updateOwnClaim(whose, period, owner, "SET messageId = :id ADD recipientsDone :to", Map.of(),
                Map.of(":id", s(messageId), ":to", AttributeValue.fromSs(List.of(recipient))));
    }

    @Override
    public boolean markSummaryRecipientParked(LedgerOwner whose, Period period, String owner, String recipient, String reason,
                                              Instant at) {
        return updateOwnClaim(whose, period, owner,
                "SET parkedAt = :at, parkReason = :reason ADD recipientsDone :to, parkedRecipients :to", Map.of(),
                Map.of(":at", s(at.toString()), ":reason", s(reason), ":to", AttributeValue.fromSs(List.of(recipient))));
    }

    @Override
    public void releaseSummary(LedgerOwner whose, Period period, String owner, Instant claimableFrom) {
        // Without an owner, the claim is nobody's own: not even ours is taken back before claimableFrom. When someone
        // else holds it now (false), it is theirs to send.
        updateOwnClaim(whose, period, owner, "SET #lease = :from REMOVE #owner", Map.of("#lease", "leaseUntil"),
                Map.of(":from", n(claimableFrom.toEpochMilli())));
    }

    /**
     * Applies {@code update} (its own {@code names} and {@code values} besides {@code #state}, {@code #owner},
     * {@code :claimed} and {@code :owner}) if the summary is still an unsent claim of {@code owner}'s; false if not.
     */
    private boolean updateOwnClaim(LedgerOwner whose, Period period, String owner, String update, Map<String, String> names,
                                   Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#state", "state");
        allNames.put("#owner", "owner");
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":claimed", s(CLAIMED));
        allValues.put(":owner", s(owner));
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(summaryKey(whose, period)).updateExpression(update)
                    .conditionExpression("#state = :claimed AND #owner = :owner")
                    .expressionAttributeNames(allNames).expressionAttributeValues(allValues));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    @Override
    public SummaryHistory summaryHistory(LedgerOwner whose, Period period) {
        Map<String, AttributeValue> before = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(whose.isOrganization() ? Keys.poolBalance(whose.id(), period.previous()) : Keys.balance(whose.id(), period.previous()))
                .consistentRead(true)).item();
        List<Integer> reached = alerts.markers(whose, period).stream()
                .filter(marker -> marker.alert().kind() == Alert.Kind.THRESHOLD)
                .map(marker -> marker.alert().threshold())
                .toList();
        Balance monthBefore = before == null || before.isEmpty() ? null
                : whose.isOrganization() ? Items.poolBalance(before).ledger() : Items.balance(before);
        return new SummaryHistory(monthBefore, reached);
    }

    private static SummaryMarker marker(Map<String, AttributeValue> item) {
        AttributeValue lease = item.get("leaseUntil");
        AttributeValue owner = item.get("owner");
        AttributeValue claims = item.get("claims");
        return new SummaryMarker(SENT.equals(item.get("state").s()), owner == null ? null : owner.s(),
                lease == null ? null : Instant.ofEpochMilli(Long.parseLong(lease.n())),
                claims == null ? 0 : Integer.parseInt(claims.n()));
    }

    /** A claim of the marker {@code item}, with the recipients earlier claims served. */
    private static Claim.Claimed claimed(Map<String, AttributeValue> item) {
        AttributeValue done = item.get(RECIPIENTS_DONE);
        AttributeValue messageId = item.get(MESSAGE_ID);
        return new Claim.Claimed(done == null ? Set.of() : Set.copyOf(done.ss()), messageId == null ? null : messageId.s());
    }

    static Map<String, AttributeValue> summaryKey(LedgerOwner whose, Period period) {
        return Map.of(Keys.PK, s(Keys.ownerPk(whose)), Keys.SK, s(SUMMARY_SK_PREFIX + period));
    }
}
