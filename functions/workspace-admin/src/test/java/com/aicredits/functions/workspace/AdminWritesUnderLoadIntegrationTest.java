package com.aicredits.functions.workspace;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.app.Services;
import com.aicredits.domain.CreditsException;
import com.aicredits.json.Json;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 30, item 7: a tier change and an add-on purchase on a workspace that 8 threads debit continuously (8 containers,
 * each its own debit service, so nothing in the JVM takes turns for them), under production semantics played on this
 * test's own client (DynamoDB's transaction conflicts and stale reads): both answer 2xx, no debit answers 5xx, and the
 * balance ends at the new tier's allocation plus the package.
 */
class AdminWritesUnderLoadIntegrationTest {
    private static final int DEBIT_THREADS = 8;
    private static final String WS = "ws-busy";

    private final CreditsTable table = new CreditsTable("admin-load", new ProductionSemantics(ProductionSemantics.Settings.forTests()));
    private final TestClock clock = new TestClock(Instant.parse("2026-11-10T10:00:00Z"));
    private final Services services = table.services(clock);
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(services);

    @Test
    void aTierChangeAndAnAddonPurchaseGoThroughWhileEightThreadsDebitTheWorkspace() throws Exception {
        assertThat(put("DEV").getStatusCode()).isEqualTo(201);
        AtomicBoolean adminDone = new AtomicBoolean();
        AtomicInteger debited = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(DEBIT_THREADS + 2);
        try {
            List<Future<?>> debitors = new ArrayList<>();
            for (int t = 0; t < DEBIT_THREADS; t++) {
                int thread = t;
                DebitService container = services.debits();
                debitors.add(pool.submit(() -> {
                    // At least 20 debits each, and on until both admin writes have answered.
                    for (int i = 0; i < 20 || !adminDone.get(); i++) {
                        try {
                            container.record(WS, new RecordExecution("t" + thread + "-" + i, "task.execution", null));
                            debited.incrementAndGet();
                        } catch (CreditsException e) {
                            failures.add("debit t" + thread + "-" + i + ": " + Refusals.status(e) + " " + Refusals.code(e));
                        }
                    }
                }));
            }
            while (debited.get() < 2 * DEBIT_THREADS) {
                Thread.sleep(5);
            }
            Future<APIGatewayV2HTTPResponse> tierChange = pool.submit(() -> put("PRO"));
            Future<APIGatewayV2HTTPResponse> purchase = pool.submit(() -> handler.handleRequest(ApiEvents.load("buy-addon.json", WS,
                    Json.write(Map.of("purchaseId", "po-busy", "monthlyCredits", 10_000, "term", "MONTHLY"))), null));
            APIGatewayV2HTTPResponse changed = tierChange.get(2, TimeUnit.MINUTES);
            APIGatewayV2HTTPResponse bought = purchase.get(2, TimeUnit.MINUTES);
            adminDone.set(true);
            for (Future<?> debitor : debitors) {
                debitor.get(2, TimeUnit.MINUTES);
            }

            assertThat(changed.getStatusCode()).as("the tier change: %s", changed.getBody()).isEqualTo(200);
            assertThat(bought.getStatusCode()).as("the purchase: %s", bought.getBody()).isEqualTo(201);
            assertThat(failures).isEmpty();
            // PRO's 5,000 credits and the package's 10,000, whichever committed first.
            assertThat(table.item("WS#" + WS, "BALANCE#2026-11").get("baseCredits").n()).as("in hundredths").isEqualTo("500000");
            assertThat(table.item("WS#" + WS, "BALANCE#2026-11").get("addonCredits").n()).as("in hundredths").isEqualTo("1000000");
            assertThat(table.item("WS#" + WS, "BALANCE#2026-11").get("sequence").n()).isEqualTo(Integer.toString(debited.get()));
        } finally {
            adminDone.set(true);
            pool.shutdownNow();
        }
    }

    private APIGatewayV2HTTPResponse put(String tier) {
        return handler.handleRequest(ApiEvents.load("put-workspace.json", WS, Json.write(Map.of("organizationId", "org-busy",
                "name", "Busy", "tier", tier))), null);
    }
}
