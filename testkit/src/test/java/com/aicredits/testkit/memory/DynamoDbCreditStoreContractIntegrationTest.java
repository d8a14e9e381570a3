package com.aicredits.testkit.memory;

import com.aicredits.port.CreditStore;
import com.aicredits.testkit.CreditsTable;

/** The one table's contract on the DynamoDB adapter, on our engine (integration tier). */
class DynamoDbCreditStoreContractIntegrationTest extends CreditStoreContract {
    private static final CreditsTable TABLE = new CreditsTable("credit-store-contract");

    @Override
    protected CreditStore store() {
        return TABLE.store;
    }
}
