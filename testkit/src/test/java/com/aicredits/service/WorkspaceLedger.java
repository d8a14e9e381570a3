package com.aicredits.service;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;

/**
 * Workspace ws-1's ledger on an in-memory store at a fixed time, debited through the real {@link DebitService}: what
 * the unit tests of the admin writes that move its balances (a workspace change, an add-on purchase) stand on. Their
 * retries share one virtual clock, so {@link #time} tells how long they would have paused.
 */
final class WorkspaceLedger {
    static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    static final Period NOVEMBER = Period.of(NOW);
    static final Period DECEMBER = NOVEMBER.next();

    final TestClock clock = new TestClock(NOW);
    final InMemoryCreditStore store = new InMemoryCreditStore();
    final VirtualRetries time = new VirtualRetries();
    final Retries retries = time.within(Duration.ofSeconds(10));
    private final DebitService debits = new DebitService(store, PriceCatalogFile.loadDefault(), clock, retries);

    /** An AI task (1 credit) of ws-1, at {@code occurredAt} (null: now). */
    DebitOutcome debit(String executionId, String occurredAt) {
        return debit(executionId, "task.execution", occurredAt);
    }

    DebitOutcome debit(String executionId, String activity, String occurredAt) {
        return debits.record("ws-1", new RecordExecution(executionId, activity, occurredAt));
    }

    /** ws-1's balance of {@code period} as stored, or null. */
    Balance balance(Period period) {
        return store.balance("ws-1", period);
    }
}
