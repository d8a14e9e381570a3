package com.aicredits.service;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AgentStore;
import com.aicredits.port.WorkspaceStore;
import java.time.Clock;
import java.util.List;

/**
 * AI agent instances: registering one more than the workspace's limit is refused (409), exactly, also under
 * concurrent registrations; a tier downgrade below the current count keeps the instances and refuses new ones
 * until the count is under the new limit.
 */
public final class AgentService {
    private final WorkspaceStore workspaces;
    private final AgentStore agents;
    private final Clock clock;
    /** Registrations cancelled by conflicts or throttles (nothing written) back off within it, as a debit's. */
    private final Retries retries;

    public AgentService(WorkspaceStore workspaces, AgentStore agents, Clock clock, Retries retries) {
        this.workspaces = workspaces;
        this.agents = agents;
        this.clock = clock;
        this.retries = retries;
    }

    /** The agent list response. */
    public record AgentList(List<AgentStore.Agent> items, int count, int limit) {
    }

    /**
     * True when this call registered the agent (201), false when it was registered already (200). The limit comes
     * from a consistent read and the registration commits only while the workspace is at that version; registrations
     * DynamoDB cancels for conflicting with each other (they all touch the counter) are retried.
     */
    public boolean register(String workspaceId, String agentId) {
        Ids.agentId(agentId);
        Workspace workspace = workspace(workspaceId);
        Retries.Deadline deadline = retries.start();
        for (boolean again = true; again; ) {
            int limit = workspace.effectiveAgentInstanceLimit();
            switch (agents.register(workspaceId, agentId, limit, workspace.version(), clock.instant())) {
                case REGISTERED -> {
                    return true;
                }
                case ALREADY_REGISTERED -> {
                    return false;
                }
                case LIMIT_REACHED -> throw new CreditsException(Refusal.AGENT_LIMIT_REACHED, "workspace " + workspaceId
                        + " already has " + limit + " AI agent instances, its limit (tier " + workspace.tier()
                        + (workspace.agentInstanceLimit() != null ? ", overridden" : "") + "); release one first");
                case WORKSPACE_CHANGED -> {
                    workspace = workspace(workspaceId);
                    again = deadline.timeLeft();
                }
                case CONTENTION -> again = deadline.backOff();
            }
        }
        throw busy(workspaceId);
    }

    public void release(String workspaceId, String agentId) {
        Ids.agentId(agentId);
        workspace(workspaceId);
        Retries.Deadline deadline = retries.start();
        for (boolean again = true; again; ) {
            switch (agents.release(workspaceId, agentId)) {
                case RELEASED -> {
                    return;
                }
                case NOT_REGISTERED -> throw new CreditsException(Refusal.UNKNOWN_AGENT, "agent " + agentId + " is not registered in workspace " + workspaceId);
                case CONTENTION -> again = deadline.backOff();
            }
        }
        throw busy(workspaceId);
    }

    private static CreditsException busy(String workspaceId) {
        return new CreditsException(Refusal.CONTENTION, "the agent instances of workspace " + workspaceId
                + " are too busy right now; retry");
    }

    public AgentList list(String workspaceId) {
        Workspace workspace = workspace(workspaceId);
        List<AgentStore.Agent> items = agents.list(workspaceId);
        return new AgentList(items, items.size(), workspace.effectiveAgentInstanceLimit());
    }

    private Workspace workspace(String workspaceId) {
        Ids.workspaceId(workspaceId);
        return workspaces.findWorkspace(workspaceId, true)
                .orElseThrow(() -> new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " does not exist"));
    }
}
