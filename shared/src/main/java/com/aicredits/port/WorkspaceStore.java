package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.domain.Workspace;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A workspace's settings, and the open balances a settings change moves with it in one transaction (compare-and-set
 * on the workspace's version and each balance's revision). Used by the workspace, add-on and agent services.
 */
public interface WorkspaceStore {
    /** The workspace alone, read eventually consistently: never for a decision (see the consistent overload). */
    default java.util.Optional<Workspace> findWorkspace(String workspaceId) {
        return findWorkspace(workspaceId, false);
    }

    /**
     * The workspace alone; {@code consistent} for any decision taken from it (a limit, a 404, whom to email): an
     * eventually consistent read can return it as it stood a moment ago, or miss one just created.
     */
    java.util.Optional<Workspace> findWorkspace(String workspaceId, boolean consistent);

    /** The workspace (null when absent) and its balances of {@code periods} that exist, in one consistent read. */
    WorkspaceBalances readBalances(String workspaceId, List<Period> periods);

    /**
     * Creates ({@code expectedVersion == 0}) or replaces (at {@code expectedVersion}) a workspace, and in the same
     * transaction moves each of {@code balances} to its settings. Nothing is written unless {@link SaveResult#SAVED}.
     */
    default SaveResult saveWorkspace(Workspace workspace, long expectedVersion, List<BalanceMove> balances) {
        return saveWorkspace(workspace, expectedVersion, balances, List.of());
    }

    /**
     * As above, and in the same transaction moves each of {@code pools} (compare-and-set on its revision): the pools
     * whose allocation is the sum of their workspaces' follow this one's. Every workspace write also moves its
     * organization's members item (a creation adds the workspace's id), which a pool's switch or opening conditions on.
     */
    SaveResult saveWorkspace(Workspace workspace, long expectedVersion, List<BalanceMove> balances,
                             List<OrganizationStore.PoolStep> pools);

    /** The organization (null when absent) and its pool's balance of {@code period} (null: not open), in one read. */
    LedgerStore.PoolView readPool(String organizationId, Period period, boolean consistent);

    /** What a workspace write did. */
    enum SaveResult {
        SAVED,
        /** Something read has moved on (the workspace's version, a balance's revision, a balance now open): read again. */
        STALE,
        /** Cancelled for a conflict with another write in flight, or throttled: nothing moved, back off and try again. */
        CONTENTION
    }

    /** A workspace and those of its balances that a read found, by period. */
    record WorkspaceBalances(Workspace workspace, Map<Period, Balance> balances) {
        /** Each of {@code periods} moved by {@code change}: its balance as read and as changed, or its absence. */
        public List<BalanceMove> moved(List<Period> periods, UnaryOperator<Balance> change) {
            return periods.stream().map(period -> {
                Balance before = balances.get(period);
                return new BalanceMove(period, before, before == null ? null : change.apply(before));
            }).toList();
        }
    }

    /**
     * One balance a workspace change moves: {@code before -> after} (compare-and-set on {@code before.revision()}), or,
     * both null, the assertion that the balance of {@code period} still does not exist (so an opening that commits
     * between the read and the write, from the old settings, cancels the change, which is then redone).
     */
    record BalanceMove(Period period, Balance before, Balance after) {
    }
}
