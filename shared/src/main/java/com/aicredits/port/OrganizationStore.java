package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.PoolMember;
import com.aicredits.domain.Workspace;
import com.aicredits.port.WorkspaceStore.SaveResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Organizations and their credit pools: the organization's settings, its pool's balance per period, and the switch
 * that moves the organization, its pool and its workspaces' balances in one transaction (compare-and-set on the
 * organization's version and on each balance's revision, or on its absence).
 */
public interface OrganizationStore {
    /** The organization; {@code consistent} for any decision taken from it. */
    Optional<Organization> findOrganization(String organizationId, boolean consistent);

    /** The organization's workspaces, from the index (eventually consistent: one created a moment ago may be missing). */
    List<Workspace> workspacesOf(String organizationId);

    /** The pool's balances and the workspaces' balances of {@code periods} that exist, in one consistent read. */
    PoolState readPoolState(String organizationId, List<String> workspaceIds, List<Period> periods);

    /**
     * The organization's workspaces (from the index, so one created within its lag may be missing) with their balances
     * of {@code period}, read consistently: what the pool's alerts and summary break its usage down by.
     */
    default List<PoolMember> poolMembers(String organizationId, Period period) {
        List<Workspace> workspaces = workspacesOf(organizationId);
        if (workspaces.isEmpty()) {
            return List.of();
        }
        PoolState state = readPoolState(organizationId, workspaces.stream().map(Workspace::workspaceId).toList(), List.of(period));
        return workspaces.stream().map(workspace -> new PoolMember(workspace,
                state.balances().getOrDefault(workspace.workspaceId(), Map.of()).get(period))).toList();
    }

    /**
     * Creates ({@code expectedVersion == 0}) or replaces the organization, and in the same transaction makes each move
     * of its workspaces' balances and of its pool's. Nothing is written unless {@link SaveResult#SAVED}.
     */
    SaveResult saveOrganization(OrganizationWrite write);

    /** The most writes one switch may take (DynamoDB's transaction limit). */
    int MAX_SWITCH_WRITES = LedgerStore.MAX_TRANSACTION_ITEMS;

    /** What {@link #readPoolState} found: the pool's balances by period, the workspaces' by workspace and period. */
    record PoolState(Map<Period, PoolBalance> pools, Map<String, Map<Period, Balance>> balances) {
    }

    /**
     * A workspace's balance of {@code period} from {@code before} to {@code after} (compare-and-set on the revision), or,
     * both null, the assertion that it still does not exist.
     */
    record MemberMove(String workspaceId, Period period, Balance before, Balance after) {
    }

    /** A pool's balance from {@code before} (null: created) to {@code after}. */
    record PoolStep(PoolBalance before, PoolBalance after) {
    }

    record OrganizationWrite(Organization organization, long expectedVersion, List<MemberMove> members, List<PoolStep> pools) {
        public OrganizationWrite {
            members = List.copyOf(members);
            pools = List.copyOf(pools);
        }

        public int writes() {
            return 1 + members.size() + pools.size();
        }
    }
}
