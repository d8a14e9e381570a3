package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.CreditPool;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Refusal;
import com.aicredits.service.OrganizationService;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An organization's credit pool through the real handler on our DynamoDB engine (plain, and under production semantics
 * in the failsafe execution that plays them): twenty workspaces debiting one pool from eight threads over four
 * containers stop exactly at the pool's hard limit with one exact running ledger, and switching the pool on and off
 * while workspaces debit loses and doubles nothing.
 */
class PooledDebitsIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String PERIOD = "2026-11";

    private final DebitFixture api = new DebitFixture("pools", NOW);
    private final OrganizationService organizations = api.table.services(api.clock).organizations();

    private void pool(String organizationId, boolean enabled, Long monthlyCredits, Integer hardLimitPercent) {
        organizations.put(organizationId, new OrganizationSpec(null, "Organization " + organizationId,
                new CreditPool.Spec(enabled, monthlyCredits, hardLimitPercent, null, List.of("finance@example.com"))));
    }

    private void workspaces(String organizationId, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            api.workspace(prefix + i, "DEV", Map.of("organizationId", organizationId));
        }
    }

    /** Every record of the workspaces, as JSON. */
    private List<JsonNode> records(String prefix, int count) {
        List<JsonNode> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            api.table.records(prefix + i, "").forEach(item -> records.add(DebitFixture.Response.parse(item.get("body").s())));
        }
        return records;
    }

    private BigDecimal poolUsed(String organizationId) {
        return hundredths(api.table.item("ORG#" + organizationId, "POOL#" + PERIOD).get("used").n());
    }

    private static BigDecimal hundredths(String value) {
        return new BigDecimal(value).movePointLeft(2);
    }

    @Test
    void twentyWorkspacesOnOnePoolStopExactlyAtItsHardLimitWithOneExactRunningLedger() throws Exception {
        workspaces("org-burst", "ws-burst-", 20);
        // 300 credits at 100%: far below the twenty workspaces' own 10,000, so only the pool can refuse.
        pool("org-burst", true, 300L, 100);
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer(), api.newContainer(), api.newContainer());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                RecordExecutionHandler container = containers.get(thread % containers.size());
                for (int i = 0; i < 20; i++) {
                    String workspaceId = "ws-burst-" + (thread * 20 + i) % 20;
                    DebitFixture.Response answer = api.debit(container, workspaceId, "b-" + thread + "-" + i,
                            i % 2 == 0 ? "agent.execution" : "task.execution");
                    if (answer.status() == 402) {
                        refused.incrementAndGet();
                    } else if (answer.status() != 201) {
                        wrong.add(answer.status() + " " + answer.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> thread : done) {
            thread.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();
        // Fill what is left with one-credit runs until the pool refuses: it must stop at exactly 300.
        for (int i = 0; api.debit("ws-burst-" + i % 20, "fill-" + i, "task.execution").status() == 201; i++) {
            assertThat(i).isLessThan(300);
        }

        assertThat(wrong).isEmpty();
        assertThat(refused.get()).as("8 x 20 runs of 6 and 1 credits are 560 credits: the pool refuses some").isPositive();
        List<JsonNode> ledger = records("ws-burst-", 20).stream()
                .sorted(java.util.Comparator.comparingLong(line -> line.get("sequence").asLong())).toList();
        BigDecimal used = BigDecimal.ZERO;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode line = ledger.get(i);
            used = used.add(line.get("creditsConsumed").decimalValue());
            assertThat(line.get("pool").asText()).isEqualTo("organization");
            assertThat(line.get("sequence").asLong()).as("one running ledger for the organization").isEqualTo(i + 1);
            assertThat(line.get("creditsUsed").decimalValue()).as("line %d", i + 1).isEqualByComparingTo(used);
            assertThat(line.get("creditsAllocated").decimalValue()).isEqualByComparingTo("300");
            assertThat(line.get("creditsRemaining").decimalValue()).isEqualByComparingTo(new BigDecimal(300).subtract(used));
        }
        assertThat(used).isEqualByComparingTo("300");
        assertThat(poolUsed("org-burst")).isEqualByComparingTo("300");
        BigDecimal workspacesUsed = BigDecimal.ZERO;
        for (int i = 0; i < 20; i++) {
            String workspaceId = "ws-burst-" + i;
            BigDecimal recorded = ledger.stream().filter(line -> line.get("workspaceId").asText().equals(workspaceId))
                    .map(line -> line.get("creditsConsumed").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
            JsonNode balance = api.balance(workspaceId, PERIOD);
            if (balance == null) {
                assertThat(recorded).as(workspaceId + " never opened its period").isZero();
                continue;
            }
            assertThat(balance.get("used").decimalValue()).as(workspaceId).isEqualByComparingTo(recorded);
            assertThat(balance.get("pooled").asText()).isEqualTo("true");
            workspacesUsed = workspacesUsed.add(recorded);
        }
        assertThat(workspacesUsed).isEqualByComparingTo("300");
        DebitFixture.Response over = api.debit("ws-burst-3", "over", "task.execution");
        assertThat(over.status()).isEqualTo(402);
        assertThat(over.json().get("error").get("message").asText()).startsWith("the credit pool of organization org-burst");
        JsonNode first = ledger.getFirst();
        DebitFixture.Response replay = api.debit(first.get("workspaceId").asText(), first.get("executionId").asText(),
                first.get("activity").asText());
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json()).isEqualTo(first);
    }

    @Test
    void batchesAndSingleCallsFromTwentyWorkspacesStopExactlyAtThePoolsHardLimit() throws Exception {
        workspaces("org-batches", "ws-batch-", 20);
        pool("org-batches", true, 500L, 100);
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer(), api.newContainer(), api.newContainer());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger created = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                RecordExecutionHandler container = containers.get(thread % containers.size());
                for (int b = 0; b < 10; b++) {
                    String workspaceId = "ws-batch-" + (thread * 10 + b) % 20;
                    if (b % 3 == 2) {
                        DebitFixture.Response single = api.debit(container, workspaceId, "s-" + thread + "-" + b, "agent.execution");
                        if (single.status() == 201) {
                            created.incrementAndGet();
                        } else if (single.status() != 402) {
                            wrong.add(single.status() + " " + single.body());
                        }
                        continue;
                    }
                    List<String> runs = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        runs.add("{\"executionId\":\"b-" + thread + "-" + b + "-" + i + "\",\"activity\":\""
                                + (i % 2 == 0 ? "agent.execution" : "task.execution") + "\"}");
                    }
                    DebitFixture.Response answer = DebitFixture.batch(container, workspaceId, runs);
                    if (answer.status() != 200) {
                        wrong.add(answer.status() + " " + answer.body());
                        continue;
                    }
                    answer.json().get("results").forEach(result -> {
                        int status = result.get("status").asInt();
                        if (status == 201) {
                            created.incrementAndGet();
                        } else if (status != 402) {
                            wrong.add(result.toString());
                        }
                    });
                }
                return null;
            }));
        }
        for (Future<?> thread : done) {
            thread.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();
        for (int i = 0; api.debit("ws-batch-" + i % 20, "fill-" + i, "task.execution").status() == 201; i++) {
            created.incrementAndGet();
            assertThat(i).isLessThan(500);
        }

        assertThat(wrong).isEmpty();
        List<JsonNode> ledger = records("ws-batch-", 20).stream()
                .sorted(java.util.Comparator.comparingLong(line -> line.get("sequence").asLong())).toList();
        assertThat(ledger).hasSize(created.get());
        BigDecimal used = BigDecimal.ZERO;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode line = ledger.get(i);
            used = used.add(line.get("creditsConsumed").decimalValue());
            assertThat(line.get("sequence").asLong()).as("one running ledger for the organization").isEqualTo(i + 1);
            assertThat(line.get("creditsUsed").decimalValue()).as("line %d", i + 1).isEqualByComparingTo(used);
        }
        assertThat(used).isEqualByComparingTo("500");
        assertThat(poolUsed("org-batches")).isEqualByComparingTo("500");
        for (int i = 0; i < 20; i++) {
            String workspaceId = "ws-batch-" + i;
            List<JsonNode> own = ledger.stream().filter(line -> line.get("workspaceId").asText().equals(workspaceId)).toList();
            JsonNode balance = api.balance(workspaceId, PERIOD);
            if (balance == null) {
                assertThat(own).as(workspaceId + " never opened its period").isEmpty();
                continue;
            }
            assertThat(balance.get("used").decimalValue()).as(workspaceId).isEqualByComparingTo(own.stream()
                    .map(line -> line.get("creditsConsumed").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(balance.get("sequence").asLong()).as("%s lists each of its runs once", workspaceId).isEqualTo(own.size());
        }
    }

    @Test
    void aSwitchRightAfterAWorkspaceIsCreatedAndDebitedStillMovesIt() {
        pool("org-new", false, null, null);
        for (int i = 0; i < 5; i++) {
            // Created, debited (its period opens on its own allocation) and pooled at once: under production semantics
            // the organization's index answers without it for a while, and the switch must wait for it.
            String workspaceId = "ws-new-" + i;
            api.workspace(workspaceId, "DEV", Map.of("organizationId", "org-new"));
            assertThat(api.debit(workspaceId, "n-" + i, "task.execution").status()).isEqualTo(201);
            pool("org-new", true, null, null);

            assertThat(api.balance(workspaceId, PERIOD).get("pooled").asText()).as(workspaceId).isEqualTo("true");
            assertThat(poolUsed("org-new")).as("each earlier workspace used 2, this one 1").isEqualByComparingTo(new BigDecimal(2 * i + 1));
            assertThat(api.debit(workspaceId, "p-" + i, "task.execution").json().get("pool").asText()).isEqualTo("organization");
            pool("org-new", false, null, null);
        }
    }

    @Test
    void switchingThePoolOnAndOffWhileWorkspacesDebitLosesAndDoublesNothing() throws Exception {
        workspaces("org-switch", "ws-switch-", 4);
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean debiting = new AtomicBoolean(true);
        AtomicInteger switches = new AtomicInteger();
        // Runs answered under each mode so far: the switcher waits for one under the mode it set before the next switch.
        AtomicInteger pooledRuns = new AtomicInteger();
        AtomicInteger ownRuns = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        CountDownLatch enabledOnce = new CountDownLatch(1);
        Future<?> switcher = threads.submit(() -> {
            for (boolean enabled = true; debiting.get() || enabled; enabled = !enabled) {
                try {
                    AtomicInteger underThisMode = enabled ? pooledRuns : ownRuns;
                    int before = underThisMode.get();
                    pool("org-switch", enabled, null, null);
                    switches.incrementAndGet();
                    enabledOnce.countDown();
                    for (long until = System.nanoTime() + 2_000_000_000L; debiting.get() && underThisMode.get() == before
                            && System.nanoTime() < until; ) {
                        Thread.sleep(1);
                    }
                } catch (CreditsException busy) {
                    // A switch that found no quiet moment within its budget wrote nothing: the next one tries again.
                    assertThat(busy.refusal()).isEqualTo(Refusal.CONTENTION);
                    enabled = !enabled;
                }
            }
            return null;
        });
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                enabledOnce.await();
                for (int i = 0; i < 60; i++) {
                    DebitFixture.Response answer = api.debit(containers.get(thread % 2), "ws-switch-" + thread,
                            "s-" + thread + "-" + i, "task.execution");
                    if (answer.status() != 201) {
                        wrong.add(answer.status() + " " + answer.body());
                    } else {
                        (answer.json().has("pool") ? pooledRuns : ownRuns).incrementAndGet();
                    }
                    // A switch must find every balance of the organization as it read it: under a burst that never
                    // pauses it retries until its budget is spent (docs/design.md, "Ceilings"). Debits here leave gaps.
                    Thread.sleep(2);
                }
                return null;
            }));
        }
        for (Future<?> thread : done) {
            thread.get(5, TimeUnit.MINUTES);
        }
        debiting.set(false);
        switcher.get(5, TimeUnit.MINUTES);
        threads.shutdown();

        assertThat(wrong).isEmpty();
        assertThat(switches.get()).as("the pool switched on and off while the workspaces debited").isGreaterThanOrEqualTo(2);
        List<JsonNode> records = records("ws-switch-", 4);
        assertThat(records).hasSize(240);
        assertThat(pooledRuns.get()).as("runs drew from the pool").isPositive();
        assertThat(ownRuns.get()).as("runs drew from their own allocations").isPositive();
        assertThat(records.stream().filter(r -> r.has("pool")).count()).isEqualTo(pooledRuns.get());
        Set<Long> poolSequences = new HashSet<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int t = 0; t < 4; t++) {
            String workspaceId = "ws-switch-" + t;
            List<JsonNode> own = records.stream().filter(r -> r.get("workspaceId").asText().equals(workspaceId)).toList();
            JsonNode balance = api.balance(workspaceId, PERIOD);
            assertThat(balance.get("used").decimalValue()).as(workspaceId).isEqualByComparingTo(new BigDecimal(own.size()));
            assertThat(balance.get("sequence").asLong()).as("its list holds every run once").isEqualTo(own.size());
            assertThat(balance.get("pooled").asText()).as("the last switch enabled the pool").isEqualTo("true");
            own.stream().filter(r -> r.has("pool")).forEach(r -> assertThat(poolSequences.add(r.get("sequence").asLong()))
                    .as("pool line %s once", r.get("sequence")).isTrue());
            total = total.add(new BigDecimal(own.size()));
        }
        assertThat(poolUsed("org-switch")).as("the pool holds everything its workspaces used").isEqualByComparingTo(total);
        assertThat(api.table.item("ORG#org-switch", "POOL#" + PERIOD).get("sequence").n())
                .isEqualTo(Long.toString(poolSequences.stream().mapToLong(Long::longValue).max().orElse(0)));
    }
}
