package com.aicredits.testkit.memory;

import com.aicredits.adapter.dynamodb.DynamoDbResetStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.ResetStore;
import com.aicredits.testkit.CreditsTable;

/** The reset store's contract on the DynamoDB adapter, on our engine (integration tier). */
class DynamoDbResetStoreContractIntegrationTest extends ResetStoreContract {
    private static final CreditsTable TABLE = new CreditsTable("reset-store-contract");
    private static final DynamoDbResetStore RESETS = new DynamoDbResetStore(TABLE.client, TABLE.name);

    @Override
    protected CreditStore credits() {
        return TABLE.store;
    }

    @Override
    protected ResetStore resets() {
        return RESETS;
    }
}
