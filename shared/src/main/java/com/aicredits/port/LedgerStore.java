package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger of the one table: a workspace's period balances and the usage records that move them. Every write is
 * conditional (a record only for a new executionId, a balance by compare-and-set on its revision, an opening only at
 * the workspace's version); a lost race comes back as a result carrying the fresh state, never as a retry hidden in
 * here, so the caller decides. Used by debits, the monthly reset and refunds (which read the balance).
 */
public interface LedgerStore {
    /** The workspace, its balance for {@code period} and, when {@code executionId} is given, that record. */
    LedgerView read(String workspaceId, Period period, String executionId, boolean consistent);

    /**
     * Appends one ledger line in one transaction: the record (only if its executionId is new) and the balance
     * (compare-and-set on {@code before.revision()}, or created whole when {@code before} is null, provided the
     * workspace is still at {@code workspaceVersion}): {@link #appendAll} of one line.
     */
    default AppendResult append(LedgerAppend append) {
        UsageRecord record = append.record();
        return result(record, appendAll(new LedgerBatch(List.of(record), List.of(new BalanceStep(append.before(), append.after())),
                append.workspaceVersion())));
    }

    /** A one-line batch's result as the result of an append. */
    private static AppendResult result(UsageRecord record, BatchResult result) {
        return switch (result) {
            case BatchResult.Committed committed -> new AppendResult.Committed(committed.bodies().getFirst());
            case BatchResult.AlreadyRecorded recorded -> new AppendResult.AlreadyRecorded(recorded.existing().get(record.executionId()));
            case BatchResult.BalanceChanged changed -> new AppendResult.BalanceChanged(changed.fresh());
            case BatchResult.PoolChanged changed -> new AppendResult.PoolChanged(changed.fresh());
            case BatchResult.WorkspaceChanged changed -> new AppendResult.WorkspaceChanged();
            case BatchResult.Contention contention -> new AppendResult.Contention(contention.reason());
        };
    }

    /**
     * Appends several ledger lines in one transaction (a batch of runs): each record only if its executionId is new,
     * and each period's balance moved once, from its {@code before} to its {@code after} (compare-and-set on the
     * revision, and under the hard limit for the credits of that period's lines; or created whole when {@code before}
     * is null, provided the workspace is still at {@code workspaceVersion}). All or nothing; at most
     * {@link #MAX_TRANSACTION_ITEMS} writes: the records, a ledger page per period of {@link LedgerBatch#PAGED_LINES}
     * lines or more (listing them; the records themselves are then not indexed one by one), the balances, and the
     * workspace's and the organization's checks if any balance opens.
     */
    BatchResult appendAll(LedgerBatch batch);

    /**
     * The workspace, its balances of {@code periods} (absent: not open) and the records of {@code executionIds} that
     * exist, in one read.
     */
    BatchView readAll(String workspaceId, List<Period> periods, List<String> executionIds, boolean consistent);

    /**
     * Opens a period with no ledger line yet: creates {@code opening} whole, only if that balance does not exist and
     * the workspace is still at {@code workspaceVersion} (the version its allocation was computed from). The twin of
     * {@link #append}'s opening write, so a debit and the monthly reset cannot both create the balance.
     */
    OpenResult open(Balance opening, long workspaceVersion);

    /**
     * Marks the period's balance blocked at its hard limit ({@code blockedAt}), once: true if this call set it, false
     * if it was set before or the balance does not exist. Leaves the ledger and the revision as they are.
     */
    boolean markBlocked(String workspaceId, Period period, Instant at);

    /**
     * Marks the pool's balance of the period blocked at its hard limit ({@code blockedAt}), once, as
     * {@link #markBlocked} marks a workspace's: true if this call set it, false if it was set before or the pool's
     * balance does not exist. Leaves the ledger and the revision as they are.
     */
    boolean markPoolBlocked(String organizationId, Period period, Instant at);

    /**
     * Opens a pool's period with no ledger line yet (the monthly reset): creates {@code opening} whole, only if that
     * pool balance does not exist and the organization and its members are still as {@code basis} says (what its
     * allocation and mode were read at). A pooled debit that opens the pool puts the same item under the same
     * condition of absence, so whichever comes first creates it and the other finds it.
     *
     * @return {@link OpenResult#OPENED}, {@link OpenResult#ALREADY_OPEN}, {@link OpenResult#WORKSPACE_CHANGED} (here:
     *         the organization moved on; read it again) or {@link OpenResult#CONTENTION}
     */
    OpenResult openPool(PoolBalance opening, OrganizationStore.PoolBasis basis);

    /** The organization (null when absent) and its pool's balance of {@code period} (null: not open), in one read. */
    PoolView readPool(String organizationId, Period period, boolean consistent);

    /**
     * Appends one pooled ledger line in one transaction: the record (only if its executionId is new), the workspace's
     * balance (compare-and-set, or created whole pooled at {@code workspaceVersion} while the organization still pools)
     * and the pool's (compare-and-set and under its hard limit, or created whole): {@link #appendAll} of one line.
     */
    default AppendResult appendPooled(PooledAppend append) {
        UsageRecord record = append.record();
        return result(record, appendAll(new LedgerBatch(List.of(record), List.of(new BalanceStep(append.before(), append.after())),
                List.of(new OrganizationStore.PoolStep(append.poolBefore(), append.poolAfter())), append.workspaceVersion(),
                append.poolBasis())));
    }

    /** What {@link #readPool} found. */
    record PoolView(Organization organization, PoolBalance pool) {
    }

    /** One new pooled ledger line; a null {@code before} opens that balance with this line. */
    record PooledAppend(UsageRecord record, Balance before, Balance after, long workspaceVersion, PoolBalance poolBefore,
                        PoolBalance poolAfter, OrganizationStore.PoolBasis poolBasis) {
    }

    /** DynamoDB's limit of writes in one transaction. */
    int MAX_TRANSACTION_ITEMS = 100;

    /** What a read found; absent items are null. */
    record LedgerView(Workspace workspace, Balance balance, StoredRecord record) {
    }

    /**
     * A usage record as stored: its activity, model and LLM model (to tell a replay from a conflict; llmModel null when
     * the run named none), its exact response body as the debit returned it (a replay returns it unchanged, forever)
     * and, once refunded, the refund (null before).
     */
    record StoredRecord(String activity, String body, Refund refund, ExecutionModel model, String llmModel) {
        /** A record of a run on the platform's model. */
        public StoredRecord(String activity, String body, Refund refund) {
            this(activity, body, refund, ExecutionModel.PLATFORM, null);
        }

        /** A record of a run that named no LLM model. */
        public StoredRecord(String activity, String body, Refund refund, ExecutionModel model) {
            this(activity, body, refund, model, null);
        }
    }

    /**
     * One new ledger line; {@code before} is null when this line opens the period. The store writes the record's body
     * ({@code json.LedgerBodies}), which replays answer byte for byte.
     */
    record LedgerAppend(UsageRecord record, Balance before, Balance after, long workspaceVersion) {
    }

    /**
     * Several new ledger lines in request order, and the move of each period's balance they make together; for a
     * workspace drawing from its organization's pool, the move of each period's pool balance too (compare-and-set and
     * under the pool's hard limit, or created whole), its pooled lines listed in the workspace's ledger at the
     * workspace's own sequence.
     */
    record LedgerBatch(List<UsageRecord> records, List<BalanceStep> balances, List<OrganizationStore.PoolStep> pools,
                       long workspaceVersion, OrganizationStore.PoolBasis poolBasis) {
        public LedgerBatch {
            records = List.copyOf(records);
            balances = List.copyOf(balances);
            pools = List.copyOf(pools);
        }

        /** A batch of the workspace's own allocation. */
        public LedgerBatch(List<UsageRecord> records, List<BalanceStep> balances, long workspaceVersion) {
            this(records, balances, List.of(), workspaceVersion, null);
        }

        /** A pool's opening checks the organization's version and its members' revision. */
        public static final int POOL_OPENING_CHECKS = 2;

        /** An opening checks the workspace's version and that its organization does not pool. */
        public static final int OPENING_CHECKS = 2;

        /**
         * From this many lines of one period in a batch on, the store lists them on one ledger page (one write for the
         * period) instead of one index entry each: a page of 4 costs less than 4 entries.
         */
        public static final int PAGED_LINES = 4;

        /** The periods whose lines this batch lists on one page each ({@link #PAGED_LINES} lines or more). */
        public List<Period> pagedPeriods() {
            Map<Period, Integer> lines = new LinkedHashMap<>();
            records.forEach(record -> lines.merge(Period.parse(record.period()), 1, Integer::sum));
            return lines.entrySet().stream().filter(entry -> entry.getValue() >= PAGED_LINES).map(Map.Entry::getKey).toList();
        }

        /** How many writes the transaction takes. */
        public int writes() {
            boolean poolOpens = pools.stream().anyMatch(step -> step.before() == null);
            return records.size() + pagedPeriods().size() + balances.size() + pools.size() + (poolOpens ? POOL_OPENING_CHECKS : 0)
                    + (balances.stream().anyMatch(step -> step.before() == null) ? OPENING_CHECKS - (poolOpens ? 1 : 0) : 0);
        }
    }

    /** A period's balance from {@code before} (null: it opens with these lines) to {@code after}. */
    record BalanceStep(Balance before, Balance after) {
    }



    /** What {@link #readAll} found: the records that exist, by executionId. */
    record BatchView(Workspace workspace, Map<Period, Balance> balances, Map<String, StoredRecord> records) {
    }

    sealed interface BatchResult {
        /** Written; the records' bodies as stored, in the batch's order. */
        record Committed(List<String> bodies) implements BatchResult {
        }

        /** Some executionIds were recorded before (those that came back, by id): nothing written. */
        record AlreadyRecorded(Map<String, StoredRecord> existing) implements BatchResult {
        }

        /** A balance was not as expected; here it is as it stands (null: not open yet). Nothing written. */
        record BalanceChanged(Period period, Balance fresh) implements BatchResult {
        }

        /** A pool's balance was not as expected; here it is as it stands (null: not open yet). Nothing written. */
        record PoolChanged(Period period, PoolBalance fresh) implements BatchResult {
        }

        /** Opening a period raced with a workspace change. */
        record WorkspaceChanged() implements BatchResult {
        }

        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        record Contention(String reason) implements BatchResult {
        }
    }

    enum OpenResult {
        /** Created. */
        OPENED,
        /** The balance exists already (a debit or an earlier run opened it): nothing written. */
        ALREADY_OPEN,
        /** The workspace changed since it was read: read it again and recompute the allocation. */
        WORKSPACE_CHANGED,
        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        CONTENTION
    }

    sealed interface AppendResult {
        /** Written; {@code body} is the record's body as stored, the debit's answer. */
        record Committed(String body) implements AppendResult {
        }

        /** The executionId was recorded before: nothing written. */
        record AlreadyRecorded(StoredRecord existing) implements AppendResult {
        }

        /** The balance was not as expected; here it is as it stands (null: the period is not open yet). */
        record BalanceChanged(Balance fresh) implements AppendResult {
        }

        /** The pool's balance was not as expected; here it is as it stands (null: not open yet). */
        record PoolChanged(PoolBalance fresh) implements AppendResult {
        }

        /** Opening the period raced with a workspace change. */
        record WorkspaceChanged() implements AppendResult {
        }

        /** Transient contention (transaction conflict, throttling): retry after a pause. */
        record Contention(String reason) implements AppendResult {
        }
    }

    /** When and why a record was refunded. */
    record Refund(String refundedAt, String reason) {
    }
}
