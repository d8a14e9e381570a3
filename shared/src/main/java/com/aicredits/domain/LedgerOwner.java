package com.aicredits.domain;

/**
 * Whose running ledger a balance is, and so whose alerts and monthly summary: a workspace drawing from its own
 * allocation, or an organization's credit pool. Their markers are the same items, on the owner's own partition.
 */
public record LedgerOwner(Kind kind, String id) {
    public enum Kind { WORKSPACE, ORGANIZATION }

    public LedgerOwner {
        if (kind == null || id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a ledger owner needs a kind and an id");
        }
    }

    public static LedgerOwner workspace(String workspaceId) {
        return new LedgerOwner(Kind.WORKSPACE, workspaceId);
    }

    public static LedgerOwner organization(String organizationId) {
        return new LedgerOwner(Kind.ORGANIZATION, organizationId);
    }

    public boolean isOrganization() {
        return kind == Kind.ORGANIZATION;
    }

    @Override
    public String toString() {
        return (kind == Kind.WORKSPACE ? "workspace " : "organization ") + id;
    }
}
