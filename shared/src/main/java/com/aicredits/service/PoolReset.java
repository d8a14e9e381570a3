package com.aicredits.service;

import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.observability.Log;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.OrganizationStore;
import com.aicredits.port.ResetStore;
import com.aicredits.port.ResetStore.PoolStates;
import com.aicredits.service.ResetProgress.Outcome;
import java.time.Duration;
import java.time.Instant;

/**
 * One organization's credit pool in the monthly reset: the pool's new period opened if the organization pools now
 * (its opening computed as a pooled debit computes it, {@link PoolSwitch#openingFor}, and written only if absent, at
 * the organization's version), and ONE summary of the month that closed, if the pool was enabled when it closed, sent
 * once to the pool's recipients ({@link SummaryDelivery}, the workspaces' machinery) with its usage by workspace and by
 * feature. Its workspaces that drew from it get no summary of their own ({@link WorkspaceReset}).
 */
final class PoolReset {
    private static final int MAX_OPEN_ATTEMPTS = 5;

    private final LedgerStore credits;
    private final OrganizationStore organizations;
    private final ResetStore resets;
    private final SummaryDelivery summaries;
    private final SummaryEmails emails;
    private final MonthlyReset.Sleeper sleeper;

    PoolReset(LedgerStore credits, OrganizationStore organizations, ResetStore resets, SummaryDelivery summaries,
              SummaryEmails emails, MonthlyReset.Sleeper sleeper) {
        this.credits = credits;
        this.organizations = organizations;
        this.resets = resets;
        this.summaries = summaries;
        this.emails = emails;
        this.sleeper = sleeper;
    }

    static WorkspaceReset.Result failed(String organizationId, Throwable cause) {
        Log.warn("reset of the organization's pool failed; a later round retries it", "organizationId", organizationId,
                "cause", String.valueOf(cause));
        return new WorkspaceReset.Result(Outcome.FAILED, null, null);
    }

    /**
     * Resets the pool of {@code organizationId}: opens {@code opening} if the organization pools and the pool is not
     * open, then sends the pool's summary of {@code closing} once. The opening outcome is null when the organization
     * does not pool now; the summary's is null when there is no enabled pool of {@code closing} to summarize.
     */
    WorkspaceReset.Result reset(String organizationId, PoolStates state, Period opening, Period closing, Instant leaseUntil,
                                String owner) {
        Organization organization = state.organization();
        PoolBalance opened = state.opening();
        Outcome open = opened != null ? Outcome.ALREADY_OPEN : null;
        if (opened == null && organization != null && organization.pooled()) {
            Opening result = open(organization, opening);
            organization = result.organization();
            opened = result.pool();
            open = result.outcome();
        }
        PoolBalance closed = state.closing();
        if (organization == null || closed == null || !closed.enabled()) {
            // No pool drew that month (or it was switched off before it ended: its workspaces were summarized alone).
            return new WorkspaceReset.Result(open, null, null);
        }
        if (state.summary() != null && state.summary().sent()) {
            return new WorkspaceReset.Result(open, Outcome.ALREADY_SENT, null);
        }
        if (organization.creditPool() == null || organization.creditPool().notificationEmails().isEmpty()) {
            return new WorkspaceReset.Result(open, Outcome.NO_RECIPIENTS, null);
        }
        Organization summarized = organization;
        PoolBalance next = opened;
        LedgerOwner whose = LedgerOwner.organization(organizationId);
        SummaryDelivery.Sent sent = summaries.deliver(whose, closing, owner, leaseUntil,
                () -> emails.poolSummary(summarized, organizations.poolMembers(organizationId, closing), closed.ledger(),
                        next == null ? null : next.ledger(), resets.summaryHistory(whose, closing)));
        return new WorkspaceReset.Result(open, sent.outcome(), sent.heldUntil());
    }

    /** The organization as last read, its pool of the period (null: not opened, the organization stopped pooling). */
    private record Opening(Organization organization, PoolBalance pool, Outcome outcome) {
    }

    /**
     * Opens the pool's period at its allocation as it now stands (written only if absent and while the organization is
     * at the version read: a switch or an add-on meanwhile means reading it again).
     */
    private Opening open(Organization read, Period period) {
        Organization organization = read;
        for (int attempt = 1; attempt <= MAX_OPEN_ATTEMPTS; attempt++) {
            OrganizationStore.PoolOpening opening = PoolSwitch.openingFor(organizations, organization, period);
            LedgerStore.OpenResult result = credits.openPool(opening.pool(), opening.basis());
            if (result == LedgerStore.OpenResult.OPENED) {
                return new Opening(organization, opening.pool(), Outcome.OPENED);
            }
            // A pooled debit opened it first, or the organization moved on: read both as they now stand.
            LedgerStore.PoolView view = credits.readPool(organization.organizationId(), period, true);
            if (view.pool() != null) {
                return new Opening(view.organization() != null ? view.organization() : organization, view.pool(), Outcome.ALREADY_OPEN);
            }
            if (view.organization() == null || !view.organization().pooled()) {
                return new Opening(view.organization() != null ? view.organization() : organization, null, null);
            }
            organization = view.organization();
            if (result == LedgerStore.OpenResult.CONTENTION) {
                sleeper.pause(Duration.ofMillis(50L * attempt));
            }
        }
        throw new IllegalStateException("could not open " + period + " for the pool of " + organization.organizationId()
                + " in " + MAX_OPEN_ATTEMPTS + " attempts");
    }
}
