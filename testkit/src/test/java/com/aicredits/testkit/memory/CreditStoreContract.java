package com.aicredits.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Charge;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Organization;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Period;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.Tier;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.json.LedgerBodies;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.port.CreditStore;
import com.aicredits.port.LedgerStore.AppendResult;
import com.aicredits.port.LedgerStore.BalanceStep;
import com.aicredits.port.LedgerStore.BatchResult;
import com.aicredits.port.LedgerStore.BatchView;
import com.aicredits.port.LedgerStore.LedgerBatch;
import com.aicredits.port.LedgerStore.LedgerAppend;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.port.LedgerStore.OpenResult;
import com.aicredits.port.LedgerStore.PoolView;
import com.aicredits.port.LedgerStore.PooledAppend;
import com.aicredits.port.OrganizationStore.MemberMove;
import com.aicredits.port.OrganizationStore.Members;
import com.aicredits.port.OrganizationStore.OrganizationWrite;
import com.aicredits.port.OrganizationStore.PoolStep;
import com.aicredits.port.LedgerStore.Refund;
import com.aicredits.port.RefundStore.RecordedRun;
import com.aicredits.port.RefundStore.RefundResult;
import com.aicredits.port.RefundStore.RefundWrite;
import com.aicredits.port.WorkspaceStore.BalanceMove;
import com.aicredits.port.WorkspaceStore.SaveResult;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of the one table's ports (ledger, workspaces, refunds), run on the DynamoDB adapter
 * ({@code DynamoDbCreditStoreContractIntegrationTest}) and on the in-memory store ({@code InMemoryCreditStoreTest}):
 * what the services rely on, so a service tested on the in-memory store is tested on what DynamoDB does.
 */
abstract class CreditStoreContract {
    private static final Instant AT = Instant.parse("2026-11-07T12:00:00Z");
    private static final Period PERIOD = Period.of(AT);
    private static final PriceCatalog CATALOG = PriceCatalogFile.loadDefault();

    /** A store on its own data (each test also takes workspace ids of its own). */
    protected abstract CreditStore store();

    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);

    private static Workspace workspace(String id, int hardLimitPercent, long version) {
        return new Workspace(id, "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, hardLimitPercent, List.of(), version);
    }

    private Workspace created(int hardLimitPercent) {
        Workspace workspace = workspace(ws, hardLimitPercent, 1);
        assertThat(store().saveWorkspace(workspace, 0, List.of())).isEqualTo(SaveResult.SAVED);
        return workspace;
    }

    private static Charge charge(String activity) {
        return Charge.of(CATALOG.priceAt(activity, AT), PricingModel.EXTEND);
    }

    private static UsageRecord record(String executionId, Charge charge, Balance before, Balance after) {
        return UsageRecord.between(executionId, charge, before, after, AT, AT.plusMillis(5));
    }

    /** Appends {@code executionId} to the balance as it stands (opening the period if it must); returns the balance after. */
    private Balance debit(Workspace workspace, String executionId, String activity) {
        LedgerView view = store().read(ws, PERIOD, null, true);
        Balance before = view.balance() != null ? view.balance() : Allocation.opening(workspace, PERIOD);
        Charge charge = charge(activity);
        Balance after = before.debit(charge, AT);
        AppendResult result = store().append(new LedgerAppend(record(executionId, charge, before, after), view.balance(), after,
                view.balance() == null ? workspace.version() : 0));
        assertThat(result).isInstanceOf(AppendResult.Committed.class);
        return after;
    }

    @Test
    void aBatchOfLinesCommitsWholeOrNotAtAllAndSaysWhichRecordOrBalanceStoodInTheWay() {
        Workspace workspace = created(100); // DEV at 100%: 500 credits
        Balance opening = Allocation.opening(workspace, PERIOD);
        List<UsageRecord> lines = new java.util.ArrayList<>();
        Balance after = opening;
        for (int i = 0; i < 3; i++) {
            Balance before = after;
            after = before.debit(charge("case.investigation"), AT);
            lines.add(record("b-" + i, charge("case.investigation"), before, after));
        }
        Balance written = after;
        BatchResult first = store().appendAll(new LedgerBatch(lines, List.of(new BalanceStep(null, written)), workspace.version()));

        assertThat(first).isInstanceOfSatisfying(BatchResult.Committed.class,
                committed -> assertThat(committed.bodies()).containsExactlyElementsOf(lines.stream().map(LedgerBodies::of).toList()));
        BatchView view = store().readAll(ws, List.of(PERIOD), List.of("b-0", "b-2", "nobody"), true);
        assertThat(view.records()).containsOnlyKeys("b-0", "b-2");
        assertThat(view.balances().get(PERIOD)).isEqualTo(after);

        // The same lines again: nothing written, and the ids that stood in the way come back.
        assertThat(store().appendAll(new LedgerBatch(lines, List.of(new BalanceStep(opening, after)), 0)))
                .isInstanceOfSatisfying(BatchResult.AlreadyRecorded.class, recorded -> assertThat(recorded.existing()).containsKey("b-0"));
        // New lines from a stale balance: the balance as it stands comes back, with its period.
        Balance stale = opening.debit(charge("task.execution"), AT);
        UsageRecord late = record("late", charge("task.execution"), opening, stale);
        assertThat(store().appendAll(new LedgerBatch(List.of(late), List.of(new BalanceStep(opening, stale)), 0)))
                .isInstanceOfSatisfying(BatchResult.BalanceChanged.class, changed -> {
                    assertThat(changed.period()).isEqualTo(PERIOD);
                    assertThat(changed.fresh()).isEqualTo(written);
                });
        // Lines whose sum would pass the hard limit, from the balance as it stands: refused by the condition.
        List<UsageRecord> tooMany = new java.util.ArrayList<>();
        Balance over = after;
        for (int i = 0; i < 39; i++) {
            Balance before = over;
            over = before.debit(charge("case.investigation"), AT);
            tooMany.add(record("over-" + i, charge("case.investigation"), before, over));
        }
        assertThat(store().appendAll(new LedgerBatch(tooMany, List.of(new BalanceStep(after, over)), 0)))
                .isInstanceOf(BatchResult.BalanceChanged.class);
        assertThat(store().read(ws, PERIOD, "over-0", true).record()).isNull();
        assertThat(store().read(ws, PERIOD, null, true).balance()).isEqualTo(after);
    }

    @Test
    void aPooledLineMovesTheWorkspaceAndItsPoolTogetherAndEveryOpeningChecksTheOrganizationsMode() {
        String org = "org-" + ws;
        Workspace workspace = new Workspace(ws, org, "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null, List.of(), null,
                200, List.of(), 1);
        assertThat(store().saveWorkspace(workspace, 0, List.of())).isEqualTo(SaveResult.SAVED);
        Organization pooling = new Organization(org, "Acme", new CreditPool(true, 10L, 100, null, List.of()), List.of(), 1);
        PoolBalance pool = PoolBalance.opening(org, PERIOD, Credits.of(10), Credits.ZERO, 100, List.of());
        Members members = store().members(org);
        assertThat(members.ids()).as("its creation listed the workspace").containsExactly(ws);
        OrganizationWrite enable = new OrganizationWrite(pooling, 0, List.of(new MemberMove(ws, PERIOD, null, null)),
                List.of(new PoolStep(null, pool)), members.revision());
        assertThat(store().saveOrganization(enable)).isEqualTo(SaveResult.SAVED);
        assertThat(store().saveOrganization(enable)).as("created once").isEqualTo(SaveResult.STALE);
        assertThat(store().readPool(org, PERIOD, true)).isEqualTo(new PoolView(pooling, pool));

        // Openings computed as if the organization did not pool are refused, by a debit and by the reset alike.
        Balance own = Allocation.opening(workspace, PERIOD);
        Balance ownAfter = own.debit(charge("task.execution"), AT);
        assertThat(store().appendAll(new LedgerBatch(List.of(record("own", charge("task.execution"), own, ownAfter)),
                List.of(new BalanceStep(null, ownAfter)), 1))).isInstanceOf(BatchResult.WorkspaceChanged.class);
        assertThat(store().open(own, 1)).isEqualTo(OpenResult.WORKSPACE_CHANGED);

        Balance opening = Allocation.opening(workspace, PERIOD, true);
        Charge agent = charge("agent.execution");
        Balance after = opening.debit(agent, AT);
        PoolBalance poolAfter = pool.debit(agent, AT);
        UsageRecord first = UsageRecord.pooled("p-1", agent, pool, poolAfter, after, AT, AT);
        assertThat(store().appendPooled(new PooledAppend(first, null, after, 1, pool, poolAfter, null)))
                .isInstanceOf(AppendResult.Committed.class);
        assertThat(store().read(ws, PERIOD, "p-1", true).balance()).isEqualTo(after);
        // A write of one of its workspaces moves the members' revision: a switch computed before it is redone.
        assertThat(store().saveWorkspace(new Workspace(ws, org, "Acme 2", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 2), 1, List.of())).isEqualTo(SaveResult.SAVED);
        assertThat(store().members(org).revision()).isGreaterThan(members.revision());
        assertThat(store().saveOrganization(new OrganizationWrite(pooling.withVersion(2), 1, List.of(), List.of(),
                members.revision()))).isEqualTo(SaveResult.STALE);
        assertThat(store().read(ws, PERIOD, "p-1", true).record().body()).isEqualTo(LedgerBodies.of(first));
        assertThat(store().readPool(org, PERIOD, true).pool()).isEqualTo(poolAfter);

        // From a stale pool: the pool as it stands comes back; past its hard limit (6 + 6 > 10): the same, nothing written.
        Balance second = after.debit(agent, AT);
        assertThat(store().appendPooled(new PooledAppend(UsageRecord.pooled("p-2", agent, pool, pool.debit(agent, AT), second, AT, AT),
                after, second, 0, pool, pool.debit(agent, AT), null)))
                .isEqualTo(new AppendResult.PoolChanged(poolAfter));
        PoolBalance over = poolAfter.debit(agent, AT);
        assertThat(store().appendPooled(new PooledAppend(UsageRecord.pooled("p-2", agent, poolAfter, over, second, AT, AT),
                after, second, 0, poolAfter, over, null)))
                .isEqualTo(new AppendResult.PoolChanged(poolAfter));
        assertThat(store().read(ws, PERIOD, "p-2", true).record()).isNull();
        assertThat(store().read(ws, PERIOD, null, true).balance()).isEqualTo(after);
    }

    @Test
    void aWorkspaceIsCreatedOnceAndReplacedOnlyAtTheVersionRead() {
        Workspace workspace = created(200);
        assertThat(store().saveWorkspace(workspace, 0, List.of())).isEqualTo(SaveResult.STALE);
        assertThat(store().findWorkspace(ws, true)).contains(workspace);
        Workspace renamed = workspace(ws, 150, 2);
        assertThat(store().saveWorkspace(renamed, 1, List.of())).isEqualTo(SaveResult.SAVED);
        assertThat(store().saveWorkspace(workspace(ws, 120, 2), 1, List.of())).isEqualTo(SaveResult.STALE);
        assertThat(store().findWorkspace(ws, true)).contains(renamed);
        assertThat(store().findWorkspace("ws-nobody-" + ws, true)).isEmpty();
    }

    @Test
    void aWorkspaceChangeMovesItsBalancesAtTheirRevisionOrNotAtAll() {
        Workspace workspace = created(200);
        Balance balance = debit(workspace, "run-1", "task.execution");
        Workspace raised = workspace(ws, 300, 2);
        Balance moved = balance.withSettingsOf(raised);
        Balance stale = Allocation.opening(workspace, PERIOD);
        assertThat(store().saveWorkspace(raised, 1, List.of(new BalanceMove(PERIOD, stale, stale.withSettingsOf(raised)))))
                .isEqualTo(SaveResult.STALE);
        assertThat(store().findWorkspace(ws, true)).contains(workspace);
        assertThat(store().saveWorkspace(raised, 1, List.of(new BalanceMove(PERIOD.next(), null, null),
                new BalanceMove(PERIOD, balance, moved)))).isEqualTo(SaveResult.SAVED);
        assertThat(store().readBalances(ws, List.of(PERIOD, PERIOD.next())).balances()).containsOnlyKeys(PERIOD);
        assertThat(store().readBalances(ws, List.of(PERIOD)).balances().get(PERIOD).hardLimitPercent()).isEqualTo(300);
    }

    @Test
    void theFirstLineOpensThePeriodOnlyAtTheWorkspacesVersionAndStoresItsBody() {
        Workspace workspace = created(200);
        Balance opening = Allocation.opening(workspace, PERIOD);
        Charge charge = charge("case.investigation");
        Balance after = opening.debit(charge, AT);
        UsageRecord record = record("run-1", charge, opening, after);
        assertThat(store().append(new LedgerAppend(record, null, after, 7))).isInstanceOf(AppendResult.WorkspaceChanged.class);
        assertThat(store().read(ws, PERIOD, "run-1", true).balance()).isNull();

        AppendResult committed = store().append(new LedgerAppend(record, null, after, 1));
        assertThat(committed).isEqualTo(new AppendResult.Committed(LedgerBodies.of(record)));
        LedgerView view = store().read(ws, PERIOD, "run-1", true);
        assertThat(view.workspace()).isEqualTo(workspace);
        assertThat(view.balance()).isEqualTo(after);
        assertThat(view.record().body()).isEqualTo(LedgerBodies.of(record));
        assertThat(view.record().activity()).isEqualTo("case.investigation");
        assertThat(view.record().refund()).isNull();
    }

    @Test
    void anExecutionIdIsRecordedOnceAndItsRecordComesBack() {
        Workspace workspace = created(200);
        Balance after = debit(workspace, "run-1", "task.execution");
        String body = store().read(ws, PERIOD, "run-1", true).record().body();
        Charge charge = charge("task.execution");
        UsageRecord again = record("run-1", charge, after, after.debit(charge, AT));
        AppendResult result = store().append(new LedgerAppend(again, after, after.debit(charge, AT), 0));
        assertThat(result).isInstanceOfSatisfying(AppendResult.AlreadyRecorded.class,
                recorded -> assertThat(recorded.existing().body()).isEqualTo(body));
        assertThat(store().read(ws, PERIOD, null, true).balance()).isEqualTo(after);
    }

    @Test
    void aLineComputedFromAStaleBalanceLosesTheRaceAndGetsTheFreshBalance() {
        Workspace workspace = created(200);
        Balance first = debit(workspace, "run-1", "task.execution");
        Balance second = debit(workspace, "run-2", "task.execution");
        Charge charge = charge("task.execution");
        AppendResult lost = store().append(new LedgerAppend(record("run-3", charge, first, first.debit(charge, AT)), first,
                first.debit(charge, AT), 0));
        assertThat(lost).isEqualTo(new AppendResult.BalanceChanged(second));
        assertThat(store().read(ws, PERIOD, "run-3", true).record()).isNull();

        Balance opening = Allocation.opening(workspace, PERIOD);
        AppendResult reopened = store().append(new LedgerAppend(record("run-4", charge, opening, opening.debit(charge, AT)), null,
                opening.debit(charge, AT), 1));
        assertThat(reopened).isEqualTo(new AppendResult.BalanceChanged(second));
    }

    @Test
    void aPeriodOpensOnceAndOnlyAtTheWorkspacesVersion() {
        Workspace workspace = created(200);
        Balance opening = Allocation.opening(workspace, PERIOD);
        assertThat(store().open(opening, 3)).isEqualTo(OpenResult.WORKSPACE_CHANGED);
        assertThat(store().open(opening, 1)).isEqualTo(OpenResult.OPENED);
        assertThat(store().open(opening, 1)).isEqualTo(OpenResult.ALREADY_OPEN);
        assertThat(store().read(ws, PERIOD, null, true).balance()).isEqualTo(opening);
    }

    @Test
    void aBalanceIsMarkedBlockedOnceLeavingItsRevision() {
        Workspace workspace = created(200);
        assertThat(store().markBlocked(ws, PERIOD, AT)).isFalse();
        Balance after = debit(workspace, "run-1", "task.execution");
        assertThat(store().markBlocked(ws, PERIOD, AT.plusSeconds(1))).isTrue();
        assertThat(store().markBlocked(ws, PERIOD, AT.plusSeconds(2))).isFalse();
        Balance blocked = store().read(ws, PERIOD, null, true).balance();
        assertThat(blocked.blockedAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(blocked.revision()).isEqualTo(after.revision());
    }

    @Test
    void aRecordIsRefundedOnceWithItsLineAndTheBalanceAtItsRevision() {
        Workspace workspace = created(200);
        debit(workspace, "run-1", "case.investigation");
        Balance balance = debit(workspace, "run-2", "task.execution");
        assertThat(store().findRecord(ws, "run-nothing")).isEmpty();
        RecordedRun run = store().findRecord(ws, "run-1").orElseThrow();
        assertThat(run.refund()).isNull();
        assertThat(run.currentBody()).isEqualTo(store().read(ws, PERIOD, "run-1", true).record().body());

        Balance after = balance.refund(run.record());
        Refund refund = new Refund("2026-11-08T09:00:00Z", "aborted");
        RefundLine line = RefundLine.of(run.record(), after, Instant.parse(refund.refundedAt()), "aborted");
        Balance stale = Allocation.opening(workspace, PERIOD);
        assertThat(store().refund(new RefundWrite("run-1", refund, line, stale, stale.refund(run.record()))))
                .isEqualTo(new RefundResult.BalanceChanged(balance));

        String refundedBody = LedgerBodies.refunded(run.currentBody(), refund.refundedAt(), refund.reason());
        assertThat(store().refund(new RefundWrite("run-1", refund, line, balance, after)))
                .isEqualTo(new RefundResult.Committed(refundedBody));
        assertThat(store().read(ws, PERIOD, null, true).balance()).isEqualTo(after);
        RecordedRun refunded = store().findRecord(ws, "run-1").orElseThrow();
        assertThat(refunded.refund()).isEqualTo(refund);
        assertThat(refunded.currentBody()).isEqualTo(refundedBody);
        assertThat(store().read(ws, PERIOD, "run-1", true).record().body()).isEqualTo(run.currentBody());

        assertThat(store().refund(new RefundWrite("run-1", refund, line, after, after.refund(run.record()))))
                .isEqualTo(new RefundResult.AlreadyRefunded(refunded));
        assertThat(store().refund(new RefundWrite("run-gone", refund, line, after, after.refund(run.record()))))
                .isEqualTo(new RefundResult.AlreadyRefunded(null));
    }
}
