package com.aicredits.agents;

import java.time.Instant;
import java.util.List;

/** Registered AI agent instances of a workspace, with a count kept exact by conditional writes. */
public interface AgentStore {
    enum Registration { REGISTERED, ALREADY_REGISTERED, LIMIT_REACHED }

    record Agent(String agentId, String registeredAt) {
    }

    /** Registers {@code agentId} unless it is registered or the workspace already has {@code limit} instances. */
    Registration register(String workspaceId, String agentId, int limit, Instant at);

    /** Releases {@code agentId}; false if it was not registered. */
    boolean release(String workspaceId, String agentId);

    List<Agent> list(String workspaceId);
}
