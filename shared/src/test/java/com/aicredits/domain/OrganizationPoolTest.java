package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.app.http.Refusals;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An organization's credit pool: its validation, its opening from its workspaces' usage, its refusals. */
class OrganizationPoolTest {
    private static final Period NOVEMBER = Period.parse("2026-11");
    private static final Instant AT = Instant.parse("2026-11-07T12:00:00Z");

    private static OrganizationSpec spec(CreditPool.Spec pool) {
        return new OrganizationSpec(null, " Acme ", pool);
    }

    private static CreditPool.Spec pool(Boolean enabled, Long monthlyCredits, Integer hardLimitPercent, List<Integer> thresholds,
                                        List<String> emails) {
        return new CreditPool.Spec(enabled, monthlyCredits, hardLimitPercent, thresholds, emails);
    }

    private static String refusedField(Runnable validation) {
        try {
            validation.run();
        } catch (CreditsException refused) {
            return Refusals.code(refused);
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aPoolIsOptInAndItsDefaultsAreThoseOfAWorkspace() {
        Organization plain = Organization.fromSpec("org-1", spec(null));
        Organization pooled = Organization.fromSpec("org-1", spec(pool(true, null, null, null, List.of("a@acme.example", "a@acme.example"))));

        assertThat(plain.name()).isEqualTo("Acme");
        assertThat(plain.pooled()).isFalse();
        assertThat(pooled.pooled()).isTrue();
        assertThat(pooled.creditPool().notificationEmails()).as("deduplicated").containsExactly("a@acme.example");
        assertThat(pooled.creditPool().effectiveHardLimitPercent(false)).isEqualTo(200);
        assertThat(pooled.creditPool().effectiveHardLimitPercent(true)).as("every workspace LEGACY").isEqualTo(100);
        assertThat(pooled.creditPool().effectiveThresholds(false)).containsExactly(80, 90, 100, 120, 150, 200);
        assertThat(pooled.creditPool().effectiveThresholds(true)).containsExactly(90);
        assertThat(Organization.fromSpec("org-1", spec(pool(false, 5_000L, 150, List.of(120, 50), null))).creditPool().thresholds())
                .as("sorted").containsExactly(50, 120);
    }

    @Test
    void everyBadValueIsA400NamingItsField() {
        assertThat(refusedField(() -> Organization.fromSpec("org-1", new OrganizationSpec(null, " ", null)))).isEqualTo("invalid_name");
        assertThat(refusedField(() -> Organization.fromSpec("org-1", new OrganizationSpec("org-2", "Acme", null))))
                .isEqualTo("invalid_organizationId");
        assertThat(refusedField(() -> Organization.fromSpec("..", spec(null)))).isEqualTo("invalid_organizationId");
        assertThat(refusedField(() -> Organization.fromSpec("org-1", spec(pool(null, null, null, null, null)))))
                .isEqualTo("invalid_creditPool.enabled");
        assertThat(refusedField(() -> Organization.fromSpec("org-1", spec(pool(true, 0L, null, null, null)))))
                .isEqualTo("invalid_creditPool.monthlyCredits");
        assertThat(refusedField(() -> Organization.fromSpec("org-1", spec(pool(true, null, 99, null, null)))))
                .isEqualTo("invalid_creditPool.hardLimitPercent");
        assertThat(refusedField(() -> Organization.fromSpec("org-1", spec(pool(true, null, null, List.of(80, 80), null)))))
                .isEqualTo("invalid_creditPool.thresholds");
        assertThat(refusedField(() -> Organization.fromSpec("org-1", spec(pool(true, null, null, null, List.of("not an address"))))))
                .isEqualTo("invalid_creditPool.notificationEmails");
    }

    private static Balance used(String workspaceId, long credits, int day) {
        List<Credits> daily = new java.util.ArrayList<>(Collections.nCopies(30, Credits.ZERO));
        daily.set(day - 1, Credits.of(credits));
        return new Balance(workspaceId, "org-1", NOVEMBER, Credits.of(500), Credits.ZERO, 200, true, PricingModel.EXTEND,
                Credits.of(credits), 3, 3, Map.of(Feature.AI_TASK, Credits.of(credits)), daily, 1, 0);
    }

    @Test
    void aPoolOpensWithWhatItsWorkspacesUsedAndReopensWithItsSequenceRunningOn() {
        PoolBalance pool = PoolBalance.opening("org-1", NOVEMBER, Credits.of(1_000), Credits.of(100), 150,
                List.of(used("ws-a", 12, 2), used("ws-b", 30, 2)));

        assertThat(pool.enabled()).isTrue();
        assertThat(pool.ledger().used()).isEqualTo(Credits.of(42));
        assertThat(pool.ledger().usedByFeature()).containsEntry(Feature.AI_TASK, Credits.of(42));
        assertThat(pool.ledger().dailyCredits().get(1)).isEqualTo(Credits.of(42));
        assertThat(pool.ledger().freeExecutions()).isEqualTo(2);
        assertThat(pool.ledger().sequence()).isZero();
        assertThat(pool.ledger().allocated()).isEqualTo(Credits.of(1_100));
        assertThat(pool.ledger().hardLimitCredits()).isEqualTo(Credits.of(1_650));
        assertThat(pool.ledger().byosFeatures()).as("BYOS is each workspace's to allow; emails show its row only after runs").isEmpty();

        Charge task = Charge.of(new Price(new Activity("task.execution", Feature.AI_TASK, "a task", Credits.of(1)), "v1"),
                PricingModel.EXTEND);
        PoolBalance debited = pool.debit(task, AT).disabled();
        PoolBalance again = debited.reopened(Credits.of(2_000), Credits.ZERO, 200, List.of(used("ws-a", 50, 3)));
        assertThat(debited.enabled()).isFalse();
        assertThat(again.enabled()).isTrue();
        assertThat(again.ledger().sequence()).as("runs on").isEqualTo(1);
        assertThat(again.ledger().used()).as("what its workspaces hold now").isEqualTo(Credits.of(50));
        assertThat(again.ledger().revision()).isGreaterThan(debited.ledger().revision());
    }

    @Test
    void thePoolRefusesPastItsHardLimitNamingItself() {
        PoolBalance pool = PoolBalance.opening("org-1", NOVEMBER, Credits.of(10), Credits.ZERO, 100, List.of(used("ws-a", 9, 1)));
        Charge agent = Charge.of(new Price(new Activity("agent.execution", Feature.AI_AGENT, "an agent", Credits.of(6)), "v1"),
                PricingModel.EXTEND);

        assertThat(pool.refusal(agent)).hasValueSatisfying(refused -> {
            assertThat(refused.refusal()).isEqualTo(Refusal.HARD_LIMIT);
            assertThat(refused.getMessage()).startsWith("the credit pool of organization org-1: recording 6 credits");
            assertThat(refused.detail()).containsEntry("pool", "organization").containsEntry("organizationId", "org-1")
                    .containsEntry("hardLimitCredits", Credits.of(10));
        });
    }
}
