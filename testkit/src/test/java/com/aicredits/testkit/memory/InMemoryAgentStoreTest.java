package com.aicredits.testkit.memory;

import com.aicredits.port.AgentStore;
import com.aicredits.port.CreditStore;

/** The agent instances' contract in memory (unit tier). */
class InMemoryAgentStoreTest extends AgentStoreContract {
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAgentStore agents = new InMemoryAgentStore(credits);

    @Override
    protected CreditStore credits() {
        return credits;
    }

    @Override
    protected AgentStore agents() {
        return agents;
    }
}
