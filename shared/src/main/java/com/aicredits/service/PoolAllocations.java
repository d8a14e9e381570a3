package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Period;
import com.aicredits.domain.Workspace;
import com.aicredits.port.LedgerStore.PoolView;
import com.aicredits.port.OrganizationStore.PoolStep;
import com.aicredits.port.WorkspaceStore;
import com.aicredits.port.WorkspaceStore.WorkspaceBalances;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool without monthlyCredits of its own allocates the sum of its workspaces' allocations: when a pooled workspace's
 * allocation moves (a new workspace, a tier, an add-on), its pool moves by as much, in the same transaction.
 */
final class PoolAllocations {
    private PoolAllocations() {
    }

    /**
     * The pool moves that follow {@code before -> after} (before null: created) in {@code periods}: for each period the
     * workspace draws from its organization's pool in (its balance pooled, or not open yet while the organization pools).
     */
    static List<PoolStep> following(WorkspaceStore store, Workspace before, Workspace after, List<Period> periods,
                                    WorkspaceBalances balances) {
        List<PoolStep> steps = new ArrayList<>();
        for (Period period : periods) {
            Credits delta = Allocation.opening(after, period).allocated()
                    .minus(before == null ? Credits.ZERO : Allocation.opening(before, period).allocated());
            Balance balance = balances.balances().get(period);
            if (delta.isZero() || balance != null && !balance.pooled()) {
                continue;
            }
            PoolView view = store.readPool(after.organizationId(), period, true);
            boolean follows = view.organization() != null && view.organization().pooled()
                    && view.organization().creditPool().monthlyCredits() == null && view.pool() != null;
            if (follows) {
                steps.add(new PoolStep(view.pool(), view.pool().withMoreBaseCredits(delta)));
            }
        }
        return steps;
    }
}
