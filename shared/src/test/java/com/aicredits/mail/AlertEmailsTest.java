package com.aicredits.mail;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEmailsTest {
    private final AlertEmails emails = new AlertEmails("https://credits.example.com/");
    private final Workspace workspace = new Workspace("ws-1", "org-1", "SOC <Prod> & Co", Tier.DEV, PricingModel.EXTEND, true,
            null, null, List.of("lead@acme.example"), null, 200, List.of(), 1);
    private final Balance balance = new Balance("ws-1", "org-1", Period.parse("2026-11"), Credits.of(500), Credits.ZERO, 200, true,
            PricingModel.EXTEND, Credits.of(455), 40, 40, Map.of(Feature.AI_AGENT, Credits.of(455)), Collections.nCopies(30, Credits.ZERO), 0, 0);

    @Test
    void aThresholdAlertHasTheSpecSubjectTheNumbersAndTheLink() {
        Email email = emails.threshold(workspace, balance, 90, Instant.parse("2026-11-20T00:00:00Z"));

        assertThat(email.subject()).isEqualTo("[aicredits] Usage alert: 90% of monthly AI credits used — SOC <Prod> & Co");
        assertThat(email.to()).containsExactly("lead@acme.example");
        assertThat(email.text()).contains("Period: 2026-11").contains("Used: 455 / 500 credits (91.0%)")
                .contains("AI agents: 455").contains("Case investigations: 0").contains("Add-on packages")
                .contains("https://credits.example.com/?workspace=ws-1&period=2026-11");
        assertThat(email.html()).contains("SOC &lt;Prod&gt; &amp; Co").doesNotContain("<Prod>");
    }

    @Test
    void aLegacyWorkspacesNinetyPercentAlertShowsItsFractionsAndThatNoRunPassesTheAllocation() {
        Workspace legacy = new Workspace("ws-1", "org-1", "Automation", Tier.PRO, PricingModel.LEGACY, true, null, null,
                List.of("lead@acme.example"), null, 100, List.of(), 1);
        List<Credits> daily = new java.util.ArrayList<>(Collections.nCopies(30, Credits.ZERO));
        daily.set(9, Credits.parse("90.25"));
        Balance ninety = new Balance("ws-1", "org-1", Period.parse("2026-11"), Credits.of(100), Credits.ZERO, 100, true,
                PricingModel.LEGACY, Credits.parse("90.25"), 361, 361, Map.of(Feature.AI_TASK, Credits.parse("90.25")), daily, 0, 0);

        Email email = emails.threshold(legacy, ninety, 90, Instant.parse("2026-11-20T00:00:00Z"));

        assertThat(email.text()).contains("Used: 90.25 / 100 credits (90.3%)").contains("AI tasks: 90.25 credits (100.0%)")
                .contains("Left: 9.75 credits unused")
                .contains("A run that would take usage past 100 credits (100% of the allocation) is refused: 9.75 credits are left")
                .contains("an AI task at the price of the LLM model it ran on")
                .doesNotContain("Usage may go past 100%");
        assertThat(email.html()).contains("data-credits=\"90.25\"");
    }

    @Test
    void everyAlertSubjectIsOneLineWhateverTheWorkspaceNameHolds() {
        Workspace broken = new Workspace("ws-1", "org-1", "SOC\r\nBcc: x@evil.example", Tier.DEV, PricingModel.EXTEND, true,
                null, null, List.of("lead@acme.example"), null, 200, List.of(), 1);
        Balance early = new Balance("ws-1", "org-1", Period.parse("2026-11"), Credits.of(500), Credits.ZERO, 200, true,
                PricingModel.EXTEND, Credits.of(300), 40, 40, Map.of(Feature.AI_AGENT, Credits.of(300)), Collections.nCopies(30, Credits.ZERO), 0, 0);
        Instant at = Instant.parse("2026-11-10T00:00:00Z");

        assertThat(emails.threshold(broken, balance, 90, at).subject()).doesNotContainPattern("\\p{Cntrl}")
                .endsWith("SOC  Bcc: x@evil.example");
        assertThat(emails.forecast(broken, early, Forecast.of(early, at)).subject()).doesNotContainPattern("\\p{Cntrl}");
    }

    @Test
    void anAlertCarriesThePeriodsByosRunsWhereTheWorkspaceMayRunAny() {
        Balance byos = new Balance("ws-1", "org-1", Period.parse("2026-11"), Credits.of(500), Credits.ZERO, 200, true, PricingModel.EXTEND,
                java.util.Set.of(Feature.AI_AGENT), Credits.of(455), 47, 47, Map.of(Feature.AI_AGENT, Credits.of(455)), Collections.nCopies(30, Credits.ZERO), 0, 0,
                Map.of(Feature.AI_AGENT, 7L));

        Email email = emails.threshold(workspace, byos, 90, Instant.parse("2026-11-20T00:00:00Z"));

        assertThat(email.text()).contains("Runs on your own model (BYOS): 7 (AI agents 7)\n");
        assertThat(email.html()).contains("Runs on your own model (BYOS)");
        assertThat(emails.threshold(workspace, balance, 90, Instant.parse("2026-11-20T00:00:00Z")).text()).doesNotContain("own model");
    }

    @Test
    void belowEightyPercentNoAddOnIsSuggested() {
        assertThat(emails.threshold(workspace, balance, 50, Instant.parse("2026-11-20T00:00:00Z")).text()).doesNotContain("Add-on packages");
    }

    @Test
    void fromEightyPercentThePaceComesFromTheForecastButNotInTheMonthsFirstDay() {
        Balance eighty = new Balance("ws-1", "org-1", Period.parse("2026-11"), Credits.of(500), Credits.ZERO, 200, true, PricingModel.EXTEND, Credits.of(410), 40, 40,
                Map.of(Feature.AI_TASK, Credits.of(410)), Collections.nCopies(30, Credits.ZERO), 0, 0);

        assertThat(emails.threshold(workspace, eighty, 80, Instant.parse("2026-11-15T00:00:00Z")).text())
                .contains("At this pace the allocation runs out on 18 November (projected 879 credits by the end of the month).");
        assertThat(emails.threshold(workspace, eighty, 80, Instant.parse("2026-11-01T20:00:00Z")).text())
                .contains("It is too early in the month to tell the pace").doesNotContain("runs out on");
        assertThat(emails.threshold(workspace, eighty, 80, Instant.parse("2026-11-29T00:00:00Z")).text())
                .contains("At this pace the allocation lasts the month (projected 439 credits by the end of the month).");
    }

    @Test
    void theHardLimitIsGivenInCreditsAndWhatHappensThere() {
        Balance atLimit = new Balance("ws-1", "org-1", Period.parse("2026-11"), Credits.of(500), Credits.ZERO, 150, true, PricingModel.EXTEND, Credits.of(750), 40, 40,
                Map.of(Feature.AI_TASK, Credits.of(750)), Collections.nCopies(30, Credits.ZERO), 0, 0);

        Email email = emails.threshold(workspace, atLimit, 150, Instant.parse("2026-11-20T00:00:00Z"));

        assertThat(email.text()).contains("Hard limit: 750 credits (150% of the allocation)\n")
                .contains("The hard limit of 750 credits is reached: runs that cost credits are refused (HTTP 402)")
                .contains("Left: 250 credits over the allocation\n").doesNotContain("At this pace");
        assertThat(email.html()).contains("background-color:#b42318"); // the over-allocation tone
    }

    @Test
    void theForecastAlertNamesTheDay() {
        Forecast forecast = Forecast.of(balance, Instant.parse("2026-11-20T00:00:00Z"));

        Email email = emails.forecast(workspace, balance, new Forecast(forecast.projectedUsed(), java.time.LocalDate.parse("2026-11-22")));

        assertThat(email.subject()).isEqualTo("[aicredits] Forecast: AI credits projected to run out on 2026-11-22 — SOC <Prod> & Co");
        assertThat(email.text()).contains("At this month's pace, SOC <Prod> & Co will use all 500 AI credits of November 2026 on 22 November.")
                .contains("Runs out on: 2026-11-22 (22 November)\n").contains("Add-on packages");
    }
}
