package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.Email;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.observability.Log;
import com.aicredits.observability.Metrics;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import com.aicredits.port.ResetStore.Claim;
import com.aicredits.port.ResetStore.PeriodStates;
import com.aicredits.port.ResetStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One workspace's part of the monthly reset: its new period opened (the same conditional write a debit opens it
 * with), and the summary of the month that closed sent once, under a claimed marker, to every recipient SES takes.
 */
final class WorkspaceReset {
    private static final int MAX_OPEN_ATTEMPTS = 5;
    /** What a summary's marker holds as its message id when SES refused it for good to every recipient. */
    static final String PARKED = "parked";

    private final LedgerStore credits;
    private final ResetStore resets;
    private final Mailer mailer;
    private final SummaryEmails emails;
    private final Clock clock;
    private final MonthlyReset.Sleeper sleeper;

    WorkspaceReset(LedgerStore credits, ResetStore resets, Mailer mailer, SummaryEmails emails, Clock clock,
                   MonthlyReset.Sleeper sleeper) {
        this.credits = credits;
        this.resets = resets;
        this.mailer = mailer;
        this.emails = emails;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * What happened to one workspace: its period's opening, its summary (null when it failed before), and until when
     * a claim it deferred to holds.
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
        if (state.summary() != null && state.summary().sent()) {
            return new Result(open, ResetProgress.Outcome.ALREADY_SENT, null);
        }
        if (workspace.notificationEmails().isEmpty()) {
            return new Result(open, ResetProgress.Outcome.NO_RECIPIENTS, null);
        }
        String id = workspace.workspaceId();
        switch (resets.claimSummary(id, closing, owner, clock.instant(), leaseUntil)) {
            case Claim.AlreadySent sent -> {
                return new Result(open, ResetProgress.Outcome.ALREADY_SENT, null);
            }
            case Claim.HeldUntil held -> {
                return new Result(open, ResetProgress.Outcome.DEFERRED, held.leaseUntil());
            }
            case Claim.Claimed claimed -> {
                String messageId;
                try {
                    Email email = emails.summary(workspace, closed, opened, resets.summaryHistory(id, closing));
                    messageId = send(email, id, closing);
                } catch (RuntimeException e) {
                    if (e instanceof MailDeliveryException mail && mail.outcomeUnknown()) {
                        // SES may have accepted it and cannot be asked: no resend before the wait, at most one more copy.
                        Instant resendFrom = clock.instant().plus(MonthlyReset.UNCERTAIN_RESEND_WAIT);
                        resets.releaseSummary(id, closing, owner, resendFrom);
                        Log.warn("summary may have been sent; a round after the wait sends it again", "workspaceId", id,
                                "period", closing.toString(), "cause", e.getMessage());
                        return new Result(open, ResetProgress.Outcome.UNCERTAIN, resendFrom);
                    }
                    resets.releaseSummary(id, closing, owner, Instant.EPOCH);
                    Log.warn("summary not sent; a later round retries", "workspaceId", id, "period", closing.toString(),
                            "cause", e.getMessage());
                    return new Result(open, ResetProgress.Outcome.FAILED, null);
                }
                // Between the send and this mark is the one window where a crash sends the summary twice.
                if (!resets.markSummarySent(id, closing, owner, messageId, clock.instant())) {
                    Log.warn("the claim on the summary ran out before it was marked sent; it may be sent again",
                            "workspaceId", id, "period", closing.toString());
                }
                return new Result(open, messageId.equals(PARKED) ? ResetProgress.Outcome.PARKED : ResetProgress.Outcome.SENT, null);
            }
        }
    }

    /**
     * Sends the summary to all its recipients at once; when SES refuses it for good (an address it will never take),
     * to each recipient alone, so that one bad address does not hold back the others, and the ones SES refuses are
     * parked (logged, metered) rather than retried every round and every month. Returns the message id of a send
     * that went out, or {@link #PARKED} when none did. A temporary failure of a recipient's own send is thrown as any
     * failed send is (a later round sends the summary again, to each recipient: those served here get a second copy).
     */
    private String send(Email email, String workspaceId, Period period) {
        try {
            return mailer.send(email);
        } catch (MailDeliveryException refused) {
            if (!refused.permanent()) {
                throw refused;
            }
            if (email.to().size() == 1) {
                park(email.to().getFirst(), workspaceId, period, refused);
                return PARKED;
            }
        }
        String messageId = PARKED;
        for (String recipient : email.to()) {
            try {
                messageId = mailer.send(email.forRecipient(recipient));
            } catch (MailDeliveryException refused) {
                if (!refused.permanent()) {
                    throw refused;
                }
                park(recipient, workspaceId, period, refused);
            }
        }
        return messageId;
    }

    private static void park(String recipient, String workspaceId, Period period, MailDeliveryException refused) {
        Log.warn("SES refuses the summary to this recipient for good; it is parked, not retried", "workspaceId", workspaceId,
                "period", period.toString(), "recipient", recipient, "cause", refused.getMessage());
        Metrics.emailParked("summary", period.toString(), refused.getMessage());
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
