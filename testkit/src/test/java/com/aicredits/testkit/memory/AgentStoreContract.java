package com.aicredits.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AgentStore.Registration;
import com.aicredits.port.AgentStore.Release;
import com.aicredits.port.AgentStore;
import com.aicredits.port.CreditStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The agent instances' contract, run on the DynamoDB adapter ({@code DynamoDbAgentStoreContractIntegrationTest}) and
 * in memory ({@code InMemoryAgentStoreTest}).
 */
abstract class AgentStoreContract {
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    protected abstract CreditStore credits();

    protected abstract AgentStore agents();

    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anAgentIsRegisteredOnceUpToTheLimitAtTheWorkspacesVersion() {
        credits().saveWorkspace(new Workspace(ws, "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1), 0, List.of());
        assertThat(agents().register(ws, "agent-b", 2, 1, AT)).isEqualTo(Registration.REGISTERED);
        assertThat(agents().register(ws, "agent-b", 2, 1, AT)).isEqualTo(Registration.ALREADY_REGISTERED);
        assertThat(agents().register(ws, "agent-a", 2, 7, AT)).isEqualTo(Registration.WORKSPACE_CHANGED);
        assertThat(agents().register(ws, "agent-a", 2, 1, AT)).isEqualTo(Registration.REGISTERED);
        assertThat(agents().register(ws, "agent-c", 2, 1, AT)).isEqualTo(Registration.LIMIT_REACHED);
        assertThat(agents().list(ws)).containsExactly(new AgentStore.Agent("agent-a", "2026-11-20T10:00:00.000Z"),
                new AgentStore.Agent("agent-b", "2026-11-20T10:00:00.000Z"));

        assertThat(agents().release(ws, "agent-b")).isEqualTo(Release.RELEASED);
        assertThat(agents().release(ws, "agent-b")).isEqualTo(Release.NOT_REGISTERED);
        assertThat(agents().register(ws, "agent-c", 2, 1, AT)).isEqualTo(Registration.REGISTERED);
        assertThat(agents().list(ws)).extracting(AgentStore.Agent::agentId).containsExactly("agent-a", "agent-c");
    }
}
