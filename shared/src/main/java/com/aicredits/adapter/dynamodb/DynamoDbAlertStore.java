package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolMember;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AlertStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Alert markers: {@code PK=WS#<id>} (a workspace's) or {@code PK=ORG#<id>} (an organization's pool's),
 * {@code SK=ALERT#<period>#THRESHOLD#0080} (or {@code #FORECAST}), with
 * {@code firedAt}, {@code emailedAt}, {@code publishedAt}, the {@code claimToken} of the claim that wrote it, and
 * {@code uncertainSends}: how many sends SES may have accepted without our knowing (each may be one more copy), and
 * {@code lastUncertainSendAt}; {@code recipientsDone} (a string set: the recipients whose send is done, sent or parked),
 * {@code parkedRecipients}, {@code parkedAt} and {@code parkReason} (a recipient SES refuses for good). They expire
 * (TTL) 400 days after their period.
 */
public final class DynamoDbAlertStore implements AlertStore {
    static final String ALERT_SK_PREFIX = "ALERT#";
    private static final String CLAIM_TOKEN = "claimToken";
    private static final String RECIPIENTS_DONE = "recipientsDone";
    private static final String LAST_UNCERTAIN = "lastUncertainSendAt";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbCreditStore credits;

    public DynamoDbAlertStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.credits = new DynamoDbCreditStore(dynamoDb, tableName);
    }

    @Override
    public Optional<Workspace> workspace(String workspaceId) {
        // Consistent: a stale read could miss a workspace just created, or email the recipients it had a moment ago.
        return credits.findWorkspace(workspaceId, true);
    }

    @Override
    public Optional<Organization> organization(String organizationId) {
        // Consistent, as the workspace's: whom the pool's alerts email is a decision.
        return credits.findOrganization(organizationId, true);
    }

    @Override
    public List<PoolMember> poolMembers(String organizationId, Period period) {
        return credits.poolMembers(organizationId, period);
    }

    @Override
    public List<AlertMarker> markers(LedgerOwner owner, Period period) {
        return dynamoDb.queryPaginator(b -> b.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.ownerPk(owner)),
                                ":prefix", AttributeValue.fromS(prefix(period)))))
                .items().stream()
                .map(item -> new AlertMarker(Alert.fromKey(item.get(Keys.SK).s().substring(prefix(period).length())),
                        Instant.parse(item.get("firedAt").s()), item.containsKey("emailedAt"), item.containsKey("publishedAt"),
                        item.containsKey(RECIPIENTS_DONE) ? Set.copyOf(item.get(RECIPIENTS_DONE).ss()) : Set.of(),
                        item.containsKey(LAST_UNCERTAIN) ? Instant.parse(item.get(LAST_UNCERTAIN).s()) : null))
                .toList();
    }

    /**
     * The put carries a token of this claim, so that when its response is lost and the SDK sends it again, the retry
     * that fails its condition recognises the marker as its own (DynamoDB returns it, ALL_OLD) and delivers it.
     */
    @Override
    public boolean claim(LedgerOwner owner, Period period, Alert alert, Instant firedAt) {
        String token = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = new HashMap<>(key(owner, period, alert));
        item.put(Items.TYPE, AttributeValue.fromS("ALERT"));
        item.put(CLAIM_TOKEN, AttributeValue.fromS(token));
        item.put("firedAt", AttributeValue.fromS(firedAt.toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(period.end().plus(AlertMarker.KEPT_AFTER_PERIOD).getEpochSecond())));
        if (alert.kind() == Alert.Kind.FORECAST) {
            item.put("publishedAt", AttributeValue.fromS("not-published"));
        }
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(PK)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException alreadyClaimed) {
            AttributeValue existing = alreadyClaimed.hasItem() ? alreadyClaimed.item().get(CLAIM_TOKEN) : null;
            return existing != null && token.equals(existing.s());
        }
    }

    @Override
    public void markEmailed(LedgerOwner owner, Period period, Alert alert, String messageId, Instant at) {
        mark(owner, period, alert, "SET emailedAt = :at, messageId = :id",
                Map.of(":at", AttributeValue.fromS(at.toString()), ":id", AttributeValue.fromS(messageId)));
    }

    @Override
    public void markRecipientEmailed(LedgerOwner owner, Period period, Alert alert, String recipient, String messageId) {
        mark(owner, period, alert, "SET messageId = :id ADD recipientsDone :to",
                Map.of(":id", AttributeValue.fromS(messageId), ":to", AttributeValue.fromSs(List.of(recipient))));
    }

    @Override
    public void markRecipientParked(LedgerOwner owner, Period period, Alert alert, String recipient, String reason, Instant at) {
        mark(owner, period, alert, "SET parkedAt = :at, parkReason = :reason ADD recipientsDone :to, parkedRecipients :to",
                Map.of(":at", AttributeValue.fromS(at.toString()), ":reason", AttributeValue.fromS(reason),
                        ":to", AttributeValue.fromSs(List.of(recipient))));
    }

    @Override
    public void markEmailUncertain(LedgerOwner owner, Period period, Alert alert, Instant at) {
        mark(owner, period, alert, "SET lastUncertainSendAt = :at ADD uncertainSends :one",
                Map.of(":at", AttributeValue.fromS(at.toString()), ":one", AttributeValue.fromN("1")));
    }

    @Override
    public void markPublished(LedgerOwner owner, Period period, Alert alert, Instant at) {
        mark(owner, period, alert, "SET publishedAt = :at", Map.of(":at", AttributeValue.fromS(at.toString())));
    }

    private void mark(LedgerOwner owner, Period period, Alert alert, String update, Map<String, AttributeValue> values) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(key(owner, period, alert))
                .updateExpression(update).conditionExpression("attribute_exists(PK)").expressionAttributeValues(values));
    }

    private static Map<String, AttributeValue> key(LedgerOwner owner, Period period, Alert alert) {
        return Map.of(Keys.PK, AttributeValue.fromS(Keys.ownerPk(owner)),
                Keys.SK, AttributeValue.fromS(prefix(period) + alert.key()));
    }

    private static String prefix(Period period) {
        return ALERT_SK_PREFIX + period + "#";
    }
}
