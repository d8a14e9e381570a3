package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.domain.Timestamps;
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
import com.aicredits.port.ResetStore.WorkspacePage;
import com.aicredits.port.ResetStore;
import com.aicredits.service.ResetProgress.Outcome;
import com.aicredits.service.ResetProgress.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The monthly reset: for every workspace, opens the new period's balance (the same conditional write a debit opens it
 * with, so whichever comes first creates it and the other finds it) and sends the summary of the month that closed,
 * once: a marker per workspace and period is claimed with a conditional write before the email goes out, and marked
 * sent after.
 *
 * <p>One {@link #run} is one invocation's share: it pages through the workspace index until its time is nearly up and
 * says where the next invocation goes on ({@link ResetProgress#next()}). What a round could not finish (an email
 * not accepted, a claim held by another run) is pending; the next round, from the start, redoes only that, reading
 * before it writes. A claim's lease ends with its holder's invocation, so a claim left by a crash is taken over once
 * that invocation can no longer be running.
 */
public final class MonthlyReset {
    /** How far ahead of now an event's time may be (clock skew), as for a debit's occurredAt. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    private static final int MAX_OPEN_ATTEMPTS = 5;
    /**
     * How long a summary whose send may have been accepted (SES timed out, say) waits before it is sent again: in an
     * SES brownout it spaces the copies out, instead of one more per round.
     */
    public static final Duration UNCERTAIN_RESEND_WAIT = Duration.ofMinutes(1);

    /**
     * @param pageSize    workspaces read from the index at a time
     * @param concurrency workspaces reset at once (bounded also by the SES sending rate)
     * @param reserve     time left unused at the end of an invocation, beyond the longest page so far
     * @param leaseMargin added to an invocation's deadline to make its claims' lease (clock skew between hosts)
     * @param roundPause  the least pause before a next round (lets a throttled SES recover)
     * @param maxRounds   rounds before the reset gives up on what is still pending
     */
    public record Settings(int pageSize, int concurrency, Duration reserve, Duration leaseMargin, Duration roundPause, int maxRounds) {
        public static Settings defaults() {
            return new Settings(100, 8, Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30), 4);
        }

        public Settings withPaging(int newPageSize, int newConcurrency) {
            return new Settings(newPageSize, newConcurrency, reserve, leaseMargin, roundPause, maxRounds);
        }
    }

    /** Waits; tests move their clock instead. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final LedgerStore credits;
    private final ResetStore resets;
    private final Mailer mailer;
    private final SummaryEmails emails;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;

    public MonthlyReset(LedgerStore credits, ResetStore resets, Mailer mailer, SummaryEmails emails, Clock clock,
                        Sleeper sleeper, Settings settings) {
        this.credits = credits;
        this.resets = resets;
        this.mailer = mailer;
        this.emails = emails;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settings = settings;
    }

    /**
     * The period a reset triggered at {@code eventTime} opens: the month of that time (on the 1st at 00:00 UTC, the
     * month that just began; a late or manual run resets the month it runs in). A time more than 5 minutes ahead of
     * {@code now} is refused (400): nobody may open a month early. So is a time before the previous period, the
     * earliest a debit may book into: an older period takes no debit, so opening it (for every workspace) and
     * summarising the month before it would serve nothing; a redrive of last month's failed reset still runs.
     */
    public static Period periodToOpen(Instant eventTime, Instant now) {
        if (eventTime.isAfter(now.plus(MAX_FUTURE_SKEW))) {
            throw CreditsException.invalid("time", "the event's time may be at most 5 minutes in the future; got "
                    + Timestamps.format(eventTime) + " at " + Timestamps.format(now));
        }
        Instant earliest = Period.of(now).previous().start();
        if (eventTime.isBefore(earliest)) {
            throw CreditsException.invalid("time", "the event's time must be no earlier than "
                    + Timestamps.format(earliest) + " (the start of the previous period); got " + Timestamps.format(eventTime));
        }
        return Period.of(eventTime);
    }

    /** Refuses (400) a cursor this reset cannot have handed on: one past the last index shard or the last round. */
    public void check(ResetCursor cursor) {
        if (cursor.shard() > resets.workspaceShards()) {
            throw CreditsException.invalid("cursor", "cursor.shard must be at most " + resets.workspaceShards()
                    + "; got " + cursor.shard());
        }
        if (cursor.round() > settings.maxRounds()) {
            throw CreditsException.invalid("cursor", "cursor.round must be at most " + settings.maxRounds()
                    + "; got " + cursor.round());
        }
    }

    /**
     * Resets from {@code cursor} until done or until {@code deadline} draws near; {@code invocation} names this
     * invocation. Its claims' owner adds a token of this run to it: a Lambda retry of the same request (same id) is
     * another claimant, and must not take the claims of a run that may still be sending as its own.
     */
    public ResetProgress run(ResetCursor cursor, Instant deadline, String invocation) {
        check(cursor);
        String owner = invocation + "/" + UUID.randomUUID();
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        Period opening = cursor.period();
        Period closing = opening.previous();
        Instant leaseUntil = deadline.plus(settings.leaseMargin());
        ResetCursor position = cursor;
        Duration longestPage = Duration.ZERO;
        int pages = 0;
        ExecutorService workers = settings.concurrency() > 1 ? Executors.newFixedThreadPool(settings.concurrency()) : null;
        try {
            while (true) {
                if (position.notBefore() != null) {
                    // A round waits for the leases it defers to: in this invocation as far as it can, else in the next.
                    Instant now = clock.instant();
                    Duration affordable = Duration.between(now, deadline).minus(settings.reserve());
                    Duration wait = Duration.between(now, position.notBefore());
                    pause(wait.compareTo(affordable) <= 0 ? wait : affordable);
                    if (clock.instant().isBefore(position.notBefore())) {
                        return finish(cursor, Status.CONTINUE, position, pages, counts);
                    }
                    position = position.started();
                }
                if (position.shard() >= resets.workspaceShards()) {
                    if (position.pending() == 0) {
                        return finish(cursor, Status.DONE, null, pages, counts);
                    }
                    if (position.round() >= settings.maxRounds()) {
                        return finish(cursor, Status.INCOMPLETE, position, pages, counts);
                    }
                    Instant start = clock.instant().plus(settings.roundPause());
                    position = position.nextRound(position.retryAt() != null && position.retryAt().isAfter(start)
                            ? position.retryAt() : start);
                    continue;
                }
                Instant pageStart = clock.instant();
                if (pageStart.plus(longestPage).plus(settings.reserve()).isAfter(deadline)) {
                    return finish(cursor, Status.CONTINUE, position, pages, counts);
                }
                WorkspacePage page = resets.workspaces(position.shard(), position.after(), settings.pageSize());
                long pending = 0;
                Instant heldUntil = null;
                for (WorkspaceOutcome outcome : resetPage(page.workspaces(), opening, closing, leaseUntil, owner, workers)) {
                    counts.merge(outcome.open(), 1L, Long::sum);
                    if (outcome.summary() != null) {
                        counts.merge(outcome.summary(), 1L, Long::sum);
                    }
                    if (outcome.pending()) {
                        pending++;
                    }
                    if (outcome.heldUntil() != null && (heldUntil == null || outcome.heldUntil().isAfter(heldUntil))) {
                        heldUntil = outcome.heldUntil();
                    }
                }
                position = position.afterPage(page.last(), pending, heldUntil);
                pages++;
                Duration took = Duration.between(pageStart, clock.instant());
                if (took.compareTo(longestPage) > 0) {
                    longestPage = took;
                }
            }
        } finally {
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }

    private ResetProgress finish(ResetCursor from, Status status, ResetCursor next, int pages, Map<Outcome, Long> counts) {
        ResetProgress progress = new ResetProgress(from, status, next, pages, counts);
        Log.info("reset progress", "progress", progress.toMap());
        return progress;
    }

    /**
     * What happened to one workspace: its period's opening, its summary (null when it failed before), and until when
     * a claim it deferred to holds.
     */
    private record WorkspaceOutcome(Outcome open, Outcome summary, Instant heldUntil) {
        boolean pending() {
            return open == Outcome.FAILED || summary == Outcome.FAILED || summary == Outcome.DEFERRED
                    || summary == Outcome.UNCERTAIN;
        }
    }

    private List<WorkspaceOutcome> resetPage(List<Workspace> workspaces, Period opening, Period closing, Instant leaseUntil,
                                             String owner, ExecutorService workers) {
        if (workspaces.isEmpty()) {
            return List.of();
        }
        Map<String, PeriodStates> states = resets.states(workspaces.stream().map(Workspace::workspaceId).toList(), opening, closing);
        List<Callable<WorkspaceOutcome>> tasks = new ArrayList<>();
        for (Workspace workspace : workspaces) {
            tasks.add(() -> reset(workspace, states.get(workspace.workspaceId()), opening, closing, leaseUntil, owner));
        }
        List<WorkspaceOutcome> outcomes = new ArrayList<>();
        if (workers == null) {
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    outcomes.add(tasks.get(i).call());
                } catch (Exception e) {
                    outcomes.add(failed(workspaces.get(i), e));
                }
            }
            return outcomes;
        }
        Error crash = null;
        try {
            List<Future<WorkspaceOutcome>> futures = workers.invokeAll(tasks);
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    outcomes.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        crash = error;
                    } else {
                        outcomes.add(failed(workspaces.get(i), e.getCause()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting a page of workspaces", e);
        }
        if (crash != null) {
            // Not ours to handle (out of memory, ...): the invocation dies as it would; its claims' leases run out with it.
            throw crash;
        }
        return outcomes;
    }

    private static WorkspaceOutcome failed(Workspace workspace, Throwable cause) {
        Log.warn("reset of the workspace failed; a later round retries it", "workspaceId", workspace.workspaceId(),
                "cause", String.valueOf(cause));
        return new WorkspaceOutcome(Outcome.FAILED, null, null);
    }

    private WorkspaceOutcome reset(Workspace listed, PeriodStates state, Period opening, Period closing, Instant leaseUntil,
                                   String owner) {
        Workspace workspace = listed;
        Balance opened = state.opening();
        Outcome open = Outcome.ALREADY_OPEN;
        if (opened == null) {
            Opening result = open(listed, opening);
            workspace = result.workspace();
            opened = result.balance();
            open = result.outcome();
        }
        Balance closed = state.closing();
        if (closed == null) {
            return new WorkspaceOutcome(open, Outcome.NOTHING_TO_SUMMARIZE, null);
        }
        if (state.summary() != null && state.summary().sent()) {
            return new WorkspaceOutcome(open, Outcome.ALREADY_SENT, null);
        }
        if (workspace.notificationEmails().isEmpty()) {
            return new WorkspaceOutcome(open, Outcome.NO_RECIPIENTS, null);
        }
        String id = workspace.workspaceId();
        switch (resets.claimSummary(id, closing, owner, clock.instant(), leaseUntil)) {
            case Claim.AlreadySent sent -> {
                return new WorkspaceOutcome(open, Outcome.ALREADY_SENT, null);
            }
            case Claim.HeldUntil held -> {
                return new WorkspaceOutcome(open, Outcome.DEFERRED, held.leaseUntil());
            }
            case Claim.Claimed claimed -> {
                String messageId;
                try {
                    Email email = emails.summary(workspace, closed, opened, resets.summaryHistory(id, closing));
                    messageId = send(email, id, closing);
                } catch (RuntimeException e) {
                    if (e instanceof MailDeliveryException mail && mail.outcomeUnknown()) {
                        // SES may have accepted it and cannot be asked: no resend before the wait, at most one more copy.
                        Instant resendFrom = clock.instant().plus(UNCERTAIN_RESEND_WAIT);
                        resets.releaseSummary(id, closing, owner, resendFrom);
                        Log.warn("summary may have been sent; a round after the wait sends it again", "workspaceId", id,
                                "period", closing.toString(), "cause", e.getMessage());
                        return new WorkspaceOutcome(open, Outcome.UNCERTAIN, resendFrom);
                    }
                    resets.releaseSummary(id, closing, owner, Instant.EPOCH);
                    Log.warn("summary not sent; a later round retries", "workspaceId", id, "period", closing.toString(),
                            "cause", e.getMessage());
                    return new WorkspaceOutcome(open, Outcome.FAILED, null);
                }
                // Between the send and this mark is the one window where a crash sends the summary twice.
                if (!resets.markSummarySent(id, closing, owner, messageId, clock.instant())) {
                    Log.warn("the claim on the summary ran out before it was marked sent; it may be sent again",
                            "workspaceId", id, "period", closing.toString());
                }
                return new WorkspaceOutcome(open, messageId.equals(PARKED) ? Outcome.PARKED : Outcome.SENT, null);
            }
        }
    }

    /** What a summary's marker holds as its message id when SES refused it for good to every recipient. */
    static final String PARKED = "parked";

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

    private record Opening(Workspace workspace, Balance balance, Outcome outcome) {
    }

    /** Opens the period at the allocation of the workspace as it now stands (the write checks its version). */
    private Opening open(Workspace listed, Period period) {
        Workspace workspace = listed;
        for (int attempt = 1; attempt <= MAX_OPEN_ATTEMPTS; attempt++) {
            Balance balance = Allocation.opening(workspace, period);
            LedgerStore.OpenResult result = credits.open(balance, workspace.version());
            if (result == LedgerStore.OpenResult.OPENED) {
                return new Opening(workspace, balance, Outcome.OPENED);
            }
            // Someone opened it first (a debit), or the workspace moved on: read both as they now stand.
            LedgerView view = credits.read(workspace.workspaceId(), period, null, true);
            if (view.workspace() == null) {
                throw new IllegalStateException("workspace " + workspace.workspaceId() + " disappeared");
            }
            workspace = view.workspace();
            if (view.balance() != null) {
                return new Opening(workspace, view.balance(), Outcome.ALREADY_OPEN);
            }
            if (result == LedgerStore.OpenResult.CONTENTION) {
                pause(Duration.ofMillis(50L * attempt));
            }
        }
        throw new IllegalStateException("could not open " + period + " for " + workspace.workspaceId() + " in "
                + MAX_OPEN_ATTEMPTS + " attempts");
    }

    private void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
