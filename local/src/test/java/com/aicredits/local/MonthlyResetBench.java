package com.aicredits.local;

import static com.aicredits.local.ResetFixture.FIRST_OF_DECEMBER;
import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.service.MonthlyReset;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.ItemSeeder;
import com.aicredits.testkit.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * {@code make bench}: the time to reset 10,000 workspaces locally (DynamoDB Local, the SES emulator, one email
 * each), in invocations of the deployed timeout (300 s) on the wall clock, the items it reads and writes per
 * workspace, and the time of a run that finds it all done. Not part of {@code make test} (no *Test suffix): it
 * takes a few minutes.
 */
class MonthlyResetBench {
    private static final int WORKSPACES = 10_000;
    private static final String TEMPLATE = "ws-00000";

    private final ResetFixture reset = new ResetFixture("bench-reset");

    @Test
    void resetTenThousandWorkspaces() throws Exception {
        // One workspace made by the real services (a workspace with a recipient, November's balance and one record),
        // then 9,999 copies of its three items written in bulk: the reset reads exactly what the services write.
        reset.workspace(TEMPLATE, "PRO", null, true);
        reset.debit(TEMPLATE, "november-1", "agent.execution");
        List<Map<String, AttributeValue>> items = List.of(reset.table.item("WS#" + TEMPLATE, "WORKSPACE"),
                reset.table.item("WS#" + TEMPLATE, "BALANCE#2026-11"), reset.table.item("WS#" + TEMPLATE, "EXEC#november-1"));
        assertThat(items).allSatisfy(item -> assertThat(item).isNotEmpty());
        double setupSeconds = ItemSeeder.write(reset.table.client, reset.table.name, "reset bench: seed workspaces",
                WORKSPACES - 1, 8, i -> {
                    String id = String.format("ws-%05d", i + 1);
                    return items.stream().map(item -> ItemSeeder.copy(item, TEMPLATE, id, item.containsKey(Keys.GSI2PK)
                            ? Map.of(Keys.GSI2PK, AttributeValue.fromS(Keys.workspacesGsiPk(Keys.workspaceShard(id))))
                            : Map.of())).toList();
                });

        // The reset's clock runs in real time from a second past midnight, so invocations end when their budget does.
        Clock wall = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), FIRST_OF_DECEMBER.plusSeconds(1)));
        MonthlyReset.Settings settings = MonthlyReset.Settings.defaults();
        var handler = reset.handler(reset.table.store, reset.resets, reset.workingSes, settings,
                duration -> Thread.sleep(duration), wall);
        reset.table.calls.reset();
        Progress.say("reset bench: resetting " + String.format("%,d", WORKSPACES) + " workspaces");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> Progress.say(String.format("reset bench: %,d/%,d periods opened",
                reset.table.calls.count("TransactWriteItems"), WORKSPACES)), 5, 5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        Map<String, Object> last;
        try {
            last = reset.fire(handler, ResetFixture.scheduledEvent(FIRST_OF_DECEMBER), 300);
        } finally {
            ticker.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> calls = reset.table.calls.snapshot();
        int itemsRead = reset.table.calls.itemsRead();
        int itemsWritten = reset.table.calls.itemsWritten();
        int conditionChecks = reset.table.calls.conditionChecks();
        int invocations = reset.results.size();
        Progress.say(String.format("reset bench: done in %.1f s", seconds));

        assertThat(last).containsEntry("status", "DONE");
        assertThat(count("BALANCE#2026-12")).isEqualTo(WORKSPACES);
        assertThat(count("SUMMARY#2026-11")).isEqualTo(WORKSPACES);
        long summaries = reset.ses.emailsJson().split("\"\\[aicredits\\] Monthly AI credit summary for 2026-11 — Workspace ws-")
                .length - 1;
        assertThat(summaries).isGreaterThanOrEqualTo(WORKSPACES);

        reset.results.clear();
        reset.table.calls.reset();
        long againStart = System.nanoTime();
        Map<String, Object> again = reset.fire(handler, ResetFixture.scheduledEvent(FIRST_OF_DECEMBER), 300);
        double againSeconds = (System.nanoTime() - againStart) / 1e9;
        assertThat(again).containsEntry("status", "DONE");

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("workspaces", WORKSPACES);
        figures.put("seconds", round(seconds));
        figures.put("workspacesPerSecond", Math.round(WORKSPACES / seconds));
        figures.put("invocations", invocations);
        figures.put("calls", calls);
        figures.put("itemsReadPerWorkspace", (double) itemsRead / WORKSPACES);
        figures.put("itemsWrittenPerWorkspace", (double) itemsWritten / WORKSPACES);
        figures.put("conditionChecksPerWorkspace", (double) conditionChecks / WORKSPACES);
        figures.put("concurrency", settings.concurrency());
        BenchResults.add(BenchResults.Row.of("reset", String.format("monthly reset of %,d workspaces (open the period + one summary"
                        + " email each, %d at a time)", WORKSPACES, settings.concurrency()),
                String.format("%.1f s (%d workspaces/s, %d invocation(s) of 300 s); per workspace %.2f items read, %.2f written"
                                + " (+ %.2f condition check); calls %s", seconds, Math.round(WORKSPACES / seconds), invocations,
                        (double) itemsRead / WORKSPACES, (double) itemsWritten / WORKSPACES,
                        (double) conditionChecks / WORKSPACES, calls)).withFigures(figures));
        BenchResults.add(BenchResults.Row.of("reset", String.format("monthly reset run again over the same %,d workspaces (all done)",
                        WORKSPACES),
                String.format("%.1f s, reads only: %.2f items read per workspace, calls %s", againSeconds,
                        (double) reset.table.calls.itemsRead() / WORKSPACES, reset.table.calls.snapshot()))
                .withFigures(Map.of("seconds", round(againSeconds), "calls", reset.table.calls.snapshot(),
                        "itemsWritten", reset.table.calls.itemsWritten())));
        BenchResults.add(BenchResults.Row.of("reset", "monthly reset bench setup",
                String.format("%,d workspaces with a November balance and record: %.1f s (BatchWriteItem copies of one made"
                        + " by the services)", WORKSPACES, setupSeconds)).withFigures(Map.of("seconds", round(setupSeconds))));
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    private long count(String sortKey) {
        return reset.table.client.scanPaginator(b -> b.tableName(reset.table.name).select(Select.COUNT)
                        .filterExpression("SK = :sk").expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(sortKey))))
                .stream().mapToLong(page -> page.count()).sum();
    }
}
