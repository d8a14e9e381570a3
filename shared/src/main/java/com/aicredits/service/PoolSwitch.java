package com.aicredits.service;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Workspace;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.OrganizationStore;
import com.aicredits.port.OrganizationStore.MemberMove;
import com.aicredits.port.OrganizationStore.OrganizationWrite;
import com.aicredits.port.OrganizationStore.PoolState;
import com.aicredits.port.OrganizationStore.PoolStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an organization's write moves with it, per period (the current one and the next, which may be open early):
 * enabling the pool marks every open balance of its workspaces pooled and (re)opens the pool with what they used so
 * far; disabling unmarks them and keeps the pool's ledger as it stands; a workspace not open yet is asserted still
 * absent, so an opening that commits meanwhile (under the old mode) cancels the switch, which is then redone. Every
 * balance moves at the revision read and the pool at its own: a debit committing meanwhile cancels the switch too.
 */
final class PoolSwitch {
    private PoolSwitch() {
    }

    static OrganizationWrite plan(Organization existing, Organization saved, OrganizationStore.Members workspaces,
                                  List<Period> periods, PoolState state) {
        List<Workspace> members = workspaces.workspaces();
        boolean wasPooled = existing != null && existing.pooled();
        List<MemberMove> moves = new ArrayList<>();
        List<PoolStep> pools = new ArrayList<>();
        for (Period period : periods) {
            PoolBalance poolBefore = state.pools().get(period);
            // Pooling now, or pooled until now: every balance is brought to the new mode, every absent one asserted so.
            boolean moving = saved.pooled() || wasPooled || poolBefore != null && poolBefore.enabled();
            List<Balance> open = new ArrayList<>();
            for (Workspace member : members) {
                Balance balance = state.balances().getOrDefault(member.workspaceId(), Map.of()).get(period);
                if (balance != null) {
                    open.add(balance);
                }
                if (moving && balance == null) {
                    moves.add(new MemberMove(member.workspaceId(), period, null, null));
                } else if (moving && balance.pooled() != saved.pooled()) {
                    moves.add(new MemberMove(member.workspaceId(), period, balance, balance.withPooled(saved.pooled())));
                }
            }
            if (saved.pooled()) {
                if (poolBefore != null || !open.isEmpty() || period.equals(periods.getFirst())) {
                    PoolBalance after = opened(saved, members, period, state, poolBefore, open);
                    pools.add(new PoolStep(poolBefore, after));
                }
            } else if (poolBefore != null && poolBefore.enabled()) {
                pools.add(new PoolStep(poolBefore, poolBefore.disabled()));
            }
        }
        return new OrganizationWrite(saved, existing == null ? 0 : existing.version(), moves, pools, workspaces.revision());
    }

    /** The pool of {@code period} as it opens (or is enabled again) with the members' balances as read. */
    static PoolBalance opened(Organization org, List<Workspace> members, Period period, PoolState state,
                              PoolBalance before, List<Balance> open) {
        Credits base = base(org, members, period, state);
        int hardLimitPercent = org.creditPool().effectiveHardLimitPercent(allLegacy(members));
        Credits addons = org.addonCredits(period);
        return before == null
                ? PoolBalance.opening(org.organizationId(), period, base, addons, hardLimitPercent, open)
                : before.reopened(base, addons, hardLimitPercent, open);
    }

    /**
     * The pool of {@code period} as a debit or the monthly reset opens it, the organization pooling: its workspaces'
     * pooled balances of the period hold nothing yet (a pooled run moves the pool too), so it opens with zero used.
     */
    static OrganizationStore.PoolOpening openingFor(OrganizationStore store, Organization org, Period period) {
        OrganizationStore.Members members = store.members(org.organizationId());
        PoolState state = store.readPoolState(org.organizationId(), members.ids(), List.of(period));
        List<Balance> pooled = state.balances().values().stream().map(byPeriod -> byPeriod.get(period))
                .filter(balance -> balance != null && balance.pooled()).toList();
        return new OrganizationStore.PoolOpening(opened(org, members.workspaces(), period, state, null, pooled),
                new OrganizationStore.PoolBasis(org.version(), members.revision()));
    }

    /**
     * The pool a pooled balance of {@code period} draws from: the one {@code view} holds (its basis null), else its
     * opening; null when the organization, as read, does not pool.
     */
    static OrganizationStore.PoolOpening drawnFrom(OrganizationStore store, LedgerStore.PoolView view, Period period) {
        if (view.pool() != null) {
            return new OrganizationStore.PoolOpening(view.pool(), null);
        }
        if (view.organization() == null || !view.organization().pooled()) {
            return null;
        }
        return openingFor(store, view.organization(), period);
    }

    /** The pool's monthly credits: the organization's own, else the sum of its workspaces' allocations that month. */
    static Credits base(Organization org, List<Workspace> members, Period period, PoolState state) {
        Long monthlyCredits = org.creditPool().monthlyCredits();
        if (monthlyCredits != null) {
            return Credits.of(monthlyCredits);
        }
        Credits sum = Credits.ZERO;
        for (Workspace member : members) {
            Balance balance = state.balances().getOrDefault(member.workspaceId(), Map.of()).get(period);
            sum = sum.plus(balance != null ? balance.allocated() : Allocation.opening(member, period).allocated());
        }
        return sum;
    }

    static boolean allLegacy(List<Workspace> members) {
        return !members.isEmpty() && members.stream().allMatch(member -> member.pricingModel() == PricingModel.LEGACY);
    }

    /** Same settings (name, pool), whatever the version and the pool's add-ons. */
    static boolean sameSettings(Organization a, Organization b) {
        return a.name().equals(b.name()) && Objects.equals(a.creditPool(), b.creditPool());
    }
}
