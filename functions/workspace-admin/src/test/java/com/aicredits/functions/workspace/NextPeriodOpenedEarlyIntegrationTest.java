package com.aicredits.functions.workspace;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.port.CreditStore;
import com.aicredits.service.AddonService;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.Retries;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A debit may carry occurredAt up to 5 minutes ahead (and the reset accepts such a time), so the next period can be
 * open before the clock reaches it. A settings change or an add-on made meanwhile must move that balance too, in the
 * same transaction, or the new month runs all month at the old allocation and limits.
 */
class NextPeriodOpenedEarlyIntegrationTest {
    private static final String DECEMBER_FIRST = "2026-12-01T00:00:00Z";

    private final CreditsTable table = new CreditsTable("early-period");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T23:56:00Z"));
    private final WorkspaceService workspaces = table.services(clock).workspaces();
    private final AddonService addons = table.services(clock).addons();
    private final DebitService debits = table.services(clock).debits();

    @Test
    void aTierChangeAndAnAnnualAddonAfterDecemberOpenedEarlyApplyToDecember() {
        workspaces.put("ws-early", spec("DEV", 200, true));
        debit("ws-early", "november", "task.execution", null);
        debit("ws-early", "early", "task.execution", DECEMBER_FIRST); // opens December at 23:56

        clock.set(Instant.parse("2026-11-30T23:57:00Z"));
        workspaces.put("ws-early", spec("PRO", 150, false));
        clock.set(Instant.parse("2026-11-30T23:58:00Z"));
        addons.purchase("ws-early", new AddonService.Purchase("po-annual", 10_000L, "ANNUAL"));
        clock.set(Instant.parse("2026-12-01T00:00:01Z"));
        JsonNode december = debit("ws-early", "after-midnight", "task.execution", null);

        assertThat(december.get("period").asText()).isEqualTo("2026-12");
        assertThat(december.get("creditsAllocated").asLong()).isEqualTo(15_000);
        assertThat(table.item("WS#ws-early", "BALANCE#2026-12").get("hardLimitPercent").n()).isEqualTo("150");
        assertThatThrownBy(() -> debit("ws-early", "case", "case.investigation", null))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(Refusals.status(e)).isEqualTo(403));
        assertThat(table.item("WS#ws-early", "BALANCE#2026-11").get("allocated").n()).as("in hundredths").isEqualTo("1500000");
    }

    @Test
    void aChangeReadBeforeMidnightAndCommittedAfterADebitOpenedDecemberIsNotLost() {
        clock.set(Instant.parse("2026-11-30T23:59:59.995Z"));
        workspaces.put("ws-race", spec("DEV", 200, true));
        debit("ws-race", "november", "task.execution", null);
        // The change reads November and no December; a debit at 00:00 opens December before the change commits.
        AtomicBoolean interleaved = new AtomicBoolean();
        DebitService otherContainer = table.services(clock).debits();
        CreditStore store = (CreditStore) Proxy.newProxyInstance(CreditStore.class.getClassLoader(),
                new Class<?>[] {CreditStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("saveWorkspace") && interleaved.compareAndSet(false, true)) {
                        otherContainer.record("ws-race", new RecordExecution("midnight", "task.execution", DECEMBER_FIRST));
                    }
                    try {
                        return method.invoke(table.store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        new WorkspaceService(store, clock, Retries.standard()).put("ws-race", spec("PRO", 200, true));
        new AddonService(store, clock, Retries.standard()).purchase("ws-race", new AddonService.Purchase("po-race", 10_000L, "ANNUAL"));

        assertThat(interleaved).isTrue();
        assertThat(table.item("WS#ws-race", "BALANCE#2026-12").get("allocated").n()).as("in hundredths").isEqualTo("1500000");
        assertThat(table.item("WS#ws-race", "BALANCE#2026-11").get("allocated").n()).as("in hundredths").isEqualTo("1500000");
        clock.set(Instant.parse("2026-12-01T00:00:01Z"));
        JsonNode december = debit("ws-race", "after-midnight", "task.execution", null);
        assertThat(december.get("creditsAllocated").asLong()).isEqualTo(15_000);
        assertThat(december.get("creditsUsed").asLong()).isEqualTo(2);
    }

    @Test
    void aChangeAndAnAddonRacingTheDebitThatOpensDecemberAreNeverLost() throws Exception {
        clock.set(Instant.parse("2026-11-30T23:59:59.990Z"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            String workspaceId = "ws-racing-" + round;
            workspaces.put(workspaceId, spec("DEV", 200, true));
            CyclicBarrier start = new CyclicBarrier(3);
            List<Future<?>> racers = List.of(
                    pool.submit(() -> {
                        start.await();
                        return workspaces.put(workspaceId, spec("PRO", 200, true));
                    }),
                    pool.submit(() -> {
                        start.await();
                        return addons.purchase(workspaceId, new AddonService.Purchase("po", 10_000L, "ANNUAL"));
                    }),
                    pool.submit(() -> {
                        start.await();
                        return debits.record(workspaceId, new RecordExecution("midnight", "task.execution", DECEMBER_FIRST));
                    }));
            for (Future<?> racer : racers) {
                racer.get(1, TimeUnit.MINUTES);
            }
            String allocated = table.item("WS#" + workspaceId, "BALANCE#2026-12").get("allocated").n();
            if (!allocated.equals("1500000")) { // hundredths
                lost.add(workspaceId + " December allocated " + allocated);
            }
        }
        pool.shutdown();

        assertThat(lost).isEmpty();
    }

    @Test
    void aMonthlyAddonBoughtBeforeMidnightStaysInItsMonth() {
        workspaces.put("ws-monthly", spec("DEV", 200, true));
        debit("ws-monthly", "early", "task.execution", DECEMBER_FIRST);

        addons.purchase("ws-monthly", new AddonService.Purchase("po-monthly", 25_000L, "MONTHLY"));

        assertThat(table.item("WS#ws-monthly", "BALANCE#2026-12").get("allocated").n()).as("in hundredths").isEqualTo("50000");
        clock.set(Instant.parse("2026-11-30T23:59:00Z"));
        assertThat(debit("ws-monthly", "november", "task.execution", null).get("creditsAllocated").asLong()).isEqualTo(25_500);
    }

    private static WorkspaceSpec spec(String tier, int hardLimitPercent, boolean casesEnabled) {
        return new WorkspaceSpec(null, "org-early", "Early", tier, null, casesEnabled, null, null, List.of(), null,
                hardLimitPercent);
    }

    private JsonNode debit(String workspaceId, String executionId, String activity, String occurredAt) {
        try {
            return Json.MAPPER.readTree(debits.record(workspaceId, new RecordExecution(executionId, activity, occurredAt)).body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
