package com.aicredits.service;

import com.aicredits.domain.CreditPool;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * An organization pooling two DEV workspaces (500 credits each: a pool of 1,000) on an in-memory store, each workspace
 * with recipients of its own, the pool with its own; debited through the real {@link DebitService}, the workspaces
 * taking turns.
 */
final class PooledOrganization {
    static final String ORG = "org-pool";
    static final String ALPHA = "ws-alpha";
    static final String BETA = "ws-beta";
    static final String POOL_RECIPIENT = "managers@example.com";

    final InMemoryCreditStore store;
    private final Period period;
    private final DebitService debits;
    private int runs;

    /** {@code period}: the month {@code clock} is in, the one debited. */
    PooledOrganization(InMemoryCreditStore store, Clock clock, Period period) {
        this(store, clock, period, List.of(POOL_RECIPIENT));
    }

    /** The same, the pool emailing {@code poolRecipients}. */
    PooledOrganization(InMemoryCreditStore store, Clock clock, Period period, List<String> poolRecipients) {
        this.store = store;
        this.period = period;
        this.debits = new DebitService(store, PriceCatalogFile.loadDefault(), clock, new VirtualRetries().within(Duration.ofSeconds(10)));
        for (String id : List.of(ALPHA, BETA)) {
            store.saveWorkspace(new Workspace(id, ORG, id.equals(ALPHA) ? "Alpha" : "Beta", Tier.DEV, PricingModel.EXTEND, true,
                    null, null, List.of(id + "-admin@example.com"), null, 200, List.of(), 1), 0, List.of());
        }
        new OrganizationService(store, clock, new VirtualRetries().within(Duration.ofSeconds(10))).put(ORG,
                new OrganizationSpec(ORG, "Acme Group", new CreditPool.Spec(true, null, null, null, poolRecipients)));
    }

    /** Case investigations (12 credits), the workspaces taking turns, until the pool reaches {@code percent} of 1,000. */
    void debitUpTo(int percent) {
        while (pool(period) == null || pool(period).ledger().used().hundredths() < percent * 1_000L) {
            debit();
        }
    }

    /** Debits until the pool refuses a run for its hard limit (402); returns that refusal. */
    CreditsException debitUntilRefused() {
        while (true) {
            try {
                debit();
            } catch (CreditsException refused) {
                if (refused.refusal() != Refusal.HARD_LIMIT) {
                    throw refused;
                }
                return refused;
            }
        }
    }

    private void debit() {
        String workspace = runs % 2 == 0 ? ALPHA : BETA;
        debits.record(workspace, new RecordExecution("run-" + runs, "case.investigation", null));
        runs++;
    }

    PoolBalance pool(Period of) {
        return store.pool(ORG, of);
    }
}
