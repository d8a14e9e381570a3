package com.aicredits.adapter.dynamodb;

import static com.aicredits.adapter.dynamodb.Items.n;
import static com.aicredits.adapter.dynamodb.Items.s;
import com.aicredits.domain.Timestamps;
import com.aicredits.port.AgentStore;
import com.aicredits.service.Retries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Agent instances: one item per agent ({@code SK=AGENT#<id>}) and a counter ({@code SK=AGENTS}). Registering is
 * one transaction (Put the agent if new, add 1 to the counter only while it is below the limit, the workspace still at
 * the version the limit was read from), so the count can never pass the limit, however many registrations race.
 */
public final class DynamoDbAgentStore implements AgentStore {
    private static final String AGENT_PREFIX = "AGENT#";
    private static final String COUNTER_SK = "AGENTS";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    private final BatchGet batchGet;

    public DynamoDbAgentStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Retries.standard());
    }

    /** {@code retries}: how long a BatchGetItem's unprocessed keys are asked for again. */
    public DynamoDbAgentStore(DynamoDbClient dynamoDb, String tableName, Retries retries) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.batchGet = new BatchGet(dynamoDb, tableName, retries);
    }

    @Override
    public Registration register(String workspaceId, String agentId, int limit, long workspaceVersion, Instant at) {
        Put agent = Put.builder().tableName(tableName)
                .item(Map.of(Keys.PK, s(Keys.workspacePk(workspaceId)), Keys.SK, s(AGENT_PREFIX + agentId),
                        Items.TYPE, s("AGENT"), "agentId", s(agentId), "registeredAt", s(Timestamps.format(at))))
                .conditionExpression("attribute_not_exists(PK)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        Update counter = Update.builder().tableName(tableName).key(counterKey(workspaceId))
                .updateExpression("SET agentCount = if_not_exists(agentCount, :zero) + :one")
                .conditionExpression("attribute_not_exists(agentCount) OR agentCount < :limit")
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":limit", n(limit)))
                .build();
        ConditionCheck workspace = ConditionCheck.builder().tableName(tableName).key(Keys.workspace(workspaceId))
                .conditionExpression("#version = :version")
                .expressionAttributeNames(Map.of("#version", Items.VERSION))
                .expressionAttributeValues(Map.of(":version", n(workspaceVersion)))
                .build();
        // Decided on a consistent read when it can be: only a registration that fits needs the transaction, so those
        // refused at the limit do not compete with it for the counter.
        Map<String, AttributeValue> agentKey = agentKey(workspaceId, agentId);
        long count = 0;
        for (Map<String, AttributeValue> item : batchGet.items(List.of(agentKey, counterKey(workspaceId)), true)) {
            if (item.get(Keys.SK).s().equals(COUNTER_SK)) {
                count = Long.parseLong(item.get("agentCount").n());
            } else {
                return Registration.ALREADY_REGISTERED;
            }
        }
        if (count >= limit) {
            return Registration.LIMIT_REACHED;
        }
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(agent).build(),
                    TransactWriteItem.builder().update(counter).build(), TransactWriteItem.builder().conditionCheck(workspace).build()));
            return Registration.REGISTERED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failed(reasons, 0)) {
                return Registration.ALREADY_REGISTERED;
            }
            if (failed(reasons, 2)) {
                return Registration.WORKSPACE_CHANGED;
            }
            if (failed(reasons, 1)) {
                return Registration.LIMIT_REACHED;
            }
            // TransactionConflict (another registration on the counter), a throttle: nothing was written.
            return Registration.CONTENTION;
        }
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    @Override
    public Release release(String workspaceId, String agentId) {
        Delete agent = Delete.builder().tableName(tableName)
                .key(agentKey(workspaceId, agentId))
                .conditionExpression("attribute_exists(PK)").build();
        Update counter = Update.builder().tableName(tableName).key(counterKey(workspaceId))
                .updateExpression("SET agentCount = agentCount - :one")
                .conditionExpression("agentCount > :zero")
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1)))
                .build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().delete(agent).build(),
                    TransactWriteItem.builder().update(counter).build()));
            return Release.RELEASED;
        } catch (TransactionCanceledException e) {
            if (failed(e.cancellationReasons(), 0)) {
                return Release.NOT_REGISTERED;
            }
            return Release.CONTENTION;
        }
    }

    @Override
    public List<Agent> list(String workspaceId) {
        return dynamoDb.queryPaginator(b -> b.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(Keys.workspacePk(workspaceId)), ":prefix", s(AGENT_PREFIX))))
                .items().stream()
                .map(item -> new Agent(item.get("agentId").s(), item.get("registeredAt").s()))
                .toList();
    }

    private static Map<String, AttributeValue> agentKey(String workspaceId, String agentId) {
        return Map.of(Keys.PK, s(Keys.workspacePk(workspaceId)), Keys.SK, s(AGENT_PREFIX + agentId));
    }

    private static Map<String, AttributeValue> counterKey(String workspaceId) {
        return Map.of(Keys.PK, s(Keys.workspacePk(workspaceId)), Keys.SK, s(COUNTER_SK));
    }
}
