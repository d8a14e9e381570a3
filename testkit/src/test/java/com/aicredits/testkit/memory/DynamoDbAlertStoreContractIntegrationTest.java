package com.aicredits.testkit.memory;

import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import com.aicredits.testkit.CreditsTable;

/** The alert markers' contract on the DynamoDB adapter, on our engine (integration tier). */
class DynamoDbAlertStoreContractIntegrationTest extends AlertStoreContract {
    private static final CreditsTable TABLE = new CreditsTable("alert-store-contract");
    private static final DynamoDbAlertStore ALERTS = new DynamoDbAlertStore(TABLE.client, TABLE.name);

    @Override
    protected CreditStore credits() {
        return TABLE.store;
    }

    @Override
    protected AlertStore alerts() {
        return ALERTS;
    }
}
