package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.aicredits.domain.Alert;
import com.aicredits.domain.Caller;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.Json;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryAlertStore;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.InMemoryUsageStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The usage of an organization's credit pool on in-memory ports: the pool's figures in the organization's usage (its
 * used the sum of its workspaces'), each pooled workspace showing what it used and saying so, the periods that show a
 * pool and those that do not.
 */
class PoolUsageTest {
    private static final Instant NOW = Instant.parse("2026-11-10T12:00:00Z");
    private static final Period NOVEMBER = Period.of(NOW);
    private static final Caller MANAGER = new Caller("u-1", Set.of(), Set.of(UsageService.MANAGER_ROLE), "org-1");
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAlertStore alerts = new InMemoryAlertStore(credits);
    private final UsageService usage = new UsageService(new InMemoryUsageStore(credits, alerts), alerts, clock);
    private final DebitService debits = new DebitService(credits, PriceCatalogFile.loadDefault(), clock, Retries.standard());
    private final OrganizationService organizations = new OrganizationService(credits, clock, Retries.standard());

    private void workspace(String id) {
        credits.saveWorkspace(new Workspace(id, "org-1", "Acme " + id, Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1), 0, List.of());
    }

    private Credits debit(String workspaceId, String executionId, String activity, Instant at) {
        return debits.record(workspaceId, new RecordExecution(executionId, activity, at.toString())).record().creditsConsumed();
    }

    private void pool(boolean enabled, Long monthlyCredits) {
        organizations.put("org-1", new OrganizationSpec(null, "Acme", new CreditPool.Spec(enabled, monthlyCredits, null, null,
                List.of("cfo@acme.example"))));
    }

    @Test
    void thePoolsUsedIsTheSumOfItsWorkspacesAndEachPooledRowSaysSo() {
        workspace("ws-a");
        workspace("ws-b");
        workspace("ws-c");
        // Used before the pool: it counts in the pool from the moment it is enabled.
        Credits before = debit("ws-a", "run-0", "case.investigation", NOW.minusSeconds(5 * 86_400));
        pool(true, null);
        Credits a = before.plus(debit("ws-a", "run-1", "task.execution", NOW.minusSeconds(86_400)));
        Credits b = debit("ws-b", "run-2", "agent.execution", NOW);

        UsageService.OrganizationUsage organization = usage.organizationUsage(MANAGER, "org-1", null, null, null);
        UsageService.PoolUsage pool = organization.pool();
        assertThat(pool.used()).isEqualTo(a.plus(b));
        assertThat(pool.byWorkspace()).containsExactly(entry("ws-a", a), entry("ws-b", b), entry("ws-c", Credits.ZERO));
        assertThat(pool.byWorkspace().values().stream().reduce(Credits.ZERO, Credits::plus)).isEqualTo(pool.used());
        assertThat(organization.items().stream().map(UsageService.WorkspaceRow::creditsUsed).reduce(Credits.ZERO, Credits::plus))
                .isEqualTo(pool.used());
        assertThat(organization.items()).extracting(UsageService.WorkspaceRow::pool).containsOnly("organization");
        // The sum of the three DEV allocations, the default hard limit of 200%.
        assertThat(pool.allocated()).isEqualTo(Credits.of(1_500));
        assertThat(pool.remaining()).isEqualTo(Credits.of(1_500).minus(a).minus(b));
        assertThat(pool.hardLimitCredits()).isEqualTo(Credits.of(3_000));
        assertThat(pool.percentUsed()).isEqualTo(a.plus(b).percentOf(Credits.of(1_500)));
        assertThat(pool.byFeature()).containsOnlyKeys(Feature.CHARGEABLE);
        assertThat(pool.byFeature().values().stream().reduce(Credits.ZERO, Credits::plus)).isEqualTo(pool.used());
        assertThat(pool.daily()).hasSize(10);
        assertThat(pool.daily().get(4).credits()).isEqualTo(before);
        assertThat(pool.daily().getLast().cumulative()).isEqualTo(pool.used());
        assertThat(pool.thresholdsReached()).isEmpty();
        assertThat(pool.forecast().tooEarly()).isFalse();
        assertThat(pool.forecast().projectedUsed()).isNotNull();
    }

    @Test
    void aPooledWorkspacesUsageShowsWhatItUsedAndSaysItDrawsFromThePool() {
        workspace("ws-a");
        workspace("ws-b");
        pool(true, 100L);
        Credits a = debit("ws-a", "run-1", "case.investigation", NOW.minusSeconds(86_400));
        debit("ws-b", "run-2", "case.investigation", NOW);

        UsageService.WorkspaceUsage own = usage.workspaceUsage(MANAGER, "ws-a", null);
        assertThat(own.pool()).isEqualTo("organization");
        assertThat(own.creditsUsed()).isEqualTo(a);
        assertThat(own.byFeature().get(Feature.CASE_INVESTIGATION)).isEqualTo(a);
        assertThat(own.daily().getLast().cumulative()).isEqualTo(a);
        // Its own allocation limits nothing while it is pooled: it never "runs out".
        assertThat(own.forecast().runsOutOn()).isNull();
        assertThat(Json.write(own)).contains("\"pool\":\"organization\"");
        // The pool's own monthly credits, not the workspaces' sum.
        assertThat(usage.organizationUsage(MANAGER, "org-1", null, null, null).pool().allocated()).isEqualTo(Credits.of(100));
    }

    @Test
    void withoutAPoolNothingSaysPool() {
        workspace("ws-a");
        debit("ws-a", "run-1", "task.execution", NOW);
        UsageService.OrganizationUsage organization = usage.organizationUsage(MANAGER, "org-1", null, null, null);
        assertThat(organization.pool()).isNull();
        assertThat(organization.items()).extracting(UsageService.WorkspaceRow::pool).containsOnlyNulls();
        assertThat(Json.write(organization)).doesNotContain("pool").doesNotContain("nextCursor");
        assertThat(Json.write(usage.workspaceUsage(MANAGER, "ws-a", null))).doesNotContain("pool");

        // An organization whose pool is off is the same.
        pool(false, null);
        assertThat(usage.organizationUsage(MANAGER, "org-1", null, null, null).pool()).isNull();
        assertThat(usage.workspaceUsage(MANAGER, "ws-a", null).pool()).isNull();
    }

    @Test
    void thePoolsThresholdsAreThoseItsMarkersSayFired() {
        workspace("ws-a");
        pool(true, 10L);
        debit("ws-a", "run-1", "case.investigation", NOW);
        alerts.claim(com.aicredits.domain.LedgerOwner.organization("org-1"), NOVEMBER, Alert.threshold(90), NOW);
        alerts.claim(com.aicredits.domain.LedgerOwner.organization("org-1"), NOVEMBER, Alert.threshold(80), NOW);
        alerts.claim(com.aicredits.domain.LedgerOwner.organization("org-1"), NOVEMBER, Alert.forecast(), NOW);
        alerts.claim(com.aicredits.domain.LedgerOwner.organization("org-1"), NOVEMBER.previous(), Alert.threshold(100), NOW);
        // A workspace's markers are not the pool's.
        alerts.claim("ws-a", NOVEMBER, Alert.threshold(120), NOW);

        assertThat(usage.organizationUsage(MANAGER, "org-1", null, null, null).pool().thresholdsReached()).containsExactly(80, 90);
    }

    @Test
    void onceItsMarkersArePastTheirKeepingThePoolsThresholdsAreThoseItsFinalBalanceReaches() {
        workspace("ws-a");
        pool(true, 10L);
        debit("ws-a", "run-1", "case.investigation", NOW);
        // Markers are kept 400 days after their month: read on the day the TTL may delete them, and after.
        alerts.claim(com.aicredits.domain.LedgerOwner.organization("org-1"), NOVEMBER, Alert.threshold(80), NOW);
        clock.set(Instant.parse("2028-01-10T00:00:00Z"));

        UsageService.PoolUsage pool = usage.organizationUsage(MANAGER, "org-1", "2026-11", null, null).pool();

        assertThat(pool.used()).isEqualTo(Credits.of(12));
        assertThat(pool.thresholdsReached()).containsExactly(80, 90, 100, 120);
        // The workspace fired none of its own while pooled.
        assertThat(usage.workspaceUsage(MANAGER, "ws-a", "2026-11").thresholdsReached()).isEmpty();
    }

    @Test
    void aPoolPeriodNobodyDebitedYetShowsItsFullAllocationAndItsWorkspacesArePooled() {
        workspace("ws-a");
        workspace("ws-b");
        pool(true, null);
        debit("ws-a", "run-1", "task.execution", NOW);
        clock.set(Instant.parse("2026-12-03T08:00:00Z"));

        UsageService.OrganizationUsage december = usage.organizationUsage(MANAGER, "org-1", null, null, null);
        assertThat(december.pool().allocated()).isEqualTo(Credits.of(1_000));
        assertThat(december.pool().used()).isEqualTo(Credits.ZERO);
        assertThat(december.pool().remaining()).isEqualTo(Credits.of(1_000));
        assertThat(december.pool().byWorkspace()).containsOnlyKeys("ws-a", "ws-b").allSatisfy((id, used) -> assertThat(used).isEqualTo(Credits.ZERO));
        assertThat(december.pool().daily()).hasSize(3).allSatisfy(day -> assertThat(day.cumulative()).isEqualTo(Credits.ZERO));
        assertThat(december.items()).extracting(UsageService.WorkspaceRow::pool).containsOnly("organization");
        assertThat(usage.workspaceUsage(MANAGER, "ws-b", null).pool()).isEqualTo("organization");
        // November closed without ws-b's balance: it drew nothing from anything then, so it does not say pool.
        assertThat(usage.usageHistory(MANAGER, "ws-b", "2026-11", null).months())
                .extracting(UsageService.MonthUsage::pool).containsExactly(null, "organization");
        assertThat(usage.workspaceUsage(MANAGER, "ws-b", "2026-11").pool()).isNull();
        assertThat(usage.organizationUsage(MANAGER, "org-1", "2026-11", null, null).items())
                .extracting(UsageService.WorkspaceRow::pool).containsExactly("organization", null);
    }

    @Test
    void aMonthBeforeThePoolAndAfterItWasSwitchedOffShowsNone() {
        workspace("ws-a");
        Credits october = debit("ws-a", "run-0", "task.execution", Instant.parse("2026-10-20T00:00:00Z"));
        pool(true, null);
        debit("ws-a", "run-1", "task.execution", NOW);

        UsageService.OrganizationUsage before = usage.organizationUsage(MANAGER, "org-1", "2026-10", null, null);
        assertThat(before.pool()).isNull();
        assertThat(before.items().getFirst().creditsUsed()).isEqualTo(october);
        assertThat(usage.workspaceUsage(MANAGER, "ws-a", "2026-10").pool()).isNull();
        assertThat(usage.usageHistory(MANAGER, "ws-a", "2026-09", null).months()).extracting(UsageService.MonthUsage::pool)
                .containsExactly(null, null, "organization");

        pool(false, null);
        assertThat(usage.organizationUsage(MANAGER, "org-1", null, null, null).pool()).isNull();
        assertThat(usage.organizationUsage(MANAGER, "org-1", null, null, null).items().getFirst().pool()).isNull();
        assertThat(usage.workspaceUsage(MANAGER, "ws-a", null).pool()).isNull();
    }

    @Test
    void everyPageCarriesTheWholePool() {
        List<String> ids = List.of("ws-a", "ws-b", "ws-c", "ws-d", "ws-e");
        ids.forEach(this::workspace);
        pool(true, null);
        Credits total = Credits.ZERO;
        for (int i = 0; i < ids.size(); i++) {
            total = total.plus(debit(ids.get(i), "run-" + i, "task.execution", NOW));
        }
        List<UsageService.WorkspaceRow> rows = new ArrayList<>();
        String cursor = null;
        do {
            UsageService.OrganizationUsage page = usage.organizationUsage(MANAGER, "org-1", null, "2", cursor);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            assertThat(page.pool().byWorkspace()).containsOnlyKeys(ids);
            assertThat(page.pool().used()).isEqualTo(total);
            rows.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(rows).hasSize(5);
        assertThat(rows.stream().map(UsageService.WorkspaceRow::creditsUsed).reduce(Credits.ZERO, Credits::plus)).isEqualTo(total);
    }

    @Test
    void thePoolsPercentHasOneDecimal() {
        workspace("ws-a");
        pool(true, 3L);
        debit("ws-a", "run-1", "task.execution", NOW);
        BigDecimal percent = usage.organizationUsage(MANAGER, "org-1", null, null, null).pool().percentUsed();
        assertThat(percent.scale()).isLessThanOrEqualTo(1);
    }
}
