package com.aicredits.port;

/**
 * The one table as a whole: its ledger, its workspaces, its organizations and its refunds. Only the composition root and the table's
 * adapter see it; each service takes the port its use case needs.
 */
public interface CreditStore extends LedgerStore, WorkspaceStore, OrganizationStore, RefundStore {
}
