package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Charge;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Price;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.OrganizationStore;
import com.aicredits.port.LedgerStore.BalanceStep;
import com.aicredits.port.OrganizationStore.PoolStep;
import com.aicredits.port.LedgerStore.BatchResult;
import com.aicredits.port.LedgerStore.BatchView;
import com.aicredits.port.LedgerStore.LedgerBatch;
import com.aicredits.port.LedgerStore.StoredRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One batch of runs into one workspace, answered item by item as if each had been sent alone, one after another in
 * the batch's order. The items are planned in order on the balances as known (a new run debits the balance its
 * predecessors left; a replay answers its stored record; a refusal, decided only on a consistent read, writes
 * nothing), and the new lines of as many items as one transaction takes (records, balances, the pool's balances of a
 * workspace drawing from its organization's pool, the checks of an opening) commit together; the rest are planned again from what that commit left. A lost race, a conflict or a replay found by a
 * failed condition replans what is not answered yet, within the call's deadline.
 */
final class BatchDebit {
    /** An item that can still be recorded: its id, time and price, or the input error a replay would still answer. */
    record Item(int index, String executionId, String activity, ExecutionModel model, String llmModel, Instant occurredAt,
                Price price, CreditsException invalid) {
        Period period() {
            return Period.of(occurredAt);
        }
    }

    /** What planning leaves to be done first: write these lines, or read consistently before deciding further. */
    private record Plan(List<UsageRecord> lines, Map<Integer, Integer> lineOfItem, Map<Integer, DebitService.BatchAnswer> answers,
                        Map<Period, Balance> after, Map<Period, PoolBalance> poolsAfter, OrganizationStore.PoolBasis poolBasis,
                        boolean needsConsistentRead) {
    }

    private final CreditStore store;
    private final BalanceCache cache;
    private final Clock clock;
    private final String workspaceId;
    private final List<Item> items;
    private final DebitService.BatchAnswer[] answers;
    private final Retries.Deadline deadline;

    /** The balance of each period as last known; a null value: known not to be open. */
    private final Map<Period, Balance> balances = new HashMap<>();
    /**
     * The organization and its pool per period, as last read, for the periods whose balance draws from the pool or is
     * not open yet (absent: not read since the balances were).
     */
    private final Map<Period, LedgerStore.PoolView> pools = new HashMap<>();
    private Workspace workspace;
    /** Whether {@link #balances} and {@link #recorded} come from a consistent read with no write of ours since. */
    private boolean consistent;
    /** Ids whose record's presence a consistent read (or a failed condition) told, and the records found. */
    private final Set<String> checked = new HashSet<>();
    private final Map<String, StoredRecord> recorded = new HashMap<>();
    private CreditsException hardLimitRefusal;
    private Period hardLimitPeriod;

    BatchDebit(CreditStore store, BalanceCache cache, Clock clock, String workspaceId, List<Item> items,
               DebitService.BatchAnswer[] answers, Retries.Deadline deadline) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
        this.workspaceId = workspaceId;
        this.items = items;
        this.answers = answers;
        this.deadline = deadline;
    }

    /** Answers every item; throws 503 {@code contention} when the deadline passes first (committed items stay). */
    void run() {
        for (Item item : items) {
            balances.putIfAbsent(item.period(), cache.get(workspaceId, item.period()));
        }
        if (balances.containsValue(null)) {
            read(false);
        }
        boolean again = true;
        while (again) {
            Plan plan = plan();
            if (plan.needsConsistentRead()) {
                read(true);
                continue;
            }
            if (plan.lines().isEmpty()) {
                finish(plan, List.of());
                return;
            }
            List<BalanceStep> steps = new ArrayList<>();
            plan.after().forEach((period, after) -> steps.add(new BalanceStep(balances.get(period), after)));
            List<PoolStep> poolMoves = new ArrayList<>();
            plan.poolsAfter().forEach((period, after) -> poolMoves.add(new PoolStep(pools.get(period).pool(), after)));
            BatchResult result = store.appendAll(new LedgerBatch(plan.lines(), steps, poolMoves,
                    workspace == null ? 0 : workspace.version(), plan.poolBasis()));
            switch (result) {
                case BatchResult.Committed committed -> {
                    finish(plan, committed.bodies());
                    plan.after().forEach((period, after) -> {
                        balances.put(period, after);
                        cache.offer(after);
                    });
                    plan.poolsAfter().forEach((period, after) ->
                            pools.put(period, new LedgerStore.PoolView(pools.get(period).organization(), after)));
                    consistent = false;
                    if (remaining().isEmpty()) {
                        return;
                    }
                }
                case BatchResult.AlreadyRecorded existing -> {
                    // Another call recorded some of these ids meanwhile: one consistent read finds every such record.
                    again = deadline.timeLeft();
                    read(true);
                }
                case BatchResult.BalanceChanged changed -> {
                    again = deadline.timeLeft();
                    balances.put(changed.period(), changed.fresh());
                    if (changed.fresh() != null) {
                        cache.offer(changed.fresh());
                    } else {
                        cache.forget(workspaceId, changed.period());
                    }
                    consistent = false;
                    if (changed.fresh() == null && workspace == null) {
                        read(false);
                    }
                }
                case BatchResult.PoolChanged changed -> {
                    // Another workspace of the organization debited the pool first: replan on the pool as it stands.
                    again = deadline.timeLeft();
                    pools.put(changed.period(), new LedgerStore.PoolView(pools.get(changed.period()).organization(), changed.fresh()));
                    consistent = false;
                }
                case BatchResult.WorkspaceChanged changed -> {
                    again = deadline.timeLeft();
                    read(true);
                }
                case BatchResult.Contention contention -> {
                    // DynamoDB cancelled the transaction for another one on the same items, which most likely moved the
                    // balance: after the pause, read where it stands, or the next try carries a version already gone
                    // and holds the item only to fail (docs/design.md, "Scale, measured": far fewer 503s from 16 callers).
                    again = deadline.backOff();
                    if (again) {
                        refreshBalances();
                    }
                }
            }
        }
        if (items.stream().anyMatch(item -> answers[item.index()] != null && answers[item.index()].outcome() != null
                && answers[item.index()].outcome().created())) {
            // Some runs did commit: "unavailable" tells the caller (as a lost answer would) that its retry's 200s are
            // its own debits, where "contention" promises that nothing was written.
            throw new CreditsException(Refusal.UNAVAILABLE, "the workspace's balance became too busy after some runs of"
                    + " the batch were recorded; send the batch again: those answer 200 with their records");
        }
        throw new CreditsException(Refusal.CONTENTION,
                "the workspace's balance is too busy right now; nothing of the batch was written; send it again");
    }

    /**
     * The first hard-limit refusal of the batch and its period's balance, for the {@code blockedAt} mark; or null (also
     * when the balance draws from a pool, whose hard limit refused).
     */
    Balance blockedBalance() {
        Balance balance = hardLimitRefusal == null ? null : balances.get(hardLimitPeriod);
        return balance == null || balance.pooled() ? null : balance;
    }

    CreditsException hardLimitRefusal() {
        return hardLimitRefusal;
    }

    private List<Item> remaining() {
        return items.stream().filter(item -> answers[item.index()] == null).toList();
    }

    /**
     * The workspace, the balances and (when {@code consistent}) which of the unanswered ids are recorded: one read.
     * A missing workspace is confirmed on a consistent read before the batch is refused 404.
     */
    private void read(boolean consistent) {
        read(consistent, consistent);
    }

    /**
     * As {@link #read(boolean)}; {@code withIds} false: the ids' presence is not read, so the view is not
     * {@link #consistent}.
     */
    private void read(boolean consistent, boolean withIds) {
        List<String> ids = withIds ? remaining().stream().map(Item::executionId).toList() : List.of();
        BatchView view = store.readAll(workspaceId, List.copyOf(balances.keySet()), ids, consistent);
        if (view.workspace() == null && !consistent) {
            read(true);
            return;
        }
        if (view.workspace() == null) {
            throw new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " does not exist");
        }
        workspace = view.workspace();
        balances.replaceAll((period, known) -> view.balances().get(period));
        pools.clear();
        if (consistent && withIds) {
            checked.addAll(ids);
            recorded.putAll(view.records());
        }
        this.consistent = consistent && withIds;
    }

    /** After a conflict: the workspace, the balances and the pools they draw from as they stand, consistently. */
    private void refreshBalances() {
        read(true, false);
        balances.forEach((period, balance) -> {
            if (balance != null) {
                cache.offer(balance);
                if (balance.pooled()) {
                    pools.put(period, store.readPool(balance.organizationId(), period, true));
                }
            }
        });
    }

    private Plan plan() {
        Map<Period, Balance> working = new HashMap<>();
        Map<Period, PoolBalance> poolsWorking = new HashMap<>();
        OrganizationStore.PoolBasis basis = null;
        List<UsageRecord> lines = new ArrayList<>();
        Map<Integer, Integer> lineOfItem = new HashMap<>();
        Map<Integer, DebitService.BatchAnswer> planned = new HashMap<>();
        boolean opening = false;
        int writes = 0;
        Map<Period, Integer> linesByPeriod = new HashMap<>();
        for (Item item : remaining()) {
            StoredRecord existing = recorded.get(item.executionId());
            if (existing != null) {
                planned.put(item.index(), DebitService.BatchAnswer.of(() -> DebitService.replay(existing, item.activity(),
                        item.model(), item.llmModel(), item.executionId())));
                continue;
            }
            boolean absent = consistent && checked.contains(item.executionId());
            if (item.invalid() != null) {
                if (!absent) {
                    return new Plan(lines, lineOfItem, planned, working, poolsWorking, basis, true);
                }
                planned.put(item.index(), DebitService.BatchAnswer.refused(item.invalid()));
                continue;
            }
            Period period = item.period();
            Balance stored = balances.get(period);
            if (stored == null && workspace == null) {
                // Known not open from a cached view only: read the workspace its opening needs.
                return new Plan(lines, lineOfItem, planned, working, poolsWorking, basis, true);
            }
            // An opening assumes its organization does not pool until a consistent read says otherwise (its write checks
            // the organization's mode: most do not pool, and need no read).
            LedgerStore.PoolView pool = stored != null && stored.pooled() || stored == null && consistent
                    ? pools.computeIfAbsent(period, p -> store.readPool(stored == null ? workspace.organizationId() : stored.organizationId(), p, consistent))
                    : null;
            boolean organizationPools = pool != null && pool.organization() != null && pool.organization().pooled();
            if (stored != null && stored.pooled() && !organizationPools) {
                // The balance draws from a pool its organization's item, as read, does not have: a stale read.
                return new Plan(lines, lineOfItem, planned, working, poolsWorking, basis, true);
            }
            Balance before = working.containsKey(period) ? working.get(period)
                    : stored != null ? stored : Allocation.opening(workspace, period, organizationPools);
            PoolBalance poolBefore = null;
            if (before.pooled()) {
                if (poolsWorking.containsKey(period)) {
                    poolBefore = poolsWorking.get(period);
                } else {
                    OrganizationStore.PoolOpening drawn = PoolSwitch.drawnFrom(store, pool, period);
                    poolBefore = drawn.pool();
                    basis = drawn.basis() != null ? drawn.basis() : basis;
                }
            }
            PoolBalance poolCharged = poolBefore;
            Charge charge = Charge.of(item.price(), before.pricingModel(), item.model(), item.llmModel());
            Optional<CreditsException> refusal = poolBefore == null ? before.refusal(charge)
                    : before.accessRefusal(charge).or(() -> poolCharged.refusal(charge));
            if (refusal.isPresent()) {
                // Never refuse on a cached or eventually consistent view, nor on one this batch's writes left.
                if (!absent) {
                    return new Plan(lines, lineOfItem, planned, working, poolsWorking, basis, true);
                }
                planned.put(item.index(), DebitService.BatchAnswer.refused(refusal.get()));
                continue;
            }
            int linesOfPeriod = linesByPeriod.getOrDefault(period, 0) + 1;
            int more = 1 + (working.containsKey(period) ? 0 : 1) + (linesOfPeriod == LedgerBatch.PAGED_LINES ? 1 : 0)
                    + (poolBefore != null && !poolsWorking.containsKey(period) ? 1 : 0)
                    + (stored == null && !opening ? LedgerBatch.OPENING_CHECKS : 0)
                    + (poolBefore != null && pool.pool() == null && !poolsWorking.containsKey(period) ? LedgerBatch.POOL_OPENING_CHECKS : 0);
            if (writes + more > LedgerStore.MAX_TRANSACTION_ITEMS) {
                break;
            }
            writes += more;
            linesByPeriod.put(period, linesOfPeriod);
            opening |= stored == null;
            Balance after = before.debit(charge, item.occurredAt());
            working.put(period, after);
            lineOfItem.put(item.index(), lines.size());
            if (poolBefore != null) {
                PoolBalance poolAfter = poolBefore.debit(charge, item.occurredAt());
                poolsWorking.put(period, poolAfter);
                lines.add(UsageRecord.pooled(item.executionId(), charge, poolBefore, poolAfter, after, item.occurredAt(), clock.instant()));
            } else {
                lines.add(UsageRecord.between(item.executionId(), charge, before, after, item.occurredAt(), clock.instant()));
            }
        }
        return new Plan(lines, lineOfItem, planned, working, poolsWorking, basis, false);
    }

    /** Answers the planned items: the lines just written as new, the others as planned. */
    private void finish(Plan plan, List<String> bodies) {
        plan.answers().forEach((index, answer) -> {
            answers[index] = answer;
            if (hardLimitRefusal == null && answer.refusal() != null && answer.refusal().refusal() == Refusal.HARD_LIMIT) {
                hardLimitRefusal = answer.refusal();
                hardLimitPeriod = items.stream().filter(item -> item.index() == index).findFirst().orElseThrow().period();
            }
        });
        plan.lineOfItem().forEach((index, line) ->
                answers[index] = DebitService.BatchAnswer.created(bodies.get(line), plan.lines().get(line)));
    }
}
