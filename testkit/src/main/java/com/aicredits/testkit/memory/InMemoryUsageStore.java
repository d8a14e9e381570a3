package com.aicredits.testkit.memory;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Balance;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Workspace;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.UsageStore;
import com.aicredits.port.WorkspaceStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link UsageStore} in memory, reading an {@link InMemoryCreditStore}'s ledger and an {@link InMemoryAlertStore}'s
 * markers, with the DynamoDB adapter's contract: a period's lines newest first and an organization's workspaces by id,
 * page by page with an opaque cursor (one this listing did not hand out is refused); balances and fired thresholds; an
 * organization and its pool's balances, and the thresholds its pool fired.
 */
public final class InMemoryUsageStore implements UsageStore {
    private final InMemoryCreditStore credits;
    private final InMemoryAlertStore alerts;

    public InMemoryUsageStore(InMemoryCreditStore credits, InMemoryAlertStore alerts) {
        this.credits = credits;
        this.alerts = alerts;
    }

    @Override
    public LedgerStore.LedgerView workspaceAndBalance(String workspaceId, Period period) {
        return credits.read(workspaceId, period, null, true);
    }

    @Override
    public Page<String> executions(String workspaceId, Period period, int limit, String cursor) {
        List<String> newestFirst = new ArrayList<>(credits.ledger(workspaceId, period));
        Collections.reverse(newestFirst);
        return page(newestFirst, "lines:" + workspaceId + ":" + period + ":", limit, cursor);
    }

    @Override
    public Page<Workspace> workspacesOf(String organizationId, int limit, String cursor) {
        List<Workspace> ofOrganization = credits.workspaces().values().stream()
                .filter(workspace -> workspace.organizationId().equals(organizationId))
                .sorted((a, b) -> a.workspaceId().compareTo(b.workspaceId()))
                .toList();
        return page(ofOrganization, "workspaces:" + organizationId + ":", limit, cursor);
    }

    @Override
    public Map<String, Balance> balances(List<String> workspaceIds, Period period) {
        Map<String, Balance> balances = new HashMap<>();
        for (String id : workspaceIds) {
            Balance balance = credits.balance(id, period);
            if (balance != null) {
                balances.put(id, balance);
            }
        }
        return balances;
    }

    @Override
    public WorkspaceStore.WorkspaceBalances balanceHistory(String workspaceId, List<Period> periods) {
        return credits.readBalances(workspaceId, periods);
    }

    @Override
    public Map<Period, List<Integer>> thresholdsFired(String workspaceId, Period from, Period to) {
        return thresholdsFired(from, to, period -> alerts.markers(workspaceId, period));
    }

    @Override
    public Map<Period, List<Integer>> poolThresholdsFired(String organizationId, Period from, Period to) {
        return thresholdsFired(from, to, period -> alerts.markers(com.aicredits.domain.LedgerOwner.organization(organizationId), period));
    }

    @Override
    public OrganizationPools organizationPools(String organizationId, List<Period> periods) {
        Map<Period, PoolBalance> pools = new HashMap<>();
        for (Period period : periods) {
            PoolBalance pool = credits.readPool(organizationId, period, true).pool();
            if (pool != null) {
                pools.put(period, pool);
            }
        }
        return new OrganizationPools(credits.findOrganization(organizationId, true).orElse(null), pools);
    }

    private static Map<Period, List<Integer>> thresholdsFired(Period from, Period to,
                                                              Function<Period, List<AlertMarker>> markersOf) {
        Map<Period, List<Integer>> fired = new HashMap<>();
        for (Period period = from; period.compareTo(to) <= 0; period = period.next()) {
            for (AlertMarker marker : markersOf.apply(period)) {
                if (marker.alert().kind() == Alert.Kind.THRESHOLD) {
                    fired.computeIfAbsent(period, p -> new ArrayList<>()).add(marker.alert().threshold());
                }
            }
        }
        return fired;
    }

    /** The page after {@code cursor} (a position this listing handed out, prefixed by what it lists). */
    private static <T> Page<T> page(List<T> items, String listing, int limit, String cursor) {
        int from = 0;
        if (cursor != null) {
            if (!cursor.startsWith(listing)) {
                throw invalidCursor();
            }
            try {
                from = Integer.parseInt(cursor.substring(listing.length()));
            } catch (NumberFormatException e) {
                throw invalidCursor();
            }
            if (from <= 0 || from > items.size()) {
                throw invalidCursor();
            }
        }
        int to = Math.min(items.size(), from + limit);
        return new Page<>(List.copyOf(items.subList(from, to)), to < items.size() ? listing + to : null);
    }

    private static CreditsException invalidCursor() {
        return CreditsException.invalid("cursor", "cursor is not one this listing returned; start again without it");
    }
}
