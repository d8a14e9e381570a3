package com.aicredits.service;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.domain.Timestamps;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.observability.Log;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.Mailer;
import com.aicredits.port.OrganizationStore;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
 *
 * <p>Organizations' credit pools ride on the same pages: after a page's workspaces, each organization they belong to
 * (the distinct organizationIds of the page, each once per invocation once settled) has its pool reset by
 * {@link PoolReset}: its new period opened if it pools, and one pool summary of the closed month, under a marker as a
 * workspace's; what is left pending counts with the page's, so later rounds redo it as they redo a workspace's.
 *
 * <p>Here: the event-time rule (the ledger's accepted window, {@code Period.accepted}) and the paging loop with its
 * rounds, leases and cursor; a workspace's own reset is {@link WorkspaceReset}'s, a page's workspaces run on
 * {@link ResetWorkers}.
 */
public final class MonthlyReset {
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

        /** Sleeps {@code duration} if positive; an interruption ends the reset's invocation. */
        default void pause(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            try {
                sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }

    private final ResetStore resets;
    private final WorkspaceReset workspaceReset;
    private final PoolReset poolReset;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;

    public MonthlyReset(LedgerStore credits, OrganizationStore organizations, ResetStore resets, Mailer mailer,
                        SummaryEmails emails, Clock clock, Sleeper sleeper, Settings settings) {
        this.resets = resets;
        SummaryDelivery summaries = new SummaryDelivery(resets, mailer, clock);
        this.workspaceReset = new WorkspaceReset(credits, resets, summaries, emails, sleeper);
        this.poolReset = new PoolReset(credits, organizations, resets, summaries, emails, sleeper);
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
        switch (Period.accepted(eventTime, now)) {
            case AHEAD -> throw CreditsException.invalid("time", "the event's time may be at most 5 minutes in the future; got "
                    + Timestamps.format(eventTime) + " at " + Timestamps.format(now));
            case TOO_OLD -> throw CreditsException.invalid("time", "the event's time must be no earlier than "
                    + Timestamps.format(Period.earliestAccepted(now)) + " (the start of the previous period); got "
                    + Timestamps.format(eventTime));
            case ACCEPTED -> {
            }
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
        Map<Outcome, Long> poolCounts = new EnumMap<>(Outcome.class);
        // Organizations whose pool this invocation finished with: their other workspaces' pages skip them.
        Set<String> settledPools = new HashSet<>();
        Period opening = cursor.period();
        Period closing = opening.previous();
        Instant leaseUntil = deadline.plus(settings.leaseMargin());
        ResetCursor position = cursor;
        Duration longestPage = Duration.ZERO;
        int pages = 0;
        try (ResetWorkers workers = new ResetWorkers(settings.concurrency())) {
            while (true) {
                if (position.notBefore() != null) {
                    // A round waits for the leases it defers to: in this invocation as far as it can, else in the next.
                    Instant now = clock.instant();
                    Duration affordable = Duration.between(now, deadline).minus(settings.reserve());
                    Duration wait = Duration.between(now, position.notBefore());
                    sleeper.pause(wait.compareTo(affordable) <= 0 ? wait : affordable);
                    if (clock.instant().isBefore(position.notBefore())) {
                        return finish(cursor, Status.CONTINUE, position, pages, counts, poolCounts);
                    }
                    position = position.started();
                }
                if (position.shard() >= resets.workspaceShards()) {
                    if (position.pending() == 0) {
                        return finish(cursor, Status.DONE, null, pages, counts, poolCounts);
                    }
                    if (position.round() >= settings.maxRounds()) {
                        return finish(cursor, Status.INCOMPLETE, position, pages, counts, poolCounts);
                    }
                    Instant start = clock.instant().plus(settings.roundPause());
                    position = position.nextRound(position.retryAt() != null && position.retryAt().isAfter(start)
                            ? position.retryAt() : start);
                    continue;
                }
                Instant pageStart = clock.instant();
                if (pageStart.plus(longestPage).plus(settings.reserve()).isAfter(deadline)) {
                    return finish(cursor, Status.CONTINUE, position, pages, counts, poolCounts);
                }
                WorkspacePage page = resets.workspaces(position.shard(), position.after(), settings.pageSize());
                long pending = 0;
                Instant heldUntil = null;
                for (WorkspaceReset.Result outcome : resetPage(page.workspaces(), opening, closing, leaseUntil, owner, workers)) {
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
                for (WorkspaceReset.Result outcome : resetPools(page.workspaces(), settledPools, opening, closing, leaseUntil, owner)) {
                    if (outcome.open() != null) {
                        poolCounts.merge(outcome.open(), 1L, Long::sum);
                    }
                    if (outcome.summary() != null) {
                        poolCounts.merge(outcome.summary(), 1L, Long::sum);
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
        }
    }

    private ResetProgress finish(ResetCursor from, Status status, ResetCursor next, int pages, Map<Outcome, Long> counts,
                                 Map<Outcome, Long> poolCounts) {
        ResetProgress progress = new ResetProgress(from, status, next, pages, counts, poolCounts);
        Log.info("reset progress", "progress", progress.toMap());
        return progress;
    }

    private List<WorkspaceReset.Result> resetPage(List<Workspace> workspaces, Period opening, Period closing,
                                                   Instant leaseUntil, String owner, ResetWorkers workers) {
        if (workspaces.isEmpty()) {
            return List.of();
        }
        Map<String, PeriodStates> states = resets.states(workspaces.stream().map(Workspace::workspaceId).toList(), opening, closing);
        return workers.resetAll(workspaces,
                workspace -> workspaceReset.reset(workspace, states.get(workspace.workspaceId()), opening, closing, leaseUntil, owner));
    }

    /**
     * The pools of the page's organizations not settled yet in this invocation, one after the other (a page holds few
     * organizations; each pool sends at most one email). One whose pool is left pending is tried again where the
     * reset meets it next (another of its workspaces, or the next round); a settled one is added to {@code settled}.
     */
    private List<WorkspaceReset.Result> resetPools(List<Workspace> workspaces, Set<String> settled, Period opening,
                                                    Period closing, Instant leaseUntil, String owner) {
        Set<String> organizationIds = new LinkedHashSet<>();
        for (Workspace workspace : workspaces) {
            if (!settled.contains(workspace.organizationId())) {
                organizationIds.add(workspace.organizationId());
            }
        }
        if (organizationIds.isEmpty()) {
            return List.of();
        }
        List<WorkspaceReset.Result> results = new ArrayList<>();
        Map<String, ResetStore.PoolStates> states;
        try {
            states = resets.poolStates(organizationIds, opening, closing);
        } catch (RuntimeException e) {
            organizationIds.forEach(id -> results.add(PoolReset.failed(id, e)));
            return results;
        }
        for (String organizationId : organizationIds) {
            WorkspaceReset.Result result;
            try {
                result = poolReset.reset(organizationId, states.get(organizationId), opening, closing, leaseUntil, owner);
            } catch (RuntimeException e) {
                result = PoolReset.failed(organizationId, e);
            }
            if (!result.pending()) {
                settled.add(organizationId);
            }
            results.add(result);
        }
        return results;
    }

}
