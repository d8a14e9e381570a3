package com.aicredits.mail;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Byos;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Charge;
import com.aicredits.domain.Period;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.SummaryHistory;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryEmailsTest {
    private static final Instant IN_NOVEMBER = Instant.parse("2026-11-20T09:30:00Z");
    private final PriceCatalog catalog = PriceCatalogFile.loadDefault();
    private final SummaryEmails emails = new SummaryEmails("https://credits.example/");

    private static Workspace workspace(String name, Tier tier, PricingModel model) {
        return new Workspace("ws-acme-prod", "org-acme", name, tier, model, true, null, null,
                List.of("secops-lead@acme.example", "finance@acme.example"), null, 200, List.of(), 4);
    }

    private Balance november(Workspace workspace, int investigations, int agents, int tasks, int free) {
        Balance balance = Allocation.opening(workspace, Period.of(IN_NOVEMBER));
        for (int i = 0; i < investigations; i++) {
            balance = balance.debit(charge("case.investigation", workspace), IN_NOVEMBER);
        }
        for (int i = 0; i < agents; i++) {
            balance = balance.debit(charge("agent.execution", workspace), IN_NOVEMBER);
        }
        for (int i = 0; i < tasks; i++) {
            balance = balance.debit(charge("task.execution", workspace), IN_NOVEMBER);
        }
        for (int i = 0; i < free; i++) {
            balance = balance.debit(charge("builder.assist", workspace), IN_NOVEMBER);
        }
        return balance;
    }

    private Charge charge(String activity, Workspace workspace) {
        return Charge.of(catalog.priceAt(activity, IN_NOVEMBER), workspace.pricingModel());
    }

    @Test
    void saysWhatTheWorkspaceUsedOfItsAllocationByFeatureAgainstTheMonthBeforeWithTheLink() {
        Workspace workspace = workspace("Acme Production", Tier.PRO, PricingModel.EXTEND);
        Balance closed = november(workspace, 100, 300, 412, 7); // 1,200 + 1,800 + 412 = 3,412 of 5,000
        Balance opened = Allocation.opening(workspace, Period.of(IN_NOVEMBER).next());
        Balance october = Allocation.opening(workspace, Period.parse("2026-10"));
        for (int i = 0; i < 2_900; i++) {
            october = october.debit(charge("task.execution", workspace), Instant.parse("2026-10-10T10:00:00Z"));
        }

        Email email = new SummaryEmails("https://credits.example/", "https://platform.example/ws/{workspaceId}/notifications")
                .summary(workspace, closed, opened, new SummaryHistory(october, List.of(90, 80)));

        assertThat(email.subject()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 — Acme Production");
        assertThat(email.to()).containsExactly("secops-lead@acme.example", "finance@acme.example");
        assertThat(email.text()).isEqualTo("""
                aicredits · Monthly summary: November 2026
                Workspace: Acme Production (ws-acme-prod), organization org-acme

                Acme Production used 68.2% of its AI credits in November 2026.

                Used: 3,412 of 5,000 credits (68.2%)

                By feature:
                  Case investigations: 1,200 credits (35.2%)
                  Case conversations: 0 credits (0.0%)
                  AI agents: 1,800 credits (52.8%)
                  AI tasks: 412 credits (12.1%)
                  Free runs (no credits): 7

                Period: 2026-11 (November 2026)
                Left: 1,588 credits unused
                Allocation: 5,000 credits (monthly 5,000 + add-ons 0)
                Month before (October 2026): 2,900 of 5,000 credits used; change in used: +17.7%
                Thresholds reached: 80%, 90%

                Unused credits do not roll over: 2026-12 starts with 5,000 credits.

                Open the usage overview: https://credits.example/?workspace=ws-acme-prod&period=2026-11

                --
                You receive this email because an admin of Acme Production lists your address among its notification recipients.
                Notification settings: https://platform.example/ws/ws-acme-prod/notifications
                """);
        assertThat(email.html())
                .contains("<title>[aicredits] Monthly AI credit summary for 2026-11 — Acme Production</title>")
                .contains("<span dir=\"auto\">Acme Production</span> used 68.2% of its AI credits in November 2026.</h1>")
                .contains(">3,412 of 5,000 credits</span>")
                .contains("<td data-feature=\"CASE_INVESTIGATION\" data-credits=\"1200\" style=\"padding:0;width:24.000%;")
                .contains("<td data-unused=\"1588\" style=\"padding:0;width:31.760%;")
                .contains(">1,800 credits</td>")
                .contains(">2,900 of 5,000 credits used; change in used: +17.7%</td>")
                .contains("<a href=\"https://credits.example/?workspace=ws-acme-prod&amp;period=2026-11\" id=\"usage-overview\"")
                .contains("href=\"https://platform.example/ws/ws-acme-prod/notifications\"")
                .doesNotContain("<script", "<img", "<link", "<style");
    }

    @Test
    void aMonthBeforeWithNoUsageOrNoBalanceIsSaidSo() {
        Workspace workspace = workspace("Acme Production", Tier.PRO, PricingModel.EXTEND);
        Balance closed = november(workspace, 0, 0, 10, 0);
        Balance emptyOctober = Allocation.opening(workspace, Period.parse("2026-10"));

        assertThat(emails.summary(workspace, closed, null, new SummaryHistory(emptyOctober, List.of())).text())
                .contains("Month before (October 2026): 0 of 5,000 credits used\n").contains("Thresholds reached: none\n");
        assertThat(emails.summary(workspace, closed, null, SummaryHistory.none()).text())
                .contains("Month before (October 2026): no usage recorded\n")
                .contains("in the workspace's settings (notificationEmails, thresholds).\n")
                .doesNotContain("Notification settings:");
    }

    @Test
    void overTheAllocationSaysByHowMuchAndCountsLegacyCases() {
        Workspace workspace = workspace("Lab", Tier.DEV, PricingModel.LEGACY);
        // LEGACY: investigations count as cases, 0 credits; DEV allocates 50 credits a month under it.
        Balance closed = november(workspace, 3, 5, 32, 0);

        Email email = emails.summary(workspace, closed, null);

        assertThat(email.text())
                .contains("Used: 62 of 50 credits (124.0%)\n")
                .contains("Left: 12 credits over the allocation\n")
                .contains("  Case investigations: 0 credits (0.0%)\n")
                .contains("  Cases counted (LEGACY pricing): 3\n")
                .contains("Unused credits do not roll over.\n");
        // Above 100% the bar is the used credits, with a mark where the allocation ends (50 of 62: 80.645%).
        assertThat(email.html()).contains("width:80.645%;height:8px").doesNotContain("data-unused");
    }

    @Test
    void theSummaryCarriesTheMonthsByosRunsWhereTheWorkspaceMayRunAny() {
        Workspace plain = workspace("Acme Production", Tier.PRO, PricingModel.EXTEND);
        Workspace byos = new Workspace("ws-acme-prod", "org-acme", "Acme Production", Tier.PRO, PricingModel.EXTEND, true, null,
                null, List.of("secops-lead@acme.example"), null, 200,
                new Byos(true, "openai", List.of(Feature.AI_AGENT, Feature.AI_TASK)), List.of(), 4);
        Balance closed = november(byos, 0, 2, 0, 0);
        for (int i = 0; i < 12; i++) {
            closed = closed.debit(Charge.of(catalog.priceAt("agent.execution", IN_NOVEMBER), PricingModel.EXTEND,
                    ExecutionModel.BYOS), IN_NOVEMBER);
        }
        closed = closed.debit(Charge.of(catalog.priceAt("task.execution", IN_NOVEMBER), PricingModel.EXTEND,
                ExecutionModel.BYOS), IN_NOVEMBER);

        Email email = emails.summary(byos, closed, null);

        assertThat(email.text()).contains("  Runs on your own model (BYOS): 13 (AI agents 12, AI tasks 1)\n")
                .contains("12 of 5,000 credits");
        assertThat(email.html()).contains("Runs on your own model (BYOS)").contains("13 (AI agents 12, AI tasks 1)");
        assertThat(emails.summary(plain, november(plain, 0, 2, 0, 0), null).text()).doesNotContain("own model");
    }

    @Test
    void aNameIsEscapedInHtmlAndKeptOnOneLineInTheSubject() {
        Workspace workspace = workspace("R&D <lab>\nsecond line", Tier.DEV, PricingModel.EXTEND);

        Email email = emails.summary(workspace, november(workspace, 0, 0, 1, 0), null);

        assertThat(email.subject()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 — R&D <lab> second line");
        assertThat(email.html()).contains("R&amp;D &lt;lab&gt;").doesNotContain("<lab>");
    }
}
