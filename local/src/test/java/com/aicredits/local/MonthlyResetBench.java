package com.aicredits.local;

import static com.aicredits.local.ResetFixture.FIRST_OF_DECEMBER;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.reset.MonthlyReset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * {@code make bench}: the time to reset 10,000 workspaces locally (DynamoDB Local, the SES emulator, one email
 * each), in invocations of the deployed timeout (300 s) on the wall clock, and the time of a run that finds it all
 * done. Not part of {@code make test} (no *Test suffix): it takes a few minutes.
 */
class MonthlyResetBench {
    private static final int WORKSPACES = 10_000;
    private static final int SETUP_THREADS = 16;

    private final ResetFixture reset = new ResetFixture("bench-reset");

    @Test
    void resetTenThousandWorkspaces() throws Exception {
        long setupStart = System.nanoTime();
        ExecutorService setup = Executors.newFixedThreadPool(SETUP_THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < SETUP_THREADS; t++) {
            int thread = t;
            futures.add(setup.submit(() -> {
                for (int i = thread; i < WORKSPACES; i += SETUP_THREADS) {
                    String id = String.format("ws-%05d", i);
                    reset.workspace(id, "PRO", null, true);
                    reset.debit(id, "november-1", "agent.execution");
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(15, TimeUnit.MINUTES);
        }
        setup.shutdown();
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        // The reset's clock runs in real time from a second past midnight, so invocations end when their budget does.
        Clock wall = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), FIRST_OF_DECEMBER.plusSeconds(1)));
        MonthlyReset.Settings settings = MonthlyReset.Settings.defaults();
        var handler = reset.handler(reset.table.store, reset.resets, reset.workingSes, settings,
                duration -> Thread.sleep(duration), wall);
        reset.table.calls.reset();
        long start = System.nanoTime();
        Map<String, Object> last = reset.fire(handler, ResetFixture.scheduledEvent(FIRST_OF_DECEMBER), 300);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> calls = reset.table.calls.snapshot();
        int invocations = reset.results.size();

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

        System.out.printf("bench: monthly reset of %,d workspaces (open the period + one summary email each, %d at a time): %.1f s,"
                        + " %.0f workspaces/s, %d invocation(s) of 300 s, DynamoDB calls %s%n",
                WORKSPACES, settings.concurrency(), seconds, WORKSPACES / seconds, invocations, calls);
        System.out.printf("bench: monthly reset run again over the same %,d workspaces (all done, reads only): %.1f s, DynamoDB calls %s%n",
                WORKSPACES, againSeconds, reset.table.calls.snapshot());
        System.out.printf("bench: monthly reset bench setup (%,d workspaces and one November debit each, %d threads): %.1f s%n",
                WORKSPACES, SETUP_THREADS, setupSeconds);
    }

    private long count(String sortKey) {
        return reset.table.client.scanPaginator(b -> b.tableName(reset.table.name).select(Select.COUNT)
                        .filterExpression("SK = :sk").expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(sortKey))))
                .stream().mapToLong(page -> page.count()).sum();
    }
}
