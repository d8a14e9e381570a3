package com.aicredits.domain;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkspaceTest {
    private static WorkspaceSpec spec(String tier, Long monthlyCredits) {
        return new WorkspaceSpec(null, "org-1", "Name", tier, null, null, monthlyCredits, null, null, null, null);
    }

    @Test
    void defaultsAreExtendCasesOnTwoHundredPercentAndTheDefaultThresholds() {
        Workspace workspace = Workspace.fromSpec("ws-1", spec("ELITE", null));

        assertThat(workspace.pricingModel()).isEqualTo(PricingModel.EXTEND);
        assertThat(workspace.casesEnabled()).isTrue();
        assertThat(workspace.hardLimitPercent()).isEqualTo(200);
        assertThat(workspace.effectiveThresholds()).containsExactly(80, 90, 100, 120, 150, 200);
        assertThat(workspace.baseMonthlyCredits()).isEqualTo(Credits.of(10_000));
        assertThat(workspace.effectiveAgentInstanceLimit()).isEqualTo(50);
        assertThat(workspace.notificationEmails()).isEmpty();
    }

    @Test
    void everyTierHasTheSpecAllocationAndAgentLimit() {
        assertThat(List.of(Tier.values()).stream().map(t -> t.monthlyCredits() + "/" + t.agentInstanceLimit()))
                .containsExactly("500/10", "2000/20", "5000/30", "10000/50", "20000/50", "0/30");
        assertThat(Workspace.fromSpec("p", spec("M_PARTNER", 42_000L)).baseMonthlyCredits()).isEqualTo(Credits.of(42_000));
    }

    @Test
    void monthlyCreditsBelongToThePartnerTierOnly() {
        assertThatThrownBy(() -> Workspace.fromSpec("p", spec("M_PARTNER", null))).hasMessageContaining("required");
        assertThatThrownBy(() -> Workspace.fromSpec("p", spec("DEV", 5L))).hasMessageContaining("only to tier M_PARTNER");
    }

    @Test
    void thresholdsAreSortedAndEmailsDeduplicated() {
        Workspace workspace = Workspace.fromSpec("ws", new WorkspaceSpec(null, "org", "n", "DEV", "LEGACY", false, null, 3,
                List.of("a@x.io", "a@x.io", "b@x.io"), List.of(150, 75), 300));

        assertThat(workspace.thresholds()).containsExactly(75, 150);
        assertThat(workspace.notificationEmails()).containsExactly("a@x.io", "b@x.io");
        assertThat(workspace.effectiveAgentInstanceLimit()).isEqualTo(3);
    }

    @Test
    void notificationEmailsAreAddressesSesAccepts() {
        for (String accepted : List.of("a@x.io", "first.last+alerts@soc.acme.example", "o'brien@xn--bcher-kva.example",
                "x_y-z@a-b.co")) {
            assertThat(Workspace.fromSpec("ws", emails(accepted)).notificationEmails()).containsExactly(accepted);
        }
        for (String refused : List.of("josé@acme.example", "a@bücher.example", "\"a b\"@acme.example", "a b@acme.example",
                ".a@acme.example", "a..b@acme.example", "a.@acme.example", "a@acme", "a@-acme.example", "a@acme.example.",
                "A <a@acme.example>", "a@acme.example,b@acme.example", "a\n@acme.example", "x".repeat(65) + "@acme.example")) {
            assertThatThrownBy(() -> Workspace.fromSpec("ws", emails(refused))).as(refused)
                    .isInstanceOfSatisfying(CreditsException.class, e -> {
                        assertThat(Refusals.status(e)).isEqualTo(400);
                        assertThat(Refusals.code(e)).isEqualTo("invalid_notificationEmails");
                        assertThat(e.getMessage()).contains("ASCII").hasSizeLessThanOrEqualTo(400);
                    });
        }
    }

    private static WorkspaceSpec emails(String address) {
        return new WorkspaceSpec(null, "org", "n", "DEV", null, null, null, null, List.of(address), null, null);
    }
}
