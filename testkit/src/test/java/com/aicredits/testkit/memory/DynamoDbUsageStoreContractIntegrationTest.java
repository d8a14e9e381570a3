package com.aicredits.testkit.memory;

import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.dynamodb.DynamoDbUsageStore;
import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.UsageStore;
import com.aicredits.service.Retries;
import com.aicredits.testkit.CreditsTable;

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
}
