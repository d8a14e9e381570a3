package com.aicredits.testkit.memory;

import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;

/** The alert markers' contract in memory (unit tier). */
class InMemoryAlertStoreTest extends AlertStoreContract {
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAlertStore alerts = new InMemoryAlertStore(credits);

    @Override
    protected CreditStore credits() {
        return credits;
    }

    @Override
    protected AlertStore alerts() {
        return alerts;
    }
}
