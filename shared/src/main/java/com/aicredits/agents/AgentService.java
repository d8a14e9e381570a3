package com.aicredits.agents;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Workspace;
import com.aicredits.store.CreditStore;
import java.time.Clock;
import java.util.List;

/**
 * AI agent instances: registering one more than the workspace's limit is refused (409), exactly, also under
 * concurrent registrations; a tier downgrade below the current count keeps the instances and refuses new ones
 * until the count is under the new limit.
 */
public final class AgentService {
    private final CreditStore workspaces;
    private final AgentStore agents;
    private final Clock clock;

    public AgentService(CreditStore workspaces, AgentStore agents, Clock clock) {
        this.workspaces = workspaces;
        this.agents = agents;
        this.clock = clock;
    }

    /** The agent list response. */
    public record AgentList(List<AgentStore.Agent> items, int count, int limit) {
    }

    /** True when this call registered the agent (201), false when it was registered already (200). */
    public boolean register(String workspaceId, String agentId) {
        Workspace workspace = workspace(workspaceId);
        Ids.agentId(agentId);
        int limit = workspace.effectiveAgentInstanceLimit();
        return switch (agents.register(workspaceId, agentId, limit, clock.instant())) {
            case REGISTERED -> true;
            case ALREADY_REGISTERED -> false;
            case LIMIT_REACHED -> throw CreditsException.conflict("agent_limit_reached", "workspace " + workspaceId
                    + " already has " + limit + " AI agent instances, its limit (tier " + workspace.tier()
                    + (workspace.agentInstanceLimit() != null ? ", overridden" : "") + "); release one first");
        };
    }

    public void release(String workspaceId, String agentId) {
        workspace(workspaceId);
        Ids.agentId(agentId);
        if (!agents.release(workspaceId, agentId)) {
            throw CreditsException.notFound("agent " + agentId + " is not registered in workspace " + workspaceId);
        }
    }

    public AgentList list(String workspaceId) {
        Workspace workspace = workspace(workspaceId);
        List<AgentStore.Agent> items = agents.list(workspaceId);
        return new AgentList(items, items.size(), workspace.effectiveAgentInstanceLimit());
    }

    private Workspace workspace(String workspaceId) {
        Ids.workspaceId(workspaceId);
        return workspaces.findWorkspace(workspaceId)
                .orElseThrow(() -> CreditsException.notFound("workspace " + workspaceId + " does not exist"));
    }
}
