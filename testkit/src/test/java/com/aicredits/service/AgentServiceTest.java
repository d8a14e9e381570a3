package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.port.AgentStore;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryAgentStore;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * AgentService on the in-memory stores, at a fixed time: registration idempotent by agentId and refused exactly one
 * past the workspace's limit (its tier's or its override), a release freeing a slot, a limit read before a tier change
 * decided again, contention retried within the budget.
 */
class AgentServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore store = new InMemoryCreditStore();
    private final RacingAgents agentStore = new RacingAgents(new InMemoryAgentStore(store));
    private final VirtualRetries time = new VirtualRetries();
    private final Retries retries = time.within(Duration.ofSeconds(10));
    private final WorkspaceService workspaces = new WorkspaceService(store, clock, retries);
    private final AgentService agents = new AgentService(store, agentStore, clock, retries);

    /**
     * The in-memory agent store, with what DynamoDB may do around a registration: another admin's workspace change
     * committing between the service's read of the limit and its write, or writes cancelled for a conflict on the
     * counter (nothing written), as the DynamoDB adapter answers them.
     */
    private static final class RacingAgents implements AgentStore {
        private final InMemoryAgentStore agents;
        private Runnable beforeNextRegistration;
        private int contentions;

        RacingAgents(InMemoryAgentStore agents) {
            this.agents = agents;
        }

        @Override
        public Registration register(String workspaceId, String agentId, int limit, long workspaceVersion, Instant at) {
            if (beforeNextRegistration != null) {
                Runnable racer = beforeNextRegistration;
                beforeNextRegistration = null;
                racer.run();
            }
            return contended() ? Registration.CONTENTION : agents.register(workspaceId, agentId, limit, workspaceVersion, at);
        }

        @Override
        public Release release(String workspaceId, String agentId) {
            return contended() ? Release.CONTENTION : agents.release(workspaceId, agentId);
        }

        @Override
        public List<Agent> list(String workspaceId) {
            return agents.list(workspaceId);
        }

        private boolean contended() {
            if (contentions > 0) {
                contentions--;
                return true;
            }
            return false;
        }
    }

    private void workspace(String tier, Integer agentInstanceLimit) {
        workspaces.put("ws-1", new WorkspaceSpec(null, "org-1", "Acme", tier, null, null,
                tier.equals("M_PARTNER") ? 1_000L : null, agentInstanceLimit, List.of(), null, null));
    }

    private boolean register(String agentId) {
        return agents.register("ws-1", agentId);
    }

    private void registerAll(int count) {
        for (int i = 0; i < count; i++) {
            assertThat(register("agent-" + i)).isTrue();
        }
    }

    private static void refused(ThrowingCallable call, Refusal refusal) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(refusal));
    }

    @Test
    void registeringAgainIsIdempotentAndAReleaseFreesASlot() {
        workspace("DEV", 2);
        assertThat(register("a")).isTrue();
        assertThat(register("a")).isFalse();
        assertThat(register("b")).isTrue();
        assertThat(register("b")).as("registered already, at the limit").isFalse();
        refused(() -> register("c"), Refusal.AGENT_LIMIT_REACHED);

        agents.release("ws-1", "a");
        refused(() -> agents.release("ws-1", "a"), Refusal.UNKNOWN_AGENT);
        assertThat(register("c")).isTrue();

        AgentService.AgentList list = agents.list("ws-1");
        assertThat(list.items()).containsExactly(new AgentStore.Agent("b", "2026-11-07T12:00:00.000Z"),
                new AgentStore.Agent("c", "2026-11-07T12:00:00.000Z"));
        assertThat(list.count()).isEqualTo(2);
        assertThat(list.limit()).isEqualTo(2);
    }

    @Test
    void theTiersLimitIsEnforcedExactlyOneMoreIsRefused() {
        workspace("DEV", null);
        registerAll(10);

        assertThatThrownBy(() -> register("one-too-many")).isInstanceOfSatisfying(CreditsException.class, e -> {
            assertThat(e.refusal()).isEqualTo(Refusal.AGENT_LIMIT_REACHED);
            assertThat(e.getMessage()).contains("10 AI agent instances", "tier DEV");
        });
        assertThat(agents.list("ws-1").count()).isEqualTo(10);
        assertThat(agents.list("ws-1").limit()).isEqualTo(10);
    }

    @Test
    void aDowngradeBelowTheCountKeepsTheInstancesAndRefusesNewOnesUntilUnderTheNewLimit() {
        workspace("ESSENTIAL", null);
        registerAll(12);
        workspace("DEV", null);

        assertThat(agents.list("ws-1").count()).isEqualTo(12);
        assertThat(agents.list("ws-1").limit()).isEqualTo(10);
        refused(() -> register("new-1"), Refusal.AGENT_LIMIT_REACHED);
        for (int i = 0; i < 3; i++) {
            agents.release("ws-1", "agent-" + i);
        }
        assertThat(register("new-1")).isTrue();
        refused(() -> register("new-2"), Refusal.AGENT_LIMIT_REACHED);
    }

    @Test
    void anUpgradeRaisesTheLimitAtOnce() {
        workspace("DEV", null);
        registerAll(10);
        workspace("PRO", null);

        assertThat(register("agent-10")).isTrue();
        assertThat(agents.list("ws-1").limit()).isEqualTo(30);
    }

    @Test
    void theOverrideAndThePartnerTierSetTheLimit() {
        workspace("M_PARTNER", null);
        assertThat(agents.list("ws-1").limit()).isEqualTo(30);
        workspace("ELITE", 3);
        assertThat(agents.list("ws-1").limit()).isEqualTo(3);
        workspace("ELITE", 0);

        assertThatThrownBy(() -> register("a")).isInstanceOfSatisfying(CreditsException.class, e -> {
            assertThat(e.refusal()).isEqualTo(Refusal.AGENT_LIMIT_REACHED);
            assertThat(e.getMessage()).contains("overridden");
        });
    }

    @Test
    void aRegistrationWhoseLimitWasReadBeforeADowngradeIsDecidedOnTheNewLimit() {
        workspace("ELITE", null);
        registerAll(12);
        // The service reads ELITE's limit (50); the downgrade to DEV (10) commits before its registration's write.
        agentStore.beforeNextRegistration = () -> workspace("DEV", null);

        assertThatThrownBy(() -> register("late")).isInstanceOfSatisfying(CreditsException.class, e -> {
            assertThat(e.refusal()).isEqualTo(Refusal.AGENT_LIMIT_REACHED);
            assertThat(e.getMessage()).contains("10 AI agent instances", "tier DEV");
        });
        assertThat(agents.list("ws-1").count()).isEqualTo(12);
        assertThat(time.elapsed()).as("a changed workspace is read again at once").isZero();
    }

    @Test
    void contentionIsRetriedAfterAPauseAndThroughTheWholeBudgetIsA503() {
        workspace("DEV", null);
        agentStore.contentions = 3;
        assertThat(register("a")).isTrue();
        agentStore.contentions = 3;
        agents.release("ws-1", "a");
        assertThat(time.elapsed()).isPositive().isLessThan(Duration.ofSeconds(1));

        agentStore.contentions = Integer.MAX_VALUE;
        refused(() -> register("b"), Refusal.CONTENTION);
        agentStore.contentions = 0;
        assertThat(agents.list("ws-1").count()).isZero();
        assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownWorkspaceOrAnInvalidAgentIdChangesNothing() {
        workspace("DEV", null);
        register("a");

        refused(() -> agents.register("ws-nobody", "b"), Refusal.UNKNOWN_WORKSPACE);
        refused(() -> agents.release("ws-nobody", "a"), Refusal.UNKNOWN_WORKSPACE);
        refused(() -> agents.list("ws-nobody"), Refusal.UNKNOWN_WORKSPACE);
        refused(() -> agents.release("ws-1", "never"), Refusal.UNKNOWN_AGENT);
        for (String bad : List.of("a#b", "..", "x".repeat(1_000))) {
            assertThatThrownBy(() -> register(bad)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.subject()).isEqualTo("agentId"));
            assertThatThrownBy(() -> agents.release("ws-1", bad)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.subject()).isEqualTo("agentId"));
            // The request is checked before anything is read, as an add-on's body is: a bad id is a 400 on any workspace.
            assertThatThrownBy(() -> agents.register("ws-nobody", bad)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.subject()).isEqualTo("agentId"));
            assertThatThrownBy(() -> agents.release("ws-nobody", bad)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.subject()).isEqualTo("agentId"));
        }

        assertThat(agents.list("ws-1").items()).extracting(AgentStore.Agent::agentId).containsExactly("a");
    }
}
