package com.aicredits.domain;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.json.PriceCatalogFile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalanceTest {
    private static final Instant AT = Instant.parse("2026-11-07T12:00:00Z");
    private final PriceCatalog catalog = PriceCatalogFile.loadDefault();

    private static Workspace workspace(String tier, Long monthlyCredits, int hardLimitPercent, boolean cases) {
        return new Workspace("ws", "org", "WS", Tier.valueOf(tier), PricingModel.EXTEND, cases, monthlyCredits, null,
                List.of(), null, hardLimitPercent, List.of(), 1);
    }

    private Charge charge(String activity) {
        return Charge.of(catalog.priceAt(activity, AT), PricingModel.EXTEND);
    }

    @Test
    void anOpenedPeriodHasTheTierAllocationAndEveryCounterAtZero() {
        Balance balance = Balance.open(workspace("ESSENTIAL", null, 200, true), Period.of(AT), Credits.of(10_000));

        assertThat(balance.allocated()).isEqualTo(Credits.of(12_000));
        assertThat(balance.hardLimitCredits()).isEqualTo(Credits.of(24_000));
        assertThat(balance.used()).isEqualTo(Credits.ZERO);
        assertThat(balance.dailyCredits()).hasSize(30).containsOnly(Credits.ZERO);
        assertThat(balance.usedByFeature()).containsOnlyKeys(Feature.CHARGEABLE);
    }

    @Test
    void aByosRunIsALedgerLineCountedByFeatureAndRefusedWhereItsFeatureIsNotEnabled() {
        Workspace byos = Workspace.fromSpec("ws", new WorkspaceSpec(null, "org", "WS", "DEV", null, null, null, null, null, null,
                null, new Byos.Spec(true, "bedrock", List.of("AI_AGENT"))));
        Balance opened = Balance.open(byos, Period.of(AT), Credits.of(0));
        Charge agent = Charge.of(catalog.priceAt("agent.execution", AT), PricingModel.EXTEND, ExecutionModel.BYOS);
        Charge task = Charge.of(catalog.priceAt("task.execution", AT), PricingModel.EXTEND, ExecutionModel.BYOS);

        Balance after = opened.debit(agent, AT);

        assertThat(opened.byosFeatures()).containsExactly(Feature.AI_AGENT);
        assertThat(opened.refusal(agent)).isEmpty();
        assertThat(after.sequence()).isEqualTo(1);
        assertThat(after.used()).isEqualTo(Credits.ZERO);
        assertThat(after.byosExecutions()).containsEntry(Feature.AI_AGENT, 1L).containsEntry(Feature.AI_TASK, 0L);
        assertThat(after.byosExecutionsTotal()).isEqualTo(1);
        assertThat(opened.refusal(task)).get().extracting(Refusals::code).isEqualTo("byos_not_enabled");
        assertThat(Balance.open(workspace("DEV", null, 200, true), Period.of(AT), Credits.of(0)).refusal(agent)).isPresent();
        assertThat(opened.hasSettingsOf(workspace("DEV", null, 200, true))).as("BYOS is a setting the balance follows").isFalse();
    }

    @Test
    void aPartnerWorkspaceAllocatesItsOwnMonthlyCredits() {
        assertThat(Balance.open(workspace("M_PARTNER", 3_333L, 150, true), Period.of(AT), Credits.of(0)).hardLimitCredits())
                .isEqualTo(Credits.parse("4999.5"));
    }

    @Test
    void aRefundTakesTheRecordsCreditsOffItsFeatureAndTheDayItOccurredAsANewLine() {
        Balance opened = Balance.open(workspace("DEV", null, 200, true), Period.of(AT), Credits.of(0));
        Charge investigation = charge("case.investigation");
        Balance debited = opened.debit(investigation, AT);
        UsageRecord record = UsageRecord.between("inv-1", investigation, opened, debited, AT, AT);
        Balance laterDay = debited.debit(charge("task.execution"), AT.plus(java.time.Duration.ofDays(3)));

        Balance refunded = laterDay.refund(record);

        assertThat(refunded.used()).isEqualTo(Credits.of(1));
        assertThat(refunded.sequence()).isEqualTo(3);
        assertThat(refunded.revision()).isEqualTo(3);
        assertThat(refunded.usedByFeature().get(Feature.CASE_INVESTIGATION)).isEqualTo(Credits.ZERO);
        assertThat(refunded.dailyCredits().get(6)).isEqualTo(Credits.ZERO);
        assertThat(refunded.dailyCredits().get(9)).isEqualTo(Credits.of(1));
        RefundLine line = RefundLine.of(record, refunded, AT.plusSeconds(60), "aborted");
        assertThat(line.creditsConsumed()).isEqualTo(Credits.of(-12));
        assertThat(line.creditsUsed()).isEqualTo(Credits.of(1));
        assertThat(line.sequence()).isEqualTo(3);
        assertThat(line.occurredAt()).isEqualTo(record.occurredAt());
    }

    @Test
    void aDebitMovesTheLedgerHeadAndTheCountersOfItsFeatureAndDay() {
        Balance before = Balance.open(workspace("DEV", null, 200, true), Period.of(AT), Credits.of(0));

        Balance after = before.debit(charge("case.investigation"), AT).debit(charge("case.summary"), AT);

        assertThat(after.used()).isEqualTo(Credits.of(12));
        assertThat(after.sequence()).isEqualTo(2);
        assertThat(after.revision()).isEqualTo(2);
        assertThat(after.remaining()).isEqualTo(Credits.of(488));
        assertThat(after.usedByFeature().get(Feature.CASE_INVESTIGATION)).isEqualTo(Credits.of(12));
        assertThat(after.dailyCredits().get(6)).isEqualTo(Credits.of(12));
        assertThat(after.freeExecutions()).isEqualTo(1);
    }

    @Test
    void theHardLimitAllowsExactlyUpToItAndRefusesOneMore() {
        Balance balance = Balance.open(workspace("DEV", null, 100, true), Period.of(AT), Credits.of(0));
        for (int i = 0; i < 499; i++) {
            balance = balance.debit(charge("task.execution"), AT);
        }

        assertThat(balance.refusal(charge("task.execution"))).isEmpty();
        Balance full = balance.debit(charge("task.execution"), AT);
        assertThat(full.refusal(charge("task.execution"))).hasValueSatisfying(e -> assertThat(Refusals.status(e)).isEqualTo(402));
        assertThat(full.refusal(charge("builder.assist"))).isEmpty();
    }

    @Test
    void caseActivitiesAreForbiddenWithoutCases() {
        Balance balance = Balance.open(workspace("PRO", null, 200, false), Period.of(AT), Credits.of(0));

        assertThat(balance.refusal(charge("case.conversation"))).hasValueSatisfying(e -> assertThat(Refusals.status(e)).isEqualTo(403));
        assertThat(balance.refusal(charge("agent.execution"))).isEmpty();
    }

    @Test
    void newSettingsKeepTheLedgerAndMoveTheRevision() {
        Balance balance = Balance.open(workspace("DEV", null, 200, true), Period.of(AT), Credits.of(0)).debit(charge("agent.execution"), AT);

        Balance upgraded = balance.withSettingsOf(workspace("PRO", null, 300, true));

        assertThat(upgraded.allocated()).isEqualTo(Credits.of(5_000));
        assertThat(upgraded.hardLimitCredits()).isEqualTo(Credits.of(15_000));
        assertThat(upgraded.used()).isEqualTo(Credits.of(6));
        assertThat(upgraded.sequence()).isEqualTo(1);
        assertThat(upgraded.revision()).isEqualTo(2);
    }
}
