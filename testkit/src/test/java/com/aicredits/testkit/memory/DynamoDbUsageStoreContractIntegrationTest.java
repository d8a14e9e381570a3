package com.aicredits.testkit.memory;

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
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The usage reads' contract on the DynamoDB adapter, on our engine (integration tier). */
class DynamoDbUsageStoreContractIntegrationTest extends UsageStoreContract {
    private static final CreditsTable TABLE = new CreditsTable("usage-store-contract");

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
