package com.aicredits.testkit.memory;

import com.aicredits.domain.Timestamps;
import com.aicredits.port.AgentStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link AgentStore} in memory, beside an {@link InMemoryCreditStore} (whose workspace versions it checks), with the
 * DynamoDB adapter's contract: an agent registered once, the count never above the limit it was given, a registration
 * only at the workspace's version, listed by id.
 */
public final class InMemoryAgentStore implements AgentStore {
    private final InMemoryCreditStore credits;
    private final Map<String, Map<String, Agent>> agents = new TreeMap<>();

    public InMemoryAgentStore(InMemoryCreditStore credits) {
        this.credits = credits;
    }

    @Override
    public synchronized Registration register(String workspaceId, String agentId, int limit, long workspaceVersion, Instant at) {
        Map<String, Agent> registered = agents.computeIfAbsent(workspaceId, id -> new TreeMap<>());
        if (registered.containsKey(agentId)) {
            return Registration.ALREADY_REGISTERED;
        }
        if (registered.size() >= limit) {
            return Registration.LIMIT_REACHED;
        }
        boolean atVersion = credits.findWorkspace(workspaceId, true).map(w -> w.version() == workspaceVersion).orElse(false);
        if (!atVersion) {
            return Registration.WORKSPACE_CHANGED;
        }
        registered.put(agentId, new Agent(agentId, Timestamps.format(at)));
        return Registration.REGISTERED;
    }

    @Override
    public synchronized Release release(String workspaceId, String agentId) {
        Map<String, Agent> registered = agents.get(workspaceId);
        return registered != null && registered.remove(agentId) != null ? Release.RELEASED : Release.NOT_REGISTERED;
    }

    @Override
    public synchronized List<Agent> list(String workspaceId) {
        return new ArrayList<>(agents.getOrDefault(workspaceId, Map.of()).values());
    }
}
