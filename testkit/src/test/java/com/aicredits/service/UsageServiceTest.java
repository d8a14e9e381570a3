package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Credits;
import com.aicredits.domain.Alert;
import com.aicredits.domain.Caller;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryAlertStore;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.InMemoryUsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** UsageService on in-memory ports at a fixed time: the figures, the tenancy, the listings, the history. */
class UsageServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-10T12:00:00Z");
    private static final Period NOVEMBER = Period.of(NOW);
    private static final Caller MANAGER = new Caller("u-1", Set.of(), Set.of(UsageService.MANAGER_ROLE), "org-1");
    private static final Caller VIEWER = new Caller("u-3", Set.of(), Set.of(UsageService.VIEWER_ROLE), "org-1");
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAlertStore alerts = new InMemoryAlertStore(credits);
    private final UsageService usage = new UsageService(new InMemoryUsageStore(credits, alerts), alerts, clock);
    private final DebitService debits = new DebitService(credits, PriceCatalogFile.loadDefault(), clock, Retries.standard());

    private Workspace workspace(String id, String organizationId) {
        Workspace workspace = new Workspace(id, organizationId, "Acme " + id, Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1);
        credits.saveWorkspace(workspace, 0, List.of());
        return workspace;
    }

    private DebitOutcome debit(String workspaceId, String executionId, String activity, Instant at) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, at.toString()));
    }

    @Test
    void aWorkspacesMonthAddsUpDayByDayAndByFeature() {
        workspace("ws-1", "org-1");
        Credits investigation = debit("ws-1", "run-1", "case.investigation", NOW.minusSeconds(3 * 86_400)).record().creditsConsumed();
        Credits task = debit("ws-1", "run-2", "task.execution", NOW).record().creditsConsumed();
        alerts.claim(LedgerOwner.workspace("ws-1"), NOVEMBER, Alert.threshold(80), NOW);

        UsageService.WorkspaceUsage month = usage.workspaceUsage(MANAGER, "ws-1", null);
        assertThat(month.period()).isEqualTo("2026-11");
        assertThat(month.creditsUsed()).isEqualTo(investigation.plus(task));
        assertThat(month.creditsRemaining()).isEqualTo(month.creditsAllocated().minus(investigation).minus(task));
        assertThat(month.daily()).hasSize(10);
        assertThat(month.daily().get(6).credits()).isEqualTo(investigation);
        assertThat(month.daily().get(9).cumulative()).isEqualTo(investigation.plus(task));
        assertThat(month.thresholdsReached()).contains(80);
        assertThat(month.forecast().tooEarly()).isFalse();
    }

    @Test
    void onTheFirstDayTheForecastIsTooEarlyToTell() {
        workspace("ws-1", "org-1");
        clock.set(NOVEMBER.start().plusSeconds(3_600));
        assertThat(usage.workspaceUsage(MANAGER, "ws-1", null).forecast().tooEarly()).isTrue();
    }

    @Test
    void anotherOrganizationsWorkspaceDoesNotExistAndOnlyManagersSeeUsage() {
        workspace("ws-other", "org-2");
        assertThatThrownBy(() -> usage.workspaceUsage(MANAGER, "ws-other", null)).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        assertThatThrownBy(() -> usage.workspaceUsage(MANAGER, "ws-nobody", null)).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        assertThatThrownBy(() -> usage.organizationUsage(MANAGER, "org-2", null, null, null))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_ORGANIZATION));
        Caller member = new Caller("u-2", Set.of(), Set.of("member"), "org-1");
        assertThatThrownBy(() -> usage.workspaceUsage(member, "ws-other", null)).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.NOT_A_MANAGER));
        assertThatThrownBy(() -> usage.workspaceUsage(MANAGER, "ws-other", "2027-01")).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.subject()).isEqualTo("period"));
    }

    @Test
    void theExecutionsAreTheStoredBodiesNewestFirstPageByPage() {
        workspace("ws-1", "org-1");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bodies.add(debit("ws-1", "run-" + i, "task.execution", NOW).body());
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            var page = usage.executions(MANAGER, "ws-1", null, "2", cursor);
            listed.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(listed).containsExactlyElementsOf(bodies.reversed());
    }

    @Test
    void theOrganizationsRowsCarryEachWorkspacesMonthAndTheHistoryEachMonth() {
        workspace("ws-a", "org-1");
        workspace("ws-b", "org-1");
        workspace("ws-c", "org-2");
        Credits used = debit("ws-b", "run-1", "task.execution", NOW).record().creditsConsumed();
        debit("ws-b", "run-0", "task.execution", Instant.parse("2026-10-15T00:00:00Z"));

        var rows = usage.organizationUsage(MANAGER, "org-1", null, null, null);
        assertThat(rows.items()).extracting(UsageService.WorkspaceRow::workspaceId).containsExactly("ws-a", "ws-b");
        assertThat(rows.items().get(1).creditsUsed()).isEqualTo(used);
        assertThat(rows.items().get(0).creditsUsed()).isEqualTo(Credits.ZERO);

        UsageService.UsageHistory history = usage.usageHistory(MANAGER, "ws-b", "2026-09", null);
        assertThat(history.months()).extracting(UsageService.MonthUsage::period).containsExactly("2026-09", "2026-10", "2026-11");
        assertThat(history.months()).extracting(UsageService.MonthUsage::creditsUsed).containsExactly(Credits.ZERO, used, used);
    }

    /** Issue 33: the organization_viewer role gets exactly a manager's answers on every usage read, within its organization only. */
    @Test
    void aViewerSeesExactlyWhatAManagerSeesOfItsOwnOrganizationOnly() {
        workspace("ws-1", "org-1");
        workspace("ws-other", "org-2");
        debit("ws-1", "run-1", "case.investigation", NOW.minusSeconds(86_400));
        debit("ws-1", "run-2", "task.execution", NOW);

        assertThat(usage.workspaceUsage(VIEWER, "ws-1", null)).isEqualTo(usage.workspaceUsage(MANAGER, "ws-1", null));
        assertThat(usage.workspaceUsage(VIEWER, "ws-1", "2026-10")).isEqualTo(usage.workspaceUsage(MANAGER, "ws-1", "2026-10"));
        assertThat(usage.executions(VIEWER, "ws-1", null, "1", null)).isEqualTo(usage.executions(MANAGER, "ws-1", null, "1", null));
        assertThat(usage.usageHistory(VIEWER, "ws-1", "2026-06", null)).isEqualTo(usage.usageHistory(MANAGER, "ws-1", "2026-06", null));
        assertThat(usage.organizationUsage(VIEWER, "org-1", null, null, null))
                .isEqualTo(usage.organizationUsage(MANAGER, "org-1", null, null, null));

        for (String workspace : List.of("ws-other", "ws-nobody")) {
            assertThatThrownBy(() -> usage.workspaceUsage(VIEWER, workspace, null)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
            assertThatThrownBy(() -> usage.executions(VIEWER, workspace, null, null, null)).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_WORKSPACE));
        }
        assertThatThrownBy(() -> usage.organizationUsage(VIEWER, "org-2", null, null, null))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_ORGANIZATION));

        Caller viewerOfNoOrganization = new Caller("u-4", Set.of(), Set.of(UsageService.VIEWER_ROLE), null);
        assertThatThrownBy(() -> usage.workspaceUsage(viewerOfNoOrganization, "ws-1", null)).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.refusal()).isEqualTo(Refusal.NO_ORGANIZATION));
        // Role names are matched exactly, as the manager's are.
        for (String role : List.of("Organization_Viewer", "organization_viewers", "viewer")) {
            Caller lookalike = new Caller("u-5", Set.of(), Set.of(role), "org-1");
            assertThatThrownBy(() -> usage.workspaceUsage(lookalike, "ws-1", null)).as(role).isInstanceOfSatisfying(CreditsException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Refusal.NOT_A_MANAGER));
        }
    }
}
