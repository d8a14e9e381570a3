package com.aicredits.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The alert markers' contract, run on the DynamoDB adapter ({@code DynamoDbAlertStoreContractIntegrationTest}) and in
 * memory ({@code InMemoryAlertStoreTest}): each alert claimed once per workspace and period, each delivery step marked.
 */
abstract class AlertStoreContract {
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final Period NOVEMBER = Period.of(AT);

    protected abstract CreditStore credits();

    protected abstract AlertStore alerts();

    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anAlertIsClaimedOncePerWorkspaceAndPeriod() {
        Workspace workspace = new Workspace(ws, "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of("a@example.com"), null, 200, List.of(), 1);
        credits().saveWorkspace(workspace, 0, List.of());
        assertThat(alerts().workspace(ws)).contains(workspace);
        assertThat(alerts().workspace(ws + "-nobody")).isEmpty();

        assertThat(alerts().claim(LedgerOwner.workspace(ws), NOVEMBER, Alert.threshold(80), AT)).isTrue();
        assertThat(alerts().claim(LedgerOwner.workspace(ws), NOVEMBER, Alert.threshold(80), AT.plusSeconds(1))).isFalse();
        assertThat(alerts().claim(LedgerOwner.workspace(ws), NOVEMBER.next(), Alert.threshold(80), AT)).isTrue();
        assertThat(alerts().claim(LedgerOwner.workspace(ws), NOVEMBER, Alert.forecast(), AT)).isTrue();

        assertThat(alerts().markers(LedgerOwner.workspace(ws), NOVEMBER)).containsExactlyInAnyOrder(
                new AlertMarker(Alert.threshold(80), AT, false, false),
                new AlertMarker(Alert.forecast(), AT, false, true));
    }

    @Test
    void eachDeliveryStepIsMarkedOnItsMarker() {
        Alert alert = Alert.threshold(90);
        alerts().claim(LedgerOwner.workspace(ws), NOVEMBER, alert, AT);
        alerts().markRecipientEmailed(LedgerOwner.workspace(ws), NOVEMBER, alert, "a@example.com", "m-1");
        alerts().markRecipientParked(LedgerOwner.workspace(ws), NOVEMBER, alert, "bad@example.com", "rejected", AT);
        alerts().markEmailUncertain(LedgerOwner.workspace(ws), NOVEMBER, alert, AT.plusSeconds(5));
        AlertMarker partly = alerts().markers(LedgerOwner.workspace(ws), NOVEMBER).getFirst();
        assertThat(partly.recipientsDone()).isEqualTo(Set.of("a@example.com", "bad@example.com"));
        assertThat(partly.lastUncertainSendAt()).isEqualTo(AT.plusSeconds(5));
        assertThat(partly.delivered()).isFalse();

        alerts().markEmailed(LedgerOwner.workspace(ws), NOVEMBER, alert, "m-2", AT.plusSeconds(6));
        alerts().markPublished(LedgerOwner.workspace(ws), NOVEMBER, alert, AT.plusSeconds(7));
        AlertMarker done = alerts().markers(LedgerOwner.workspace(ws), NOVEMBER).getFirst();
        assertThat(done.emailed()).isTrue();
        assertThat(done.published()).isTrue();
        assertThat(done.delivered()).isTrue();
        assertThat(done.firedAt()).isEqualTo(AT);
    }

    @Test
    void anOrganizationsMarkersAreItsOwnApartFromAWorkspaceOfTheSameId() {
        LedgerOwner pool = LedgerOwner.organization(ws);
        assertThat(alerts().claim(pool, NOVEMBER, Alert.threshold(80), AT)).isTrue();
        assertThat(alerts().claim(pool, NOVEMBER, Alert.threshold(80), AT)).isFalse();
        assertThat(alerts().claim(LedgerOwner.workspace(ws), NOVEMBER, Alert.threshold(80), AT)).isTrue();
        alerts().markRecipientEmailed(pool, NOVEMBER, Alert.threshold(80), "managers@example.com", "m-1");
        alerts().markEmailed(pool, NOVEMBER, Alert.threshold(80), "m-1", AT);
        alerts().markPublished(pool, NOVEMBER, Alert.threshold(80), AT);

        assertThat(alerts().markers(pool, NOVEMBER)).singleElement().satisfies(marker -> {
            assertThat(marker.delivered()).isTrue();
            assertThat(marker.recipientsDone()).containsExactly("managers@example.com");
        });
        assertThat(alerts().markers(LedgerOwner.workspace(ws), NOVEMBER)).singleElement()
                .satisfies(marker -> assertThat(marker.delivered()).isFalse());
    }

    @Test
    void thePoolsMembersComeWithTheirBalancesOfThePeriod() {
        String org = "org-" + ws;
        Workspace alpha = new Workspace(ws + "-a", org, "Alpha", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1);
        Workspace beta = new Workspace(ws + "-b", org, "Beta", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1);
        credits().saveWorkspace(alpha, 0, List.of());
        credits().saveWorkspace(beta, 0, List.of());
        credits().open(com.aicredits.domain.Allocation.opening(alpha, NOVEMBER), 1);
        com.aicredits.testkit.ProductionSemantics.waitOutLag();

        List<com.aicredits.domain.PoolMember> members = alerts().poolMembers(org, NOVEMBER);
        assertThat(members).extracting(member -> member.workspace().workspaceId()).containsExactlyInAnyOrder(ws + "-a", ws + "-b");
        assertThat(members).filteredOn(member -> member.workspace().workspaceId().equals(ws + "-a"))
                .singleElement().satisfies(member -> assertThat(member.balance()).isEqualTo(
                        com.aicredits.domain.Allocation.opening(alpha, NOVEMBER)));
        assertThat(members).filteredOn(member -> member.workspace().workspaceId().equals(ws + "-b"))
                .singleElement().satisfies(member -> assertThat(member.balance()).isNull());
    }
}
