package com.aicredits.service;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last balance this container saw per workspace and period, so that the first try of a debit is usually
 * right and the steady state is one DynamoDB call. Only a hint: every write is a compare-and-set on the
 * balance's revision, and a refusal is never decided from here.
 */
final class BalanceCache {
    private final Map<String, Balance> entries;

    BalanceCache(int capacity) {
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Balance> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Balance get(String workspaceId, Period period) {
        return entries.get(key(workspaceId, period));
    }

    /** Remembers {@code balance} unless a newer revision is already known. */
    synchronized void offer(Balance balance) {
        entries.merge(key(balance.workspaceId(), balance.period()), balance,
                (known, offered) -> offered.revision() >= known.revision() ? offered : known);
    }

    synchronized void forget(String workspaceId, Period period) {
        entries.remove(key(workspaceId, period));
    }

    private static String key(String workspaceId, Period period) {
        return workspaceId + '#' + period;
    }
}
