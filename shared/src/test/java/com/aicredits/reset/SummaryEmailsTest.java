package com.aicredits.reset;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Charge;
import com.aicredits.domain.Period;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.Email;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryEmailsTest {
    private static final Instant IN_NOVEMBER = Instant.parse("2026-11-20T09:30:00Z");
    private final PriceCatalog catalog = PriceCatalog.loadDefault();
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
    void saysWhatTheWorkspaceUsedOfItsAllocationByFeatureWithTheLink() {
        Workspace workspace = workspace("Acme Production", Tier.PRO, PricingModel.EXTEND);
        Balance closed = november(workspace, 100, 300, 412, 7); // 1,200 + 1,800 + 412 = 3,412 of 5,000
        Balance opened = Allocation.opening(workspace, Period.of(IN_NOVEMBER).next());

        Email email = emails.summary(workspace, closed, opened);

        assertThat(email.subject()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 — Acme Production");
        assertThat(email.to()).containsExactly("secops-lead@acme.example", "finance@acme.example");
        assertThat(email.text()).isEqualTo("""
                Monthly AI credit summary for 2026-11 (November 2026)

                Workspace: Acme Production (ws-acme-prod), organization org-acme
                Used: 3,412 of 5,000 credits (68.2%)
                Left: 1,588 credits unused
                Allocation: 5,000 credits (monthly 5,000 + add-ons 0)

                By feature:
                  Case investigations: 1,200 credits
                  Case conversations: 0 credits
                  AI agents: 1,800 credits
                  AI tasks: 412 credits
                  Free runs (no credits): 7

                Unused credits do not roll over: 2026-12 starts with 5,000 credits.
                Usage overview: https://credits.example/?workspace=ws-acme-prod&period=2026-11
                """);
        assertThat(email.html())
                .contains("<h2>Monthly AI credit summary for 2026-11 (November 2026)</h2>")
                .contains("Acme Production (ws-acme-prod), organization org-acme")
                .contains("<td>3,412 of 5,000 credits (68.2%)</td>")
                .contains("<tr><td>Case investigations</td><td style=\"text-align:right\">1,200 credits</td></tr>")
                .contains("<tr><td>AI agents</td><td style=\"text-align:right\">1,800 credits</td></tr>")
                .contains("<tr><td>AI tasks</td><td style=\"text-align:right\">412 credits</td></tr>")
                .contains("width:68%")
                .contains("<a href=\"https://credits.example/?workspace=ws-acme-prod&amp;period=2026-11\">");
    }

    @Test
    void overTheAllocationSaysByHowMuchAndCountsLegacyCases() {
        Workspace workspace = workspace("Lab", Tier.DEV, PricingModel.LEGACY);
        Balance closed = november(workspace, 3, 100, 20, 0); // LEGACY: investigations count as cases, 0 credits

        Email email = emails.summary(workspace, closed, null);

        assertThat(email.text())
                .contains("Used: 620 of 500 credits (124.0%)\n")
                .contains("Left: 120 credits over the allocation\n")
                .contains("  Case investigations: 0 credits\n")
                .contains("  Cases counted (LEGACY pricing): 3\n")
                .contains("Unused credits do not roll over.\n");
        assertThat(email.html()).contains("width:100%");
    }

    @Test
    void aNameIsEscapedInHtmlAndKeptOnOneLineInTheSubject() {
        Workspace workspace = workspace("R&D <lab>\nsecond line", Tier.DEV, PricingModel.EXTEND);

        Email email = emails.summary(workspace, november(workspace, 0, 0, 1, 0), null);

        assertThat(email.subject()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 — R&D <lab> second line");
        assertThat(email.html()).contains("R&amp;D &lt;lab&gt;").doesNotContain("<lab>");
    }
}
