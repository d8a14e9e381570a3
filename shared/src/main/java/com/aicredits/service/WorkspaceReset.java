package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.observability.Log;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.ResetStore.PeriodStates;
import com.aicredits.port.ResetStore;
import java.time.Duration;
import java.time.Instant;

/**
 * One workspace's part of the monthly reset: its new period opened (the same conditional write a debit opens it
 * with), and the summary of the month that closed sent once ({@link SummaryDelivery}), unless the workspace drew from
 * its organization's pool that month: the pool's summary covers it ({@link PoolReset}).
 */
final class WorkspaceReset {
    private static final int MAX_OPEN_ATTEMPTS = 5;
    /** What a summary's marker holds as its message id when SES refused it for good to every recipient. */
    static final String PARKED = SummaryDelivery.PARKED;

    private final LedgerStore credits;
    private final ResetStore resets;
    private final SummaryDelivery summaries;
    private final SummaryEmails emails;
    private final MonthlyReset.Sleeper sleeper;

    WorkspaceReset(LedgerStore credits, ResetStore resets, SummaryDelivery summaries, SummaryEmails emails,
                   MonthlyReset.Sleeper sleeper) {
        this.credits = credits;
        this.resets = resets;
        this.summaries = summaries;
        this.emails = emails;
        this.sleeper = sleeper;
    }

    /**
     * What happened to one workspace (or one organization's pool): its period's opening (null for a pool whose
     * organization does not pool now), its summary (null when it failed before), and until when a claim it deferred
     * to holds.
     */
    record Result(ResetProgress.Outcome open, ResetProgress.Outcome summary, Instant heldUntil) {
        boolean pending() {
            return open == ResetProgress.Outcome.FAILED || summary == ResetProgress.Outcome.FAILED || summary == ResetProgress.Outcome.DEFERRED
                    || summary == ResetProgress.Outcome.UNCERTAIN;
        }
    }


    static Result failed(Workspace workspace, Throwable cause) {
        Log.warn("reset of the workspace failed; a later round retries it", "workspaceId", workspace.workspaceId(),
                "cause", String.valueOf(cause));
        return new Result(ResetProgress.Outcome.FAILED, null, null);
    }


    /** Resets {@code listed}: opens {@code opening} if it is not, then sends the summary of {@code closing} once. */
    Result reset(Workspace listed, PeriodStates state, Period opening, Period closing, Instant leaseUntil, String owner) {
        Workspace workspace = listed;
        Balance opened = state.opening();
        ResetProgress.Outcome open = ResetProgress.Outcome.ALREADY_OPEN;
        if (opened == null) {
            Opening result = open(listed, opening);
            workspace = result.workspace();
            opened = result.balance();
            open = result.outcome();
        }
        Balance closed = state.closing();
        if (closed == null) {
            return new Result(open, ResetProgress.Outcome.NOTHING_TO_SUMMARIZE, null);
        }
        if (closed.pooled()) {
            return new Result(open, ResetProgress.Outcome.POOLED, null);
        }
        if (state.summary() != null && state.summary().sent()) {
            return new Result(open, ResetProgress.Outcome.ALREADY_SENT, null);
        }
        if (workspace.notificationEmails().isEmpty()) {
            return new Result(open, ResetProgress.Outcome.NO_RECIPIENTS, null);
        }
        Workspace summarized = workspace;
        Balance next = opened;
        LedgerOwner whose = LedgerOwner.workspace(workspace.workspaceId());
        SummaryDelivery.Sent sent = summaries.deliver(whose, closing, owner, leaseUntil,
                () -> emails.summary(summarized, closed, next, resets.summaryHistory(whose, closing)));
        return new Result(open, sent.outcome(), sent.heldUntil());
    }

    private record Opening(Workspace workspace, Balance balance, ResetProgress.Outcome outcome) {
    }

    /**
     * Opens the period at the allocation of the workspace as it now stands, drawing from its organization's pool if
     * that pools now (the write checks the workspace's version and the organization's mode).
     */
    private Opening open(Workspace listed, Period period) {
        Workspace workspace = listed;
        for (int attempt = 1; attempt <= MAX_OPEN_ATTEMPTS; attempt++) {
            LedgerStore.PoolView pool = credits.readPool(workspace.organizationId(), period, true);
            Balance balance = Allocation.opening(workspace, period, pool.organization() != null && pool.organization().pooled());
            LedgerStore.OpenResult result = credits.open(balance, workspace.version());
            if (result == LedgerStore.OpenResult.OPENED) {
                return new Opening(workspace, balance, ResetProgress.Outcome.OPENED);
            }
            // Someone opened it first (a debit), or the workspace moved on: read both as they now stand.
            LedgerView view = credits.read(workspace.workspaceId(), period, null, true);
            if (view.workspace() == null) {
                throw new IllegalStateException("workspace " + workspace.workspaceId() + " disappeared");
            }
            workspace = view.workspace();
            if (view.balance() != null) {
                return new Opening(workspace, view.balance(), ResetProgress.Outcome.ALREADY_OPEN);
            }
            if (result == LedgerStore.OpenResult.CONTENTION) {
                sleeper.pause(Duration.ofMillis(50L * attempt));
            }
        }
        throw new IllegalStateException("could not open " + period + " for " + workspace.workspaceId() + " in "
                + MAX_OPEN_ATTEMPTS + " attempts");
    }
}
