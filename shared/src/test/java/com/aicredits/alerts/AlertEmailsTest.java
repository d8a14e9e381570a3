package com.aicredits.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.Email;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEmailsTest {
    private final AlertEmails emails = new AlertEmails("https://credits.example.com/");
    private final Workspace workspace = new Workspace("ws-1", "org-1", "SOC <Prod> & Co", Tier.DEV, PricingModel.EXTEND, true,
            null, null, List.of("lead@acme.example"), null, 200, List.of(), 1);
    private final Balance balance = new Balance("ws-1", "org-1", Period.parse("2026-11"), 500, 0, 200, true,
            PricingModel.EXTEND, 455, 40, 40, Map.of(Feature.AI_AGENT, 455L), Collections.nCopies(30, 0L), 0, 0);

    @Test
    void aThresholdAlertHasTheSpecSubjectTheNumbersAndTheLink() {
        Email email = emails.threshold(workspace, balance, 90);

        assertThat(email.subject()).isEqualTo("[aicredits] Usage alert: 90% of monthly AI credits used — SOC <Prod> & Co");
        assertThat(email.to()).containsExactly("lead@acme.example");
        assertThat(email.text()).contains("Period: 2026-11").contains("Used: 455 / 500 credits (91.0%)")
                .contains("AI agents: 455").contains("Case investigations: 0").contains("Add-on packages")
                .contains("https://credits.example.com/?workspace=ws-1&period=2026-11");
        assertThat(email.html()).contains("SOC &lt;Prod&gt; &amp; Co").doesNotContain("<Prod>");
    }

    @Test
    void belowEightyPercentNoAddOnIsSuggested() {
        assertThat(emails.threshold(workspace, balance, 50).text()).doesNotContain("Add-on packages");
    }

    @Test
    void theForecastAlertNamesTheDay() {
        Forecast forecast = Forecast.of(balance, Instant.parse("2026-11-20T00:00:00Z"));

        Email email = emails.forecast(workspace, balance, new Forecast(forecast.projectedUsed(), java.time.LocalDate.parse("2026-11-22")));

        assertThat(email.subject()).isEqualTo("[aicredits] Forecast: AI credits projected to run out on 2026-11-22 — SOC <Prod> & Co");
    }
}
