package com.aicredits.testkit.memory;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Organization;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Period;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.json.LedgerBodies;
import com.aicredits.port.CreditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link CreditStore} in memory, with the DynamoDB adapter's contract (held to it by {@code CreditStoreContract}, run
 * on both): every write conditional and all-or-nothing (a record only for a new executionId, a balance by
 * compare-and-set on its revision and, on an append, under its hard limit, an opening only at the workspace's version,
 * a workspace at its version), a lost race answered with the fresh state, the bodies written by {@link LedgerBodies}.
 * One lock makes each call atomic, as a transaction is. {@link #contention} makes the next writes answer as a
 * transaction conflict does, for the callers' retry paths.
 */
public final class InMemoryCreditStore implements CreditStore {
    private static final String REFUND = "refund#";
    private final Map<String, Workspace> workspaces = new HashMap<>();
    private final Map<String, Balance> balances = new HashMap<>();
    private final Map<String, StoredRecord> records = new HashMap<>();
    private final Map<String, RefundLine> refundLines = new HashMap<>();
    private final List<String> ledgerBodies = new ArrayList<>();
    /** Each period's ledger lines in order (the sequence's): a record's key, or a refund line's ("refund#" + its key). */
    private final Map<String, List<String>> ledgerLines = new HashMap<>();
    private final Map<String, Organization> organizations = new HashMap<>();
    private final Map<String, PoolBalance> pools = new HashMap<>();
    /** Each organization's workspaces (its members item) and the revision every workspace write moves. */
    private final Map<String, java.util.TreeSet<String>> memberIds = new HashMap<>();
    private final Map<String, Long> memberRevisions = new HashMap<>();
    private int contentionsToAnswer;
    private Consumer<String> beforeEachWrite;
    private int writes;

    /** The next {@code writes} conditional writes fail as a transaction conflict does (nothing written). */
    public synchronized InMemoryCreditStore contention(int writes) {
        contentionsToAnswer = writes;
        return this;
    }

    /** How many writes were tried, committed or not (each transaction one). */
    public synchronized int writes() {
        return writes;
    }

    /**
     * Just before the next write, {@code interloper} may commit a write of its own through this store (given the write's
     * kind: "append", "open", "refund", "save"), as another container racing this one would: lost races on demand.
     */
    public synchronized InMemoryCreditStore beforeEachWrite(Consumer<String> interloper) {
        this.beforeEachWrite = interloper;
        return this;
    }

    /** Every ledger line's body in the order written (records and refund lines). */
    public synchronized List<String> ledgerBodies() {
        return List.copyOf(ledgerBodies);
    }

    /**
     * A period's ledger lines, oldest first, as the lists show them: a record's body (with its refund once refunded),
     * a refund line's body.
     */
    synchronized List<String> ledger(String workspaceId, Period period) {
        return ledgerLines.getOrDefault(key(workspaceId, period), List.of()).stream()
                .map(line -> line.startsWith(REFUND) ? LedgerBodies.of(refundLines.get(line.substring(REFUND.length())))
                        : recordedRun(records.get(line)).currentBody())
                .toList();
    }

    /** Every workspace, by id (a copy). */
    synchronized Map<String, Workspace> workspaces() {
        return Map.copyOf(workspaces);
    }

    /** The balance as stored, or null. */
    public synchronized Balance balance(String workspaceId, Period period) {
        return balances.get(key(workspaceId, period));
    }

    @Override
    public synchronized Optional<Workspace> findWorkspace(String workspaceId, boolean consistent) {
        return Optional.ofNullable(workspaces.get(workspaceId));
    }

    @Override
    public synchronized LedgerView read(String workspaceId, Period period, String executionId, boolean consistent) {
        return new LedgerView(workspaces.get(workspaceId), balances.get(key(workspaceId, period)),
                executionId == null ? null : records.get(workspaceId + "#" + executionId));
    }

    @Override
    public synchronized BatchView readAll(String workspaceId, List<Period> periods, List<String> executionIds, boolean consistent) {
        Map<Period, Balance> found = new HashMap<>();
        for (Period period : periods) {
            Balance balance = balances.get(key(workspaceId, period));
            if (balance != null) {
                found.put(period, balance);
            }
        }
        Map<String, StoredRecord> recorded = new HashMap<>();
        for (String executionId : executionIds) {
            StoredRecord record = records.get(workspaceId + "#" + executionId);
            if (record != null) {
                recorded.put(executionId, record);
            }
        }
        return new BatchView(workspaces.get(workspaceId), found, recorded);
    }

    @Override
    public BatchResult appendAll(LedgerBatch batch) {
        if (batch.writes() > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("a transaction takes at most " + MAX_TRANSACTION_ITEMS + " writes; got " + batch.writes());
        }
        interlope("append");
        synchronized (this) {
            if (contended()) {
                return new BatchResult.Contention("[TransactionConflict]");
            }
            Map<String, StoredRecord> existing = new HashMap<>();
            Map<Period, Credits> creditsByPeriod = new HashMap<>();
            for (UsageRecord record : batch.records()) {
                StoredRecord stored = records.get(record.workspaceId() + "#" + record.executionId());
                if (stored != null) {
                    existing.put(record.executionId(), stored);
                }
                creditsByPeriod.merge(Period.parse(record.period()), record.creditsConsumed(), Credits::plus);
            }
            if (!existing.isEmpty()) {
                return new BatchResult.AlreadyRecorded(existing);
            }
            boolean opening = false;
            for (BalanceStep step : batch.balances()) {
                Balance after = step.after();
                Balance stored = balances.get(key(after.workspaceId(), after.period()));
                Credits credits = creditsByPeriod.getOrDefault(after.period(), Credits.ZERO);
                boolean asRead = step.before() == null ? stored == null : stored != null
                        && stored.revision() == step.before().revision()
                        && (!credits.isPositive() || !stored.used().isGreaterThan(after.hardLimitCredits().minus(credits)));
                if (!asRead) {
                    return new BatchResult.BalanceChanged(after.period(), stored);
                }
                opening |= step.before() == null;
            }
            for (PoolStep move : batch.pools()) {
                PoolBalance after = move.after();
                PoolBalance stored = pools.get(key(after.organizationId(), after.period()));
                Credits credits = creditsByPeriod.getOrDefault(after.period(), Credits.ZERO);
                boolean asRead = move.before() == null ? stored == null : stored != null
                        && stored.ledger().revision() == move.before().ledger().revision()
                        && (!credits.isPositive() || !stored.ledger().used().isGreaterThan(after.ledger().hardLimitCredits().minus(credits)));
                if (!asRead) {
                    return new BatchResult.PoolChanged(after.period(), stored);
                }
            }
            if (batch.pools().stream().anyMatch(move -> move.before() == null)) {
                String organizationId = batch.pools().getFirst().after().organizationId();
                Organization organization = organizations.get(organizationId);
                if (organization == null || organization.version() != batch.poolBasis().organizationVersion()
                        || memberRevisions.getOrDefault(organizationId, 0L) != batch.poolBasis().membersRevision()) {
                    return new BatchResult.WorkspaceChanged();
                }
            }
            if (opening) {
                Balance opened = batch.balances().stream().filter(step -> step.before() == null).findFirst().orElseThrow().after();
                Workspace workspace = workspaces.get(opened.workspaceId());
                if (workspace == null || workspace.version() != batch.workspaceVersion()
                        || pooling(workspace.organizationId()) != opened.pooled()) {
                    return new BatchResult.WorkspaceChanged();
                }
            }
            List<String> bodies = new ArrayList<>();
            for (UsageRecord record : batch.records()) {
                String recordKey = record.workspaceId() + "#" + record.executionId();
                String body = LedgerBodies.of(record);
                records.put(recordKey, new StoredRecord(record.activity(), body, null, record.model(), record.llmModel()));
                ledgerLines.computeIfAbsent(key(record.workspaceId(), Period.parse(record.period())), k -> new ArrayList<>()).add(recordKey);
                ledgerBodies.add(body);
                bodies.add(body);
            }
            for (BalanceStep step : batch.balances()) {
                balances.put(key(step.after().workspaceId(), step.after().period()), step.after());
            }
            for (PoolStep move : batch.pools()) {
                pools.put(key(move.after().organizationId(), move.after().period()), move.after());
            }
            return new BatchResult.Committed(bodies);
        }
    }

    @Override
    public OpenResult open(Balance opening, long workspaceVersion) {
        interlope("open");
        synchronized (this) {
            if (contended()) {
                return OpenResult.CONTENTION;
            }
            String balanceKey = key(opening.workspaceId(), opening.period());
            if (balances.containsKey(balanceKey)) {
                return OpenResult.ALREADY_OPEN;
            }
            Workspace workspace = workspaces.get(opening.workspaceId());
            if (workspace == null || workspace.version() != workspaceVersion
                    || pooling(opening.organizationId()) != opening.pooled()) {
                return OpenResult.WORKSPACE_CHANGED;
            }
            balances.put(balanceKey, opening);
            return OpenResult.OPENED;
        }
    }

    @Override
    public synchronized boolean markBlocked(String workspaceId, Period period, Instant at) {
        Balance balance = balances.get(key(workspaceId, period));
        if (balance == null || balance.blockedAt() != null) {
            return false;
        }
        balances.put(key(workspaceId, period), new Balance(balance.workspaceId(), balance.organizationId(), balance.period(),
                balance.baseCredits(), balance.addonCredits(), balance.hardLimitPercent(), balance.casesEnabled(),
                balance.pricingModel(), balance.byosFeatures(), balance.used(), balance.sequence(), balance.revision(),
                balance.usedByFeature(), balance.dailyCredits(), balance.freeExecutions(), balance.casesCounted(),
                balance.byosExecutions(), at, balance.pooled()));
        return true;
    }

    @Override
    public synchronized boolean markPoolBlocked(String organizationId, Period period, Instant at) {
        PoolBalance pool = pools.get(key(organizationId, period));
        if (pool == null || pool.ledger().blockedAt() != null) {
            return false;
        }
        Balance ledger = pool.ledger();
        pools.put(key(organizationId, period), new PoolBalance(pool.enabled(), new Balance(ledger.workspaceId(),
                ledger.organizationId(), ledger.period(), ledger.baseCredits(), ledger.addonCredits(), ledger.hardLimitPercent(),
                ledger.casesEnabled(), ledger.pricingModel(), ledger.byosFeatures(), ledger.used(), ledger.sequence(),
                ledger.revision(), ledger.usedByFeature(), ledger.dailyCredits(), ledger.freeExecutions(),
                ledger.casesCounted(), ledger.byosExecutions(), at, ledger.pooled())));
        return true;
    }

    @Override
    public OpenResult openPool(PoolBalance opening, PoolBasis basis) {
        interlope("openPool");
        synchronized (this) {
            if (contended()) {
                return OpenResult.CONTENTION;
            }
            String poolKey = key(opening.organizationId(), opening.period());
            if (pools.containsKey(poolKey)) {
                return OpenResult.ALREADY_OPEN;
            }
            Organization organization = organizations.get(opening.organizationId());
            if (organization == null || organization.version() != basis.organizationVersion()
                    || memberRevisions.getOrDefault(opening.organizationId(), 0L) != basis.membersRevision()) {
                return OpenResult.WORKSPACE_CHANGED;
            }
            pools.put(poolKey, opening);
            return OpenResult.OPENED;
        }
    }

    /** The pool's balance of {@code period} as stored, or null. */
    public synchronized PoolBalance pool(String organizationId, Period period) {
        return pools.get(key(organizationId, period));
    }

    @Override
    public synchronized WorkspaceBalances readBalances(String workspaceId, List<Period> periods) {
        BatchView view = readAll(workspaceId, periods, List.of(), true);
        return new WorkspaceBalances(view.workspace(), view.balances());
    }

    @Override
    public SaveResult saveWorkspace(Workspace workspace, long expectedVersion, List<BalanceMove> moves, List<PoolStep> poolSteps) {
        interlope("save");
        synchronized (this) {
            if (contended()) {
                return SaveResult.CONTENTION;
            }
            Workspace stored = workspaces.get(workspace.workspaceId());
            boolean workspaceAsRead = expectedVersion == 0 ? stored == null : stored != null && stored.version() == expectedVersion;
            if (!workspaceAsRead) {
                return SaveResult.STALE;
            }
            for (BalanceMove move : moves) {
                Balance current = balances.get(key(workspace.workspaceId(), move.period()));
                boolean asRead = move.before() == null ? current == null
                        : current != null && current.revision() == move.before().revision();
                if (!asRead) {
                    return SaveResult.STALE;
                }
            }
            for (PoolStep step : poolSteps) {
                PoolBalance current = pools.get(key(step.before().organizationId(), step.before().period()));
                if (current == null || current.ledger().revision() != step.before().ledger().revision()) {
                    return SaveResult.STALE;
                }
            }
            memberRevisions.merge(workspace.organizationId(), 1L, Long::sum);
            if (expectedVersion == 0) {
                memberIds.computeIfAbsent(workspace.organizationId(), id -> new java.util.TreeSet<>()).add(workspace.workspaceId());
            }
            poolSteps.forEach(step -> pools.put(key(step.after().organizationId(), step.after().period()), step.after()));
            workspaces.put(workspace.workspaceId(), workspace);
            for (BalanceMove move : moves) {
                if (move.after() != null) {
                    balances.put(key(workspace.workspaceId(), move.period()), move.after());
                }
            }
            return SaveResult.SAVED;
        }
    }

    private boolean pooling(String organizationId) {
        Organization organization = organizations.get(organizationId);
        return organization != null && organization.pooled();
    }

    @Override
    public synchronized PoolView readPool(String organizationId, Period period, boolean consistent) {
        return new PoolView(organizations.get(organizationId), pools.get(key(organizationId, period)));
    }

    @Override
    public synchronized Optional<Organization> findOrganization(String organizationId, boolean consistent) {
        return Optional.ofNullable(organizations.get(organizationId));
    }

    @Override
    public synchronized Members members(String organizationId) {
        return new Members(memberIds.getOrDefault(organizationId, new java.util.TreeSet<>()).stream().map(workspaces::get).toList(),
                memberRevisions.getOrDefault(organizationId, 0L));
    }

    @Override
    public synchronized PoolState readPoolState(String organizationId, List<String> workspaceIds, List<Period> periods) {
        Map<Period, PoolBalance> found = new HashMap<>();
        Map<String, Map<Period, Balance>> members = new HashMap<>();
        for (Period period : periods) {
            PoolBalance pool = pools.get(key(organizationId, period));
            if (pool != null) {
                found.put(period, pool);
            }
            for (String workspaceId : workspaceIds) {
                Balance balance = balances.get(key(workspaceId, period));
                if (balance != null) {
                    members.computeIfAbsent(workspaceId, id -> new HashMap<>()).put(period, balance);
                }
            }
        }
        return new PoolState(found, members);
    }

    @Override
    public SaveResult saveOrganization(OrganizationWrite write) {
        interlope("save");
        synchronized (this) {
            if (contended()) {
                return SaveResult.CONTENTION;
            }
            Organization organization = write.organization();
            Organization stored = organizations.get(organization.organizationId());
            boolean asRead = write.expectedVersion() == 0 ? stored == null : stored != null && stored.version() == write.expectedVersion();
            asRead &= write.membersRevision() == null
                    || memberRevisions.getOrDefault(organization.organizationId(), 0L).equals(write.membersRevision());
            for (MemberMove move : write.members()) {
                Balance current = balances.get(key(move.workspaceId(), move.period()));
                asRead &= move.before() == null ? current == null : current != null && current.revision() == move.before().revision();
            }
            for (PoolStep step : write.pools()) {
                PoolBalance current = pools.get(key(organization.organizationId(), step.after().period()));
                asRead &= step.before() == null ? current == null
                        : current != null && current.ledger().revision() == step.before().ledger().revision();
            }
            if (!asRead) {
                return SaveResult.STALE;
            }
            organizations.put(organization.organizationId(), organization);
            for (MemberMove move : write.members()) {
                if (move.after() != null) {
                    balances.put(key(move.workspaceId(), move.period()), move.after());
                }
            }
            for (PoolStep step : write.pools()) {
                pools.put(key(organization.organizationId(), step.after().period()), step.after());
            }
            return SaveResult.SAVED;
        }
    }

    @Override
    public synchronized Optional<RecordedRun> findRecord(String workspaceId, String executionId) {
        return Optional.ofNullable(records.get(workspaceId + "#" + executionId)).map(InMemoryCreditStore::recordedRun);
    }

    @Override
    public RefundResult refund(RefundWrite refund) {
        interlope("refund");
        synchronized (this) {
            if (contended()) {
                return new RefundResult.Contention("[TransactionConflict]");
            }
            Balance before = refund.before();
            String recordKey = before.workspaceId() + "#" + refund.executionId();
            StoredRecord stored = records.get(recordKey);
            if (stored == null || stored.refund() != null) {
                return new RefundResult.AlreadyRefunded(stored == null ? null : recordedRun(stored));
            }
            String balanceKey = key(before.workspaceId(), before.period());
            Balance current = balances.get(balanceKey);
            if (current == null || current.revision() != before.revision()) {
                return new RefundResult.BalanceChanged(current);
            }
            String poolKey = refund.poolBefore() == null ? null : key(refund.poolBefore().organizationId(), before.period());
            if (poolKey != null && (pools.get(poolKey) == null
                    || pools.get(poolKey).ledger().revision() != refund.poolBefore().ledger().revision())) {
                return new RefundResult.PoolChanged(pools.get(poolKey));
            }
            if (poolKey != null) {
                pools.put(poolKey, refund.poolAfter());
            }
            StoredRecord refunded = new StoredRecord(stored.activity(), stored.body(), refund.refund(), stored.model(), stored.llmModel());
            records.put(recordKey, refunded);
            balances.put(balanceKey, refund.after());
            refundLines.put(recordKey, refund.line());
            ledgerLines.computeIfAbsent(balanceKey, k -> new ArrayList<>()).add(REFUND + recordKey);
            ledgerBodies.add(LedgerBodies.of(refund.line()));
            return new RefundResult.Committed(recordedRun(refunded).currentBody());
        }
    }

    private static RecordedRun recordedRun(StoredRecord stored) {
        return new RecordedRun(LedgerBodies.read(stored.body()), stored.refund(), stored.refund() == null ? stored.body()
                : LedgerBodies.refunded(stored.body(), stored.refund().refundedAt(), stored.refund().reason()));
    }

    private boolean contended() {
        if (contentionsToAnswer > 0) {
            contentionsToAnswer--;
            return true;
        }
        return false;
    }

    private void interlope(String write) {
        Consumer<String> interloper;
        synchronized (this) {
            writes++;
            interloper = beforeEachWrite;
            beforeEachWrite = null;
        }
        if (interloper != null) {
            interloper.accept(write);
        }
    }

    private static String key(String workspaceId, Period period) {
        return workspaceId + "#" + period;
    }
}
