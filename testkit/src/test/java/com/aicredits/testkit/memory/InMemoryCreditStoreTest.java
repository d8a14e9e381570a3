package com.aicredits.testkit.memory;

import com.aicredits.port.CreditStore;

/** The one table's contract on the in-memory store (unit tier). */
class InMemoryCreditStoreTest extends CreditStoreContract {
    private final InMemoryCreditStore store = new InMemoryCreditStore();

    @Override
    protected CreditStore store() {
        return store;
    }
}
