package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Charge;
import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Price;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Timestamps;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.observability.Log;
import com.aicredits.port.LedgerStore.AppendResult;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.port.LedgerStore.StoredRecord;
import com.aicredits.port.CreditStore;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.OrganizationStore.PoolOpening;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Records AI runs exactly once. Each new run is one conditional transaction: the record's Put succeeds only for
 * a new executionId, and the balance's Update only at the revision the debit was computed from (a workspace drawing
 * from its organization's pool moves the pool's balance too, at its revision and under its hard limit). A lost race
 * returns the fresh balance and the debit is recomputed at once; a replay returns the stored record.
 */
public final class DebitService {
    private final CreditStore store;
    private final PriceCatalog catalog;
    private final Clock clock;
    /** How long a debit keeps trying against lost races and conflicts before a 503 (see {@link Retries}). */
    private final Retries retries;
    private final BalanceCache cache = new BalanceCache(10_000);
    /**
     * The last pool ledgers this container saw, per organization and period (a hint, as {@link #cache} is; only pooled
     * balances draw from them, so their pool is enabled).
     */
    private final BalanceCache pools = new BalanceCache(1_000);
    /**
     * Threads of one container take turns per balance: racing each other would only waste transactions. (A Lambda
     * container runs one request at a time; the local stack and the tests run many.) Striped to stay bounded.
     */
    private final ReentrantLock[] balanceLocks = new ReentrantLock[64];

    public DebitService(CreditStore store, PriceCatalog catalog, Clock clock, Retries retries) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.retries = retries;
        for (int i = 0; i < balanceLocks.length; i++) {
            balanceLocks[i] = new ReentrantLock(true);
        }
    }

    public DebitOutcome record(String workspaceId, RecordExecution request) {
        return record(workspaceId, request, null);
    }

    /**
     * As above, giving up on contention (503) by the time the caller said it waits ({@code within}, from now; null: it
     * did not say), and within the service's own budget of retrying. That budget starts once this thread has its
     * container's turn on the balance: it measures contention in DynamoDB, and a Lambda container, which runs one
     * request at a time, never waits for a turn (the local stack's and the tests' containers run many threads).
     */
    public DebitOutcome record(String workspaceId, RecordExecution request, Duration within) {
        Retries.Deadline callers = within == null ? null : retries.start(within);
        String executionId = checkedExecutionId(workspaceId, request);
        ExecutionModel model = ExecutionModel.parse(request.model());
        String llmModel = Ids.llmModel(request.llmModel());
        Run run = run(workspaceId, executionId, request, clock.instant());
        if (run.recorded() != null) {
            return replay(run.recorded().record(), request.activity(), model, llmModel, executionId);
        }
        Instant occurredAt = run.occurredAt();
        Price price = run.price();
        Period period = Period.of(occurredAt);
        ReentrantLock lock = stripe(workspaceId, period);
        lock.lock();
        try {
            Retries.Deadline deadline = retries.start().notAfter(callers);
            return append(workspaceId, executionId, request.activity(), model, llmModel, occurredAt, period, price, deadline);
        } finally {
            lock.unlock();
        }
    }

    private DebitOutcome append(String workspaceId, String executionId, String activity, ExecutionModel model,
                                String llmModel, Instant occurredAt, Period period, Price price, Retries.Deadline deadline) {
        Balance balance = cache.get(workspaceId, period);
        Workspace workspace = null;
        // The pool's balance, once a pooled balance needs it (null: not read yet).
        PoolOpening pool = null;
        boolean consistent = false;
        boolean again = true;
        while (again) {
            if (balance == null) {
                LedgerView view = store.read(workspaceId, period, null, consistent);
                if (view.workspace() == null && !consistent) {
                    // An eventually consistent read can miss a workspace created a moment ago: a 404 is confirmed on a
                    // consistent read, as a 402 or a 403 is.
                    view = store.read(workspaceId, period, null, true);
                }
                workspace = requireWorkspace(view, workspaceId);
                balance = view.balance();
            }
            Balance before = balance != null ? balance : opening(workspace, period, consistent);
            if (before.pooled() && pool == null) {
                pool = pool(before, period, consistent);
                if (pool == null) {
                    // The organization no longer pools, by a read that may be stale: read everything consistently.
                    again = deadline.timeLeft();
                    balance = null;
                    consistent = true;
                    continue;
                }
            }
            if (!before.pooled()) {
                pool = null;
            }
            Charge charge = Charge.of(price, before.pricingModel(), model, llmModel);
            Optional<CreditsException> refusal = refusal(before, pool, charge);
            if (refusal.isPresent()) {
                // Never refuse on a cached or eventually consistent view: confirm on a consistent read, which also
                // finds a replay (a recorded execution is answered even if the pool is now exhausted).
                LedgerView fresh = store.read(workspaceId, period, executionId, true);
                if (fresh.record() != null) {
                    return replay(fresh.record(), activity, model, llmModel, executionId);
                }
                workspace = requireWorkspace(fresh, workspaceId);
                balance = fresh.balance();
                before = balance != null ? balance : opening(workspace, period, true);
                pool = before.pooled() ? pool(before, period, true) : null;
                if (before.pooled() && pool == null) {
                    again = deadline.timeLeft();
                    balance = null;
                    consistent = true;
                    continue;
                }
                charge = Charge.of(price, before.pricingModel(), model, llmModel);
                refusal = refusal(before, pool, charge);
                if (refusal.isPresent()) {
                    if (pool == null) {
                        markBlocked(balance, refusal.get());
                    } else if (pool.basis() == null) {
                        markPoolBlocked(pool.pool().ledger(), refusal.get());
                    }
                    throw refusal.get();
                }
            }
            Balance after = before.debit(charge, occurredAt);
            long workspaceVersion = balance == null ? workspace.version() : 0;
            AppendResult result;
            PoolBalance poolAfter = null;
            UsageRecord record;
            if (pool != null) {
                poolAfter = pool.pool().debit(charge, occurredAt);
                record = UsageRecord.pooled(executionId, charge, pool.pool(), poolAfter, after, occurredAt, clock.instant());
                result = store.appendPooled(new LedgerStore.PooledAppend(record, balance, after, workspaceVersion,
                        pool.basis() != null ? null : pool.pool(), poolAfter, pool.basis()));
            } else {
                record = UsageRecord.between(executionId, charge, before, after, occurredAt, clock.instant());
                result = store.append(new LedgerStore.LedgerAppend(record, balance, after, workspaceVersion));
            }
            switch (result) {
                case AppendResult.Committed committed -> {
                    cache.offer(after);
                    if (poolAfter != null) {
                        pools.offer(poolAfter.ledger());
                    }
                    return DebitOutcome.created(committed.body(), record);
                }
                case AppendResult.AlreadyRecorded recorded -> {
                    return replay(recorded.existing(), activity, model, llmModel, executionId);
                }
                case AppendResult.BalanceChanged changed -> {
                    // Another debit committed first and its balance came back: try again at once. Backing off here
                    // would only let the winner's container commit again meanwhile, and starve this one.
                    again = deadline.timeLeft();
                    balance = changed.fresh();
                    pool = null;
                    if (balance != null) {
                        cache.offer(balance);
                    } else {
                        cache.forget(workspaceId, period);
                    }
                }
                case AppendResult.PoolChanged changed -> {
                    // Another workspace of the organization debited the pool first: the same, on the pool's balance.
                    again = deadline.timeLeft();
                    pool = changed.fresh() == null ? null : new PoolOpening(changed.fresh(), null);
                    if (changed.fresh() != null) {
                        pools.offer(changed.fresh().ledger());
                    } else {
                        pools.forget(before.organizationId(), period);
                    }
                }
                case AppendResult.WorkspaceChanged changed -> {
                    // The workspace moved on from the version read (or that read was stale), or its organization
                    // switched its pool: read them consistently.
                    again = deadline.timeLeft();
                    balance = null;
                    pool = null;
                    consistent = true;
                }
                case AppendResult.Contention contention -> {
                    // Cancelled for another transaction on the balance, which most likely moved it: read it again after
                    // the pause, as the batch does.
                    again = deadline.backOff();
                    balance = null;
                    pool = null;
                    consistent = true;
                }
            }
        }
        // Nothing got through for the whole budget: DynamoDB let no transaction of this balance commit, an outage.
        throw new CreditsException(Refusal.CONTENTION, "the workspace's balance is too busy right now; retry with the same executionId");
    }

    /** Why the run is refused: the workspace's Cases and BYOS rules, then its pool's hard limit or its own. */
    private static Optional<CreditsException> refusal(Balance balance, PoolOpening pool, Charge charge) {
        return pool == null ? balance.refusal(charge) : balance.accessRefusal(charge).or(() -> pool.pool().refusal(charge));
    }

    /**
     * The period's opening for the workspace: pooled if its organization pools now. The opening's write checks the
     * organization's mode, so a first try assumes none (most organizations do not pool: no read) and a refused one reads
     * it ({@code consistent}, after the write came back as {@link AppendResult.WorkspaceChanged}).
     */
    private Balance opening(Workspace workspace, Period period, boolean consistent) {
        if (!consistent) {
            return Allocation.opening(workspace, period);
        }
        LedgerStore.PoolView view = store.readPool(workspace.organizationId(), period, true);
        return Allocation.opening(workspace, period, view.organization() != null && view.organization().pooled());
    }

    /**
     * The pool a pooled balance draws from: as last seen, else read; not open yet, its opening from its workspaces'
     * allocations. Null when the organization does not pool (then the balance read is stale, or the read of the
     * organization is).
     */
    private PoolOpening pool(Balance balance, Period period, boolean consistent) {
        Balance known = consistent ? null : pools.get(balance.organizationId(), period);
        if (known != null) {
            return new PoolOpening(new PoolBalance(true, known), null);
        }
        return PoolSwitch.drawnFrom(store, store.readPool(balance.organizationId(), period, consistent), period);
    }

    /**
     * The period's first debit refused for the hard limit marks the balance {@code blockedAt} (once: the only write a
     * refusal makes; the run leaves no trace), which fires the hard limit's alert from the stream. The refusal is
     * answered whatever this write does: a failed mark is tried again by the next refusal, which still sees none.
     */
    private void markBlocked(Balance balance, CreditsException refusal) {
        if (balance != null) {
            markAtHardLimit(balance, refusal, "the balance",
                    () -> store.markBlocked(balance.workspaceId(), balance.period(), clock.instant()));
        }
    }

    /** As {@link #markBlocked}, for the pool's balance: the pool's first refusal for its hard limit fires its alert. */
    private void markPoolBlocked(Balance pool, CreditsException refusal) {
        markAtHardLimit(pool, refusal, "the organization's pool",
                () -> store.markPoolBlocked(pool.organizationId(), pool.period(), clock.instant()), "organizationId", pool.organizationId());
    }

    /**
     * Marks a balance refused at its hard limit ({@code blockedAt}, once), which fires its alert from the stream; a mark
     * that fails is only logged: the next refusal tries again. {@code owner}: log fields naming whose balance it is.
     */
    private static void markAtHardLimit(Balance balance, CreditsException refusal, String what, BooleanSupplier mark,
                                        Object... owner) {
        if (balance.blockedAt() != null || refusal.refusal() != Refusal.HARD_LIMIT) {
            return;
        }
        try {
            if (mark.getAsBoolean()) {
                Log.info(what + " is blocked at its hard limit; its alert fires from the stream", fields(owner, "period",
                        balance.period().toString(), "hardLimitCredits", balance.hardLimitCredits(), "creditsUsed", balance.used()));
            }
        } catch (RuntimeException e) {
            Log.warn("could not mark " + what + " blocked; the next refusal tries again",
                    fields(owner, "period", balance.period().toString(), "cause", String.valueOf(e)));
        }
    }

    private static Object[] fields(Object[] first, Object... then) {
        Object[] all = Arrays.copyOf(first, first.length + then.length);
        System.arraycopy(then, 0, all, first.length, then.length);
        return all;
    }

    /** The most runs one batch may carry. */
    public static final int MAX_BATCH = 100;

    /** One item's answer in a batch: its debit (a new record or a replay), or why it was refused. */
    public record BatchAnswer(DebitOutcome outcome, CreditsException refusal) {
        static BatchAnswer created(String body, UsageRecord record) {
            return new BatchAnswer(DebitOutcome.created(body, record), null);
        }

        static BatchAnswer refused(CreditsException refusal) {
            return new BatchAnswer(null, refusal);
        }

        /** What {@code answer} returns, or the refusal it throws. */
        static BatchAnswer of(java.util.function.Supplier<DebitOutcome> answer) {
            try {
                return new BatchAnswer(answer.get(), null);
            } catch (CreditsException refused) {
                return refused(refused);
            }
        }
    }

    /**
     * Records a batch of runs into one workspace: one answer per item, in order, each what a single call of that item
     * would have answered had the items been sent one after another (see {@link BatchDebit}). The batch's own errors
     * (empty, over {@value #MAX_BATCH} items, an executionId twice, an unknown workspace) are thrown; so is a 503 when
     * the balance let nothing through by the deadline (the runs committed before stay, and replay when sent again).
     */
    public List<BatchAnswer> recordBatch(String workspaceId, List<RecordExecution> requests, Duration within) {
        Ids.workspaceId(workspaceId);
        if (requests == null || requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw CreditsException.invalid("executions", "executions must hold 1 to " + MAX_BATCH + " runs; got "
                    + (requests == null ? 0 : requests.size()));
        }
        Set<String> ids = new HashSet<>();
        for (RecordExecution request : requests) {
            if (request != null && request.executionId() != null && !ids.add(request.executionId())) {
                throw CreditsException.invalid("executions", "executionId " + CreditsException.quote(request.executionId())
                        + " appears twice in the batch; each run needs its own executionId");
            }
        }
        Retries.Deadline callers = within == null ? null : retries.start(within);
        Instant now = clock.instant();
        BatchAnswer[] answers = new BatchAnswer[requests.size()];
        List<BatchDebit.Item> items = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            RecordExecution request = requests.get(i);
            try {
                if (request == null) {
                    throw CreditsException.invalid("executions", "each run must be an object like a single debit's body");
                }
                String executionId = checkedExecutionId(workspaceId, request);
                ExecutionModel model = ExecutionModel.parse(request.model());
                String llmModel = Ids.llmModel(request.llmModel());
                try {
                    Instant occurredAt = occurredAt(request, now);
                    items.add(new BatchDebit.Item(i, executionId, request.activity(), model, llmModel, occurredAt,
                            catalog.priceAt(request.activity(), occurredAt), null));
                } catch (CreditsException invalid) {
                    // Still answered by its record if the id is recorded, as a single call would be.
                    items.add(new BatchDebit.Item(i, executionId, request.activity(), model, llmModel, now, null, invalid));
                }
            } catch (CreditsException invalid) {
                answers[i] = BatchAnswer.refused(invalid);
            }
        }
        // Taken in one order (the stripes'), so two batches never hold one each of the other's.
        List<ReentrantLock> locks = items.stream().mapToInt(item -> stripeIndex(workspaceId, item.period())).distinct().sorted()
                .mapToObj(index -> balanceLocks[index]).toList();
        locks.forEach(ReentrantLock::lock);
        BatchDebit batch;
        try {
            batch = new BatchDebit(store, cache, clock, workspaceId, items, answers, retries.start().notAfter(callers));
            batch.run();
        } finally {
            locks.reversed().forEach(ReentrantLock::unlock);
        }
        if (batch.hardLimitRefusal() != null) {
            markBlocked(batch.blockedBalance(), batch.hardLimitRefusal());
        }
        return List.of(answers);
    }

    private ReentrantLock stripe(String workspaceId, Period period) {
        return balanceLocks[stripeIndex(workspaceId, period)];
    }

    private int stripeIndex(String workspaceId, Period period) {
        return Math.floorMod((workspaceId + '#' + period).hashCode(), balanceLocks.length);
    }

    /** The answer of {@code executions:check}; {@code reason} is null when allowed. */
    public record CheckResult(boolean allowed, Credits creditsConsumed, Credits creditsRemainingAfter, String reason) {
    }

    /**
     * What recording would do, writing nothing: allowed or why not (the same 402/403 rules as a debit), the credits
     * it would consume and the remaining credits after it. Input errors are the debit's 400/404.
     */
    public CheckResult check(String workspaceId, RecordExecution request) {
        String executionId = checkedExecutionId(workspaceId, request);
        ExecutionModel model = ExecutionModel.parse(request.model());
        String llmModel = Ids.llmModel(request.llmModel());
        Instant now = clock.instant();
        Run run = run(workspaceId, executionId, request, now);
        if (run.recorded() != null) {
            // Answered with the current period's balance: the request names no valid period.
            return alreadyRecorded(workspaceId, run.recorded(), request.activity(), model, llmModel, Period.of(now));
        }
        Price price = run.price();
        Period period = Period.of(run.occurredAt());
        LedgerView view = store.read(workspaceId, period, executionId, true);
        Workspace workspace = requireWorkspace(view, workspaceId);
        if (view.record() != null) {
            return alreadyRecorded(workspaceId, view, request.activity(), model, llmModel, period);
        }
        Balance balance = view.balance() != null ? view.balance() : opening(workspace, period, true);
        Charge charge = Charge.of(price, balance.pricingModel(), model, llmModel);
        // A pooled workspace is answered from its pool: its hard limit and what remains of it.
        PoolOpening pool = balance.pooled() ? pool(balance, period, true) : null;
        Optional<CreditsException> refusal = refusal(balance, pool, charge);
        Credits remaining = pool == null ? balance.remaining() : pool.pool().ledger().remaining();
        return new CheckResult(refusal.isEmpty(), charge.credits(), remaining.minus(charge.credits()),
                refusal.map(CreditsException::getMessage).orElse(null));
    }

    /** A request's run: its time and price, or, when those are refused but its id is recorded, the view of that record. */
    private record Run(Instant occurredAt, Price price, LedgerView recorded) {
    }

    /**
     * A refused occurredAt or activity is still answered if the executionId is recorded (forever, even once its
     * occurredAt has left the window), by the debit and the dry run alike; otherwise the refusal is thrown.
     */
    private Run run(String workspaceId, String executionId, RecordExecution request, Instant now) {
        try {
            Instant occurredAt = occurredAt(request, now);
            return new Run(occurredAt, catalog.priceAt(request.activity(), occurredAt), null);
        } catch (CreditsException invalid) {
            LedgerView view = store.read(workspaceId, Period.of(now), executionId, true);
            if (view.record() == null) {
                throw invalid;
            }
            return new Run(null, null, view);
        }
    }

    /**
     * The dry run of an id already recorded: what a debit would answer (the stored record, or 409 for another activity
     * or model).
     */
    private static CheckResult alreadyRecorded(String workspaceId, LedgerView view, String activity, ExecutionModel model,
                                               String llmModel, Period period) {
        Workspace workspace = requireWorkspace(view, workspaceId);
        Balance balance = view.balance() != null ? view.balance() : Allocation.opening(workspace, period);
        boolean sameActivity = view.record().activity().equals(activity);
        boolean sameRun = sameActivity && view.record().model() == model && Objects.equals(view.record().llmModel(), llmModel);
        return new CheckResult(sameRun, Credits.ZERO, balance.remaining(), sameRun
                ? "already recorded: recording it again returns the stored record and debits nothing"
                : sameActivity && view.record().model() != model ? "executionId already recorded with model " + view.record().model()
                : sameActivity ? "executionId already recorded with llmModel " + CreditsException.quote(view.record().llmModel())
                : "executionId already recorded for activity '" + view.record().activity() + "'");
    }

    /** Checks the path's workspaceId and the body's executionId and activity; returns the executionId. */
    private static String checkedExecutionId(String workspaceId, RecordExecution request) {
        Ids.workspaceId(workspaceId);
        String executionId = Ids.executionId(request.executionId());
        if (request.activity() == null) {
            throw CreditsException.invalid("activity", "activity is required");
        }
        return executionId;
    }

    /** The run's time (default: now), within the accepted window. */
    private static Instant occurredAt(RecordExecution request, Instant now) {
        Instant occurredAt = request.occurredAt() == null ? now : Timestamps.parse("occurredAt", request.occurredAt());
        checkWindow(occurredAt, now);
        return occurredAt;
    }

    private static void checkWindow(Instant occurredAt, Instant now) {
        switch (Period.accepted(occurredAt, now)) {
            case AHEAD -> throw CreditsException.invalid("occurredAt",
                    "occurredAt may be at most 5 minutes in the future; got " + Timestamps.format(occurredAt));
            case TOO_OLD -> throw CreditsException.invalid("occurredAt", "occurredAt must be no earlier than "
                    + Timestamps.format(Period.earliestAccepted(now)) + " (the start of the previous period); got "
                    + Timestamps.format(occurredAt));
            case ACCEPTED -> {
            }
        }
    }

    private static Workspace requireWorkspace(LedgerView view, String workspaceId) {
        if (view.workspace() == null) {
            throw new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " does not exist");
        }
        return view.workspace();
    }

    static DebitOutcome replay(StoredRecord existing, String activity, ExecutionModel model, String llmModel, String executionId) {
        if (!existing.activity().equals(activity)) {
            throw new CreditsException(Refusal.EXECUTION_ID_REUSED, "executionId " + executionId
                    + " was already recorded for activity '" + existing.activity() + "', not " + CreditsException.quote(activity));
        }
        if (existing.model() != model) {
            throw new CreditsException(Refusal.EXECUTION_ID_REUSED, "executionId " + executionId
                    + " was already recorded with model " + existing.model() + ", not " + model);
        }
        if (!Objects.equals(existing.llmModel(), llmModel)) {
            throw new CreditsException(Refusal.EXECUTION_ID_REUSED, "executionId " + executionId
                    + " was already recorded with llmModel " + CreditsException.quote(existing.llmModel()) + ", not "
                    + CreditsException.quote(llmModel));
        }
        return DebitOutcome.replayed(existing.body());
    }
}
