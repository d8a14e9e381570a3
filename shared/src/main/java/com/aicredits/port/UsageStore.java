package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Workspace;
import java.util.List;
import java.util.Map;

/** Read-only queries for usage: every answer reads a bounded number of items, however busy the month was. */
public interface UsageStore {
    /** The workspace and its balance for the period (either may be null). */
    LedgerStore.LedgerView workspaceAndBalance(String workspaceId, Period period);

    /** A period's ledger lines, newest first, as their stored response bodies (a refunded record with its refund). */
    Page<String> executions(String workspaceId, Period period, int limit, String cursor);

    /** An organization's workspaces, by id. */
    Page<Workspace> workspacesOf(String organizationId, int limit, String cursor);

    /** The balances of these workspaces for the period, by workspace id (absent: never debited). */
    Map<String, Balance> balances(List<String> workspaceIds, Period period);

    /**
     * The workspace and its balances of {@code periods} (absent: never debited), in one BatchGetItem of up to 100 keys:
     * O(periods) reads, however many records the months hold.
     */
    WorkspaceStore.WorkspaceBalances balanceHistory(String workspaceId, List<Period> periods);

    /** The thresholds whose alert markers say they fired, by period, for {@code from} to {@code to}: one Query. */
    Map<Period, List<Integer>> thresholdsFired(String workspaceId, Period from, Period to);

    /**
     * The organization (null when absent) and its credit pool's balances of {@code periods} (absent: not open), in one
     * BatchGetItem.
     */
    OrganizationPools organizationPools(String organizationId, List<Period> periods);

    /**
     * The thresholds whose alert markers say the organization's pool fired them, by period, for {@code from} to
     * {@code to}: one Query of the organization's markers, as {@link #thresholdsFired} of a workspace's.
     */
    Map<Period, List<Integer>> poolThresholdsFired(String organizationId, Period from, Period to);

    /** What {@link #organizationPools} found. */
    record OrganizationPools(Organization organization, Map<Period, PoolBalance> pools) {
        public OrganizationPools {
            pools = Map.copyOf(pools);
        }
    }

    /** One page and the opaque cursor of the next (null on the last page). */
    record Page<T>(List<T> items, String nextCursor) {
    }

}
