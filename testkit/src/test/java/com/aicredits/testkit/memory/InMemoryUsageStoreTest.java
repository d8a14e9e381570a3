package com.aicredits.testkit.memory;

import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.UsageStore;

/** The usage reads' contract in memory (unit tier). */
class InMemoryUsageStoreTest extends UsageStoreContract {
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAlertStore alerts = new InMemoryAlertStore(credits);
    private final InMemoryUsageStore usage = new InMemoryUsageStore(credits, alerts);

    @Override
    protected CreditStore credits() {
        return credits;
    }

    @Override
    protected AlertStore alerts() {
        return alerts;
    }

    @Override
    protected UsageStore usage() {
        return usage;
    }
}
