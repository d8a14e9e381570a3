package com.aicredits.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.dynamodb.DynamoDbUsageStore;
import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.domain.Alert;
import com.aicredits.domain.Period;
import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.UsageStore;
import com.aicredits.service.Retries;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;

/** The usage reads' contract on the DynamoDB adapter, on our engine (integration tier). */
class DynamoDbUsageStoreContractIntegrationTest extends UsageStoreContract {
    private static final CreditsTable TABLE = new CreditsTable("usage-store-contract");
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @Override
    protected CreditStore credits() {
        return TABLE.store;
    }

    @Override
    protected AlertStore alerts() {
        return new DynamoDbAlertStore(TABLE.client, TABLE.name);
    }

    @Override
    protected UsageStore usage() {
        return new DynamoDbUsageStore(TABLE.client, TABLE.name, Retries.standard());
    }

    /**
     * A ledger page's records missed by the eventually consistent read (a stale replica; played here by an interceptor
     * that empties such answers, as the engine does only at random) are read again consistently.
     */
    @Test
    void aBatchedLineAStaleReadMissedIsReadAgainConsistently() {
        String id = workspace("stale").workspaceId();
        List<String> bodies = batch(debits(new TestClock(AT)), id, "run", 5);
        AtomicInteger emptied = new AtomicInteger();
        ExecutionInterceptor staleReplica = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchGetItemRequest request
                        && request.requestItems().values().stream().noneMatch(keys -> Boolean.TRUE.equals(keys.consistentRead()))) {
                    emptied.incrementAndGet();
                    return ((BatchGetItemResponse) context.response()).toBuilder().responses(Map.of()).build();
                }
                return context.response();
            }
        };
        UsageStore stale = new DynamoDbUsageStore(TABLE.dynamoDbLocal.client(staleReplica), TABLE.name, Retries.standard());

        assertThat(stale.executions(id, Period.of(AT), 10, null).items()).containsExactlyElementsOf(bodies.reversed());
        assertThat(emptied).hasValue(1);
    }

    /** The marker's item as the pool's alerts write it: a workspace marker's on {@code ORG#<id>}. */
    @Override
    protected void claimForPool(String organizationId, Period period, Alert alert) {
        TABLE.client.putItem(b -> b.tableName(TABLE.name).item(Map.of(
                Keys.PK, AttributeValue.fromS(Keys.organizationPk(organizationId)),
                Keys.SK, AttributeValue.fromS("ALERT#" + period + "#" + alert.key()),
                "itemType", AttributeValue.fromS("ALERT"),
                "firedAt", AttributeValue.fromS("2026-11-20T10:00:00Z"))));
    }
}
