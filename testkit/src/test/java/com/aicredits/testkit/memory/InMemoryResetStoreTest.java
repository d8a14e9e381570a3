package com.aicredits.testkit.memory;

import com.aicredits.port.CreditStore;
import com.aicredits.port.ResetStore;

/** The reset store's contract in memory (unit tier). */
class InMemoryResetStoreTest extends ResetStoreContract {
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryResetStore resets = new InMemoryResetStore(credits, 4);

    @Override
    protected CreditStore credits() {
        return credits;
    }

    @Override
    protected ResetStore resets() {
        return resets;
    }
}
