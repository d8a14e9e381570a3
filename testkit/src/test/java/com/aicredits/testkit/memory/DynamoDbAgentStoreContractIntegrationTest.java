package com.aicredits.testkit.memory;

import com.aicredits.adapter.dynamodb.DynamoDbAgentStore;
import com.aicredits.port.AgentStore;
import com.aicredits.port.CreditStore;
import com.aicredits.testkit.CreditsTable;

/** The agent instances' contract on the DynamoDB adapter, on our engine (integration tier). */
class DynamoDbAgentStoreContractIntegrationTest extends AgentStoreContract {
    private static final CreditsTable TABLE = new CreditsTable("agent-store-contract");

    @Override
    protected CreditStore credits() {
        return TABLE.store;
    }

    @Override
    protected AgentStore agents() {
        return new DynamoDbAgentStore(TABLE.client, TABLE.name);
    }
}
