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

    /**
     * The organization's workspaces and their revision, read consistently: the members item lists every workspace of
     * the organization (its creation adds it, in the same transaction), and its revision moves with every write of any
     * of them, so a switch or a pool's opening computed from this list conditions on that revision.
     */
    Members members(String organizationId);

    /** The organization's workspaces ({@link #members}). */
    default List<Workspace> workspacesOf(String organizationId) {
        return members(organizationId).workspaces();
    }

    /** The pool's balances and the workspaces' balances of {@code periods} that exist, in one consistent read. */
    PoolState readPoolState(String organizationId, List<String> workspaceIds, List<Period> periods);

    /**
     * The organization's workspaces ({@link #members}) with their balances of {@code period}, read consistently: what
     * the pool's alerts and summary break its usage down by.
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

    /** An organization's workspaces, and the revision of its members item they were read at (0: none yet). */
    record Members(List<Workspace> workspaces, long revision) {
        public Members {
            workspaces = List.copyOf(workspaces);
        }

        public List<String> ids() {
            return workspaces.stream().map(Workspace::workspaceId).toList();
        }
    }

    /**
     * What a pool's opening was computed from: the organization's version (its pool's settings and add-ons) and its
     * members' revision (its workspaces and their allocations). The opening's write conditions on both.
     */
    record PoolBasis(long organizationVersion, long membersRevision) {
    }

    /** A pool's opening and what it was computed from (a pool as stored: {@code basis} null). */
    record PoolOpening(PoolBalance pool, PoolBasis basis) {
    }

    /** What {@link #readPoolState} found: the pool's balances by period, the workspaces' by workspace and period. */
    record PoolState(Map<Period, PoolBalance> pools, Map<String, Map<Period, Balance>> balances) {
    }

    /**
     * A workspace's balance of {@code period} from {@code before} to {@code after} (compare-and-set on the revision), or,
     * both null, the assertion that it still does not exist.
     */
    record MemberMove(String workspaceId, Period period, Balance before, Balance after) {
    }

    /** A period's pool balance from {@code before} (null: created) to {@code after}. */
    record PoolStep(PoolBalance before, PoolBalance after) {
    }

    /**
     * The organization's write and what moves with it; {@code membersRevision}: the members' revision the moves were
     * computed at (null: they do not depend on the workspaces).
     */
    record OrganizationWrite(Organization organization, long expectedVersion, List<MemberMove> members, List<PoolStep> pools,
                             Long membersRevision) {
        public OrganizationWrite {
            members = List.copyOf(members);
            pools = List.copyOf(pools);
        }

        public int writes() {
            return 1 + members.size() + pools.size() + (membersRevision == null ? 0 : 1);
        }
    }
}
