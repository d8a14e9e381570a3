package com.aicredits.domain;

import java.util.Comparator;
import java.util.List;

/**
 * A workspace of an organization and its balance of one period (null: not open that period): what the pool's emails
 * break its usage down by.
 */
public record PoolMember(Workspace workspace, Balance balance) {

    /** What the workspace used that period while drawing from the pool (zero when it did not). */
    public Credits pooledUsed() {
        return balance != null && balance.pooled() ? balance.used() : Credits.ZERO;
    }

    /** The members that drew from the pool that period, the largest users first (then by id, so the order is stable). */
    public static List<PoolMember> drawingFromPool(List<PoolMember> members) {
        return members.stream().filter(member -> member.balance() != null && member.balance().pooled())
                .sorted(Comparator.comparing((PoolMember member) -> member.pooledUsed().hundredths()).reversed()
                        .thenComparing(member -> member.workspace().workspaceId()))
                .toList();
    }
}
