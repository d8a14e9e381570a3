package com.aicredits.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Alert;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Credits;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.port.AlertStore;
import com.aicredits.port.CreditStore;
import com.aicredits.port.UsageStore;
import com.aicredits.service.DebitService;
import com.aicredits.service.OrganizationService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.RefundService;
import com.aicredits.service.Retries;
import com.aicredits.testkit.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The usage reads' contract, run on the DynamoDB adapter ({@code DynamoDbUsageStoreContractIntegrationTest}) and in
 * memory ({@code InMemoryUsageStoreTest}), on lines the real services write: a period's lines newest first page by
 * page (a refunded record with its refund), an organization's workspaces by id, balances, fired thresholds.
 */
abstract class UsageStoreContract {
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final Period NOVEMBER = Period.of(AT);

    protected abstract CreditStore credits();

    protected abstract AlertStore alerts();

    protected abstract UsageStore usage();

    /**
     * Claims a threshold of the organization's pool, as the pool's alerts do: in the table, the workspace markers' item
     * on the organization's partition.
     */
    protected abstract void claimForPool(String organizationId, Period period, Alert alert);

    private final String org = "org-" + UUID.randomUUID().toString().substring(0, 8);

    protected Workspace workspace(String id) {
        Workspace workspace = new Workspace(org + "-" + id, org, "Acme " + id, Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of(), null, 200, List.of(), 1);
        credits().saveWorkspace(workspace, 0, List.of());
        return workspace;
    }

    /** Every page's items, following the cursors: pages of 2. */
    private static <T> List<T> all(java.util.function.Function<String, UsageStore.Page<T>> page) {
        return all(page, 2);
    }

    /** Every page's items, following the cursors: pages of {@code size}, none empty but the only one. */
    private static <T> List<T> all(java.util.function.Function<String, UsageStore.Page<T>> page, int size) {
        List<T> items = new ArrayList<>();
        String cursor = null;
        do {
            UsageStore.Page<T> next = page.apply(cursor);
            assertThat(next.items()).hasSizeLessThanOrEqualTo(size);
            if (next.items().isEmpty()) {
                assertThat(cursor == null && next.nextCursor() == null).as("only a listing's only page may be empty").isTrue();
            }
            items.addAll(next.items());
            cursor = next.nextCursor();
        } while (cursor != null);
        return items;
    }

    @Test
    void aPeriodsLinesComeNewestFirstPageByPageARefundedRecordWithItsRefund() {
        String id = workspace("a").workspaceId();
        TestClock clock = new TestClock(AT);
        DebitService debits = debits(clock);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(debits.record(id, new RecordExecution("run-" + i, "task.execution", null)).body());
        }
        String refunded = new RefundService(credits(), clock, Retries.standard())
                .refund(id, "run-1", new RefundService.RefundRequest("aborted")).body();

        List<String> lines = all(cursor -> usage().executions(id, NOVEMBER, 2, cursor));
        assertThat(lines).hasSize(5);
        assertThat(lines.getFirst()).contains("\"entry\":\"REFUND\"", "\"sequence\":5");
        assertThat(lines.subList(1, 5)).containsExactly(bodies.get(3), bodies.get(2), refunded, bodies.get(0));
        assertThat(usage().executions(id, NOVEMBER.previous(), 2, null)).isEqualTo(new UsageStore.Page<>(List.of(), null));
    }

    /**
     * Batches list their lines of a period on one ledger page in the table: a listing of any page size, whose cursors
     * fall inside such pages, shows every line once, newest first, as the single calls and refunds around them.
     */
    @Test
    void batchesSingleCallsAndARefundOfABatchedRunListNewestFirstAtEveryPageSize() {
        String id = workspace("a").workspaceId();
        TestClock clock = new TestClock(AT);
        DebitService debits = debits(clock);
        List<String> newestLast = new ArrayList<>();
        newestLast.add(debits.record(id, new RecordExecution("single-0", "task.execution", null)).body());
        newestLast.addAll(batch(debits, id, "big", 11));
        newestLast.add(debits.record(id, new RecordExecution("single-1", "agent.execution", null)).body());
        newestLast.addAll(batch(debits, id, "small", 3));
        newestLast.addAll(batch(debits, id, "four", 4));
        String refunded = new RefundService(credits(), clock, Retries.standard())
                .refund(id, "big-5", new RefundService.RefundRequest("aborted")).body();
        newestLast.set(newestLast.indexOf(newestLast.stream().filter(body -> body.contains("\"big-5\"")).findFirst().orElseThrow()), refunded);
        newestLast.add("the refund's line");
        newestLast.addAll(batch(debits, id, "last", 6));

        List<String> newestFirst = new ArrayList<>(newestLast.reversed());
        for (int size : new int[] {1, 2, 3, 5, 7, 100}) {
            List<String> lines = all(cursor -> usage().executions(id, NOVEMBER, size, cursor), size);
            assertThat(lines).filteredOn(line -> line.contains("\"entry\":\"REFUND\""))
                    .singleElement().asString().contains("\"executionId\":\"big-5\"");
            assertThat(lines).as("page size " + size).map(line -> line.contains("\"entry\":\"REFUND\"") ? "the refund's line" : line)
                    .containsExactlyElementsOf(newestFirst);
        }
    }

    /** A batch across a month's end lists each month's lines on their own: two ledger pages in one transaction. */
    @Test
    void aBatchAcrossTheMonthsEndListsEachMonthsLinesInItsOwnLedger() {
        String id = workspace("a").workspaceId();
        DebitService debits = debits(new TestClock(AT));
        String lastMonth = com.aicredits.domain.Timestamps.format(NOVEMBER.previous().start().plusSeconds(3600));
        List<RecordExecution> runs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            runs.add(new RecordExecution("span-" + i, "task.execution", i % 2 == 0 ? lastMonth : null));
        }
        List<String> bodies = batchBodies(debits, id, runs);
        List<String> october = new ArrayList<>();
        List<String> november = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            (i % 2 == 0 ? october : november).addFirst(bodies.get(i));
        }

        assertThat(all(cursor -> usage().executions(id, NOVEMBER.previous(), 2, cursor))).containsExactlyElementsOf(october);
        assertThat(all(cursor -> usage().executions(id, NOVEMBER, 3, cursor), 3)).containsExactlyElementsOf(november);
    }

    /** The debits of the real service on the store under test, at {@code clock}. */
    protected DebitService debits(TestClock clock) {
        return new DebitService(credits(), PriceCatalogFile.loadDefault(), clock, Retries.standard());
    }

    /** One batch of {@code count} task runs, ids {@code prefix-0…}; their bodies in order. */
    protected static List<String> batch(DebitService debits, String workspaceId, String prefix, int count) {
        List<RecordExecution> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(new RecordExecution(prefix + "-" + i, "task.execution", null));
        }
        return batchBodies(debits, workspaceId, runs);
    }

    /** {@code runs} recorded as one batch: their bodies in order (every one new). */
    private static List<String> batchBodies(DebitService debits, String workspaceId, List<RecordExecution> runs) {
        return debits.recordBatch(workspaceId, runs, null).stream().map(answer -> answer.outcome().body()).toList();
    }

    @Test
    void aCursorThisListingDidNotHandOutIsRefused() {
        String id = workspace("a").workspaceId();
        assertThatThrownBy(() -> usage().executions(id, NOVEMBER, 2, "bm90LWEtY3Vyc29y"))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.subject()).isEqualTo("cursor"));
    }

    @Test
    void anOrganizationsWorkspacesComeByIdPageByPageWithTheirBalances() {
        List<String> ids = new ArrayList<>();
        for (String suffix : List.of("c", "a", "e", "b", "d")) {
            ids.add(workspace(suffix).workspaceId());
        }
        List<Workspace> listed = all(cursor -> usage().workspacesOf(org, 2, cursor));
        assertThat(listed).extracting(Workspace::workspaceId).containsExactlyElementsOf(ids.stream().sorted().toList());

        debits(new TestClock(AT))
                .record(ids.getFirst(), new RecordExecution("run-1", "task.execution", null));
        assertThat(usage().balances(ids, NOVEMBER)).containsOnlyKeys(ids.getFirst());
        assertThat(usage().balanceHistory(ids.getFirst(), List.of(NOVEMBER, NOVEMBER.previous())).balances())
                .containsOnlyKeys(NOVEMBER);
        assertThat(usage().workspaceAndBalance(ids.getFirst(), NOVEMBER).balance().sequence()).isEqualTo(1);
    }

    @Test
    void theThresholdsFiredComeByPeriodWithoutTheForecast() {
        String id = workspace("a").workspaceId();
        alerts().claim(LedgerOwner.workspace(id), NOVEMBER.previous(), Alert.threshold(80), AT);
        alerts().claim(LedgerOwner.workspace(id), NOVEMBER, Alert.threshold(80), AT);
        alerts().claim(LedgerOwner.workspace(id), NOVEMBER, Alert.threshold(100), AT);
        alerts().claim(LedgerOwner.workspace(id), NOVEMBER, Alert.forecast(), AT);
        alerts().claim(LedgerOwner.workspace(id), NOVEMBER.next(), Alert.threshold(80), AT);
        var fired = usage().thresholdsFired(id, NOVEMBER.previous(), NOVEMBER);
        assertThat(fired).containsOnlyKeys(NOVEMBER.previous(), NOVEMBER);
        assertThat(fired.get(NOVEMBER)).containsExactlyInAnyOrder(80, 100);
    }

    @Test
    void anOrganizationComesWithItsPoolsBalancesOfThePeriodsOpen() {
        String id = workspace("a").workspaceId();
        assertThat(usage().organizationPools(org, List.of(NOVEMBER))).isEqualTo(new UsageStore.OrganizationPools(null, java.util.Map.of()));
        TestClock clock = new TestClock(AT);
        new OrganizationService(credits(), clock, Retries.standard()).put(org, new OrganizationSpec(null, "Acme",
                new CreditPool.Spec(true, 700L, null, null, List.of())));
        debits(clock)
                .record(id, new RecordExecution("run-1", "task.execution", null));

        UsageStore.OrganizationPools found = usage().organizationPools(org, List.of(NOVEMBER.previous(), NOVEMBER));
        assertThat(found.organization().pooled()).isTrue();
        assertThat(found.pools()).containsOnlyKeys(NOVEMBER);
        assertThat(found.pools().get(NOVEMBER).enabled()).isTrue();
        assertThat(found.pools().get(NOVEMBER).ledger().allocated()).isEqualTo(Credits.of(700));
        assertThat(found.pools().get(NOVEMBER).ledger().used()).isEqualTo(usage().workspaceAndBalance(id, NOVEMBER).balance().used());
    }

    @Test
    void thePoolsThresholdsFiredComeByPeriodApartFromItsWorkspaces() {
        String id = workspace("a").workspaceId();
        claimForPool(org, NOVEMBER.previous(), Alert.threshold(90));
        claimForPool(org, NOVEMBER, Alert.threshold(80));
        claimForPool(org, NOVEMBER, Alert.threshold(100));
        claimForPool(org, NOVEMBER, Alert.forecast());
        claimForPool(org, NOVEMBER.next(), Alert.threshold(80));
        alerts().claim(id, NOVEMBER, Alert.threshold(120), AT);

        var fired = usage().poolThresholdsFired(org, NOVEMBER.previous(), NOVEMBER);
        assertThat(fired).containsOnlyKeys(NOVEMBER.previous(), NOVEMBER);
        assertThat(fired.get(NOVEMBER)).containsExactlyInAnyOrder(80, 100);
        assertThat(usage().thresholdsFired(id, NOVEMBER, NOVEMBER).get(NOVEMBER)).containsExactly(120);
    }
}
