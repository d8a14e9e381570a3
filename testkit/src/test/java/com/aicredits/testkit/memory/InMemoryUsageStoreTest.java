package com.aicredits.testkit.memory;

import com.aicredits.domain.Alert;
import com.aicredits.domain.Period;
import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.UsageStore;
import java.time.Instant;

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

    @Override
    protected void claimForPool(String organizationId, Period period, Alert alert) {
        alerts.claim(com.aicredits.domain.LedgerOwner.organization(organizationId), period, alert, Instant.parse("2026-11-20T10:00:00Z"));
    }
}
