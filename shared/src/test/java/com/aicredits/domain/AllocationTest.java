package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationTest {
    private static Workspace workspace(Tier tier, Long monthlyCredits) {
        return new Workspace("ws", "org", "WS", tier, PricingModel.LEGACY, false, monthlyCredits, null, List.of(), null, 150, List.of(), 3);
    }

    @Test
    void aNewPeriodOpensAtTheTierAllocationWithNothingUsedAndNoCarryOver() {
        Period february = new Period(YearMonth.of(2028, 2));
        for (Tier tier : List.of(Tier.DEV, Tier.ESSENTIAL, Tier.PRO, Tier.ELITE, Tier.ELITE_PLUS)) {
            Balance opening = Allocation.opening(workspace(tier, null), february);

            assertThat(opening.allocated()).as("%s", tier).isEqualTo(tier.monthlyCredits(workspace(tier, null).pricingModel()));
            assertThat(opening.addonCredits()).isEqualTo(Credits.ZERO);
            assertThat(opening.used()).isEqualTo(Credits.ZERO);
            assertThat(opening.sequence()).isZero();
            assertThat(opening.revision()).isZero();
            assertThat(opening.dailyCredits()).hasSize(29).containsOnly(Credits.ZERO);
            assertThat(opening.usedByFeature().values()).containsOnly(Credits.ZERO);
            assertThat(opening.freeExecutions()).isZero();
            assertThat(opening.casesCounted()).isZero();
            // The settings a debit needs come from the workspace.
            assertThat(opening.hardLimitPercent()).isEqualTo(150);
            assertThat(opening.casesEnabled()).isFalse();
            assertThat(opening.pricingModel()).isEqualTo(PricingModel.LEGACY);
        }
    }

    @Test
    void aPartnerWorkspaceOpensAtItsOwnMonthlyCredits() {
        assertThat(Allocation.opening(workspace(Tier.M_PARTNER, 7_777L), new Period(YearMonth.of(2026, 12))).allocated())
                .isEqualTo(Credits.of(7_777));
    }
}
