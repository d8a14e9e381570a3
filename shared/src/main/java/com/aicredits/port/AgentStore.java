package com.aicredits.port;

import java.time.Instant;
import java.util.List;

/** Registered AI agent instances of a workspace, with a count kept exact by conditional writes. */
public interface AgentStore {
    /**
     * What a registration did: {@code WORKSPACE_CHANGED} when the workspace is no longer at the version its limit was
     * read from, {@code CONTENTION} when DynamoDB cancelled it for a conflict or a throttle (nothing written).
     */
    enum Registration { REGISTERED, ALREADY_REGISTERED, LIMIT_REACHED, WORKSPACE_CHANGED, CONTENTION }

    /** What a release did; {@code CONTENTION}: cancelled for a conflict or a throttle, nothing written. */
    enum Release { RELEASED, NOT_REGISTERED, CONTENTION }

    record Agent(String agentId, String registeredAt) {
    }

    /**
     * Registers {@code agentId} unless it is registered or the workspace already has {@code limit} instances, provided
     * the workspace is still at {@code workspaceVersion} (the one {@code limit} comes from).
     */
    Registration register(String workspaceId, String agentId, int limit, long workspaceVersion, Instant at);

    /** Releases {@code agentId}. */
    Release release(String workspaceId, String agentId);

    List<Agent> list(String workspaceId);
}
