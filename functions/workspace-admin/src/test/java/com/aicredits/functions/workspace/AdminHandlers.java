package com.aicredits.functions.workspace;

import com.aicredits.agents.AgentService;
import com.aicredits.service.AddonService;
import com.aicredits.service.RefundService;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.dynamodb.DynamoDbAgentStore;
import com.aicredits.testkit.CreditsTable;
import java.time.Clock;

/** The real handler wired to a test table and clock, as its no-argument constructor wires production's. */
final class AdminHandlers {
    private AdminHandlers() {
    }

    static WorkspaceAdminHandler on(CreditsTable table, Clock clock) {
        return new WorkspaceAdminHandler(new WorkspaceService(table.store, clock),
                new AgentService(table.store, new DynamoDbAgentStore(table.client, table.name), clock),
                new AddonService(table.store, clock), new RefundService(table.store, clock));
    }
}
