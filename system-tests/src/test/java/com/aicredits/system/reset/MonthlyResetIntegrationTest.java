package com.aicredits.system.reset;

import static com.aicredits.system.reset.ResetFixture.DECEMBER;
import static com.aicredits.system.reset.ResetFixture.FIRST_OF_DECEMBER;
import static com.aicredits.system.reset.ResetFixture.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.domain.Credits;
import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.dynamodb.DynamoDbCreditStore;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.domain.Alert;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Feature;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.reset.MonthlyResetHandler;
import com.aicredits.json.Json;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.port.Mailer;
import com.aicredits.port.ResetStore;
import com.aicredits.service.AddonService;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.RecordExecution;
import com.aicredits.testkit.LogLines;
import com.aicredits.testkit.ProductionSemantics;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The monthly reset end to end: the real handler fed events/monthly-reset.json, the real service, the DynamoDB engine and
 * the SES emulator, every summary read back from the emulator.
 */
class MonthlyResetIntegrationTest {
    private final ResetFixture reset = new ResetFixture("reset");
    private final Mailer ses = reset.workingSes;

    @Test
    void aMonthWithUsageClosesAndTheNextOpensAtItsAllocationWithOneSummaryPerWorkspace() {
        reset.workspace("ws-pro", "PRO", null, true);
        reset.workspace("ws-dev", "DEV", null, true);
        reset.workspace("ws-partner", "M_PARTNER", 7_777L, true);
        reset.workspace("ws-quiet", "ESSENTIAL", null, true);
        reset.workspace("ws-silent", "ELITE", null, false);
        debits("ws-pro", "case.investigation", 10); // 120
        debits("ws-pro", "agent.execution", 30); // 180
        debits("ws-pro", "task.execution", 41); // 41
        debits("ws-pro", "builder.assist", 3); // free
        debits("ws-dev", "case.investigation", 50); // 600 of 500
        debits("ws-partner", "case.conversation", 3); // 24
        debits("ws-silent", "task.execution", 2);
        Map<String, Balance> november = new java.util.HashMap<>();
        for (String ws : List.of("ws-pro", "ws-dev", "ws-partner", "ws-silent")) {
            november.put(ws, reset.balance(ws, NOVEMBER));
        }
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(2));

        Map<String, Object> result = reset.fire(reset.handler(ses, reset.settings(100, 8)), FIRST_OF_DECEMBER);

        assertThat(result).containsEntry("period", "2026-12").containsEntry("status", "DONE");
        assertThat(outcomes(result)).containsEntry("OPENED", 5L).containsEntry("SENT", 3L)
                .containsEntry("NOTHING_TO_SUMMARIZE", 1L).containsEntry("NO_RECIPIENTS", 1L)
                .containsEntry("FAILED", 0L).containsEntry("DEFERRED", 0L);
        Map<String, Long> allocations = Map.of("ws-pro", 5_000L, "ws-dev", 500L, "ws-partner", 7_777L, "ws-quiet", 2_000L,
                "ws-silent", 10_000L);
        allocations.forEach((ws, allocated) -> {
            Balance december = reset.balance(ws, DECEMBER);
            assertThat(december.allocated()).as(ws).isEqualTo(Credits.of(allocated));
            assertThat(december.addonCredits()).isEqualTo(Credits.ZERO);
            assertThat(december.used()).as(ws).isEqualTo(Credits.ZERO);
            assertThat(december.remaining()).isEqualTo(Credits.of(allocated));
            assertThat(december.sequence()).isZero();
            assertThat(december.revision()).isZero();
            assertThat(december.usedByFeature().values()).containsOnly(Credits.ZERO);
            assertThat(december.dailyCredits()).hasSize(31).containsOnly(Credits.ZERO);
            assertThat(december.freeExecutions()).isZero();
        });
        // The closed month is left as it was: nothing rolls over, nothing is rewritten.
        november.forEach((ws, before) -> assertThat(reset.balance(ws, NOVEMBER)).as(ws).isEqualTo(before));
        assertThat(reset.balance("ws-quiet", NOVEMBER)).isNull();

        JsonNode pro = only(reset.summariesTo(reset.recipient("ws-pro")));
        assertThat(pro.get("subject").asText()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 — Workspace ws-pro");
        assertThat(pro.get("from").asText()).isEqualTo("aicredits@test.example");
        assertThat(texts(pro.at("/destination/to"))).containsExactly(reset.recipient("ws-pro"));
        assertThat(pro.at("/body/text").asText()).isEqualTo("""
                aicredits · Monthly summary: November 2026
                Workspace: Workspace ws-pro (ws-pro), organization org-reset

                Workspace ws-pro used 6.8% of its AI credits in November 2026.

                Used: 341 of 5,000 credits (6.8%)

                By feature:
                  Case investigations: 120 credits (35.2%)
                  Case conversations: 0 credits (0.0%)
                  AI agents: 180 credits (52.8%)
                  AI tasks: 41 credits (12.0%)
                  Free runs (no credits): 3

                Period: 2026-11 (November 2026)
                Left: 4,659 credits unused
                Allocation: 5,000 credits (monthly 5,000 + add-ons 0)
                Month before (October 2026): no usage recorded
                Thresholds reached: none

                Unused credits do not roll over: 2026-12 starts with 5,000 credits.

                Open the usage overview: http://127.0.0.1:3000/?workspace=ws-pro&period=2026-11

                --
                You receive this email because an admin of Workspace ws-pro lists your address among its notification \
                recipients. An admin changes who receives these emails, and at which thresholds, in the workspace's \
                settings (notificationEmails, thresholds).
                """);
        assertThat(pro.at("/body/html").asText()).contains(">341 of 5,000 credits</span>")
                .contains("<span data-fact=\"\">AI agents</span></td><td data-fact=\"\" style=\"text-align:right;white-space:nowrap;")
                .contains(">180 credits</td>")
                .contains("<a href=\"http://127.0.0.1:3000/?workspace=ws-pro&amp;period=2026-11\" id=\"usage-overview\"");
        JsonNode dev = only(reset.summariesTo(reset.recipient("ws-dev")));
        assertThat(dev.get("subject").asText()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 — Workspace ws-dev");
        assertThat(dev.at("/body/text").asText()).contains("Used: 600 of 500 credits (120.0%)\n")
                .contains("Left: 100 credits over the allocation\n").contains("  Case investigations: 600 credits (100.0%)\n")
                .contains("2026-12 starts with 500 credits.");
        JsonNode partner = only(reset.summariesTo(reset.recipient("ws-partner")));
        assertThat(partner.at("/body/text").asText()).contains("Used: 24 of 7,777 credits (0.3%)\n")
                .contains("  Case conversations: 24 credits (100.0%)\n");
        assertThat(reset.emailsTo(reset.recipient("ws-quiet"))).isEmpty();
    }

    @Test
    void theSummaryComparesWithTheMonthBeforeAndListsTheThresholdsReachedInTheMonth() {
        reset.workspace("ws-history", "DEV", null, true);
        reset.workspace("ws-first", "DEV", null, true);
        for (int i = 0; i < 25; i++) { // 150 credits in October, booked late (the previous period is still open to debits)
            reset.debits.record("ws-history", new RecordExecution("october-" + i, "agent.execution", "2026-10-20T10:00:00Z"));
        }
        debits("ws-history", "agent.execution", 70); // 420 of 500 in November
        debits("ws-first", "task.execution", 5);
        // The markers the threshold evaluator claims as usage climbs: thresholds count, the forecast does not.
        DynamoDbAlertStore alerts = new DynamoDbAlertStore(reset.table.client, reset.table.name);
        alerts.claim("ws-history", NOVEMBER, Alert.threshold(80), ResetFixture.IN_NOVEMBER);
        alerts.claim("ws-history", NOVEMBER, Alert.forecast(), ResetFixture.IN_NOVEMBER);
        alerts.claim("ws-history", Period.parse("2026-10"), Alert.threshold(90), ResetFixture.IN_NOVEMBER);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));

        reset.fire(reset.handler(ses, reset.settings(100, 2)), FIRST_OF_DECEMBER);

        assertThat(only(reset.summariesTo(reset.recipient("ws-history"))).at("/body/text").asText())
                .contains("Used: 420 of 500 credits (84.0%)\n")
                .contains("Month before (October 2026): 150 of 500 credits used; change in used: +180.0%\n")
                .contains("Thresholds reached: 80%\n");
        assertThat(only(reset.summariesTo(reset.recipient("ws-first"))).at("/body/text").asText())
                .contains("Month before (October 2026): no usage recorded\n")
                .contains("Thresholds reached: none\n");
    }

    @Test
    void theNewMonthCountsTheAddOnsActiveInItAndTheSummaryTheClosedMonths() {
        reset.workspace("ws-annual", "PRO", null, true);
        reset.workspace("ws-monthly", "PRO", null, true);
        AddonService addons = reset.table.services(reset.clock).addons();
        addons.purchase("ws-annual", new AddonService.Purchase("po-annual", 10_000L, "ANNUAL"));
        addons.purchase("ws-monthly", new AddonService.Purchase("po-monthly", 25_000L, "MONTHLY"));
        debits("ws-annual", "task.execution", 1);
        debits("ws-monthly", "task.execution", 1);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));

        reset.fire(reset.handler(ses, reset.settings(100, 2)), FIRST_OF_DECEMBER);

        assertThat(reset.balance("ws-annual", DECEMBER).allocated()).isEqualTo(Credits.of(15_000));
        assertThat(reset.balance("ws-annual", DECEMBER).addonCredits()).isEqualTo(Credits.of(10_000));
        assertThat(reset.balance("ws-monthly", DECEMBER).allocated()).as("a MONTHLY package ends with its month").isEqualTo(Credits.of(5_000));
        assertThat(only(reset.summariesTo(reset.recipient("ws-monthly"))).at("/body/text").asText())
                .contains("Used: 1 of 30,000 credits (0.0%)\n")
                .contains("Allocation: 30,000 credits (monthly 5,000 + add-ons 25,000)\n")
                .contains("2026-12 starts with 5,000 credits.");
        assertThat(only(reset.summariesTo(reset.recipient("ws-annual"))).at("/body/text").asText())
                .contains("2026-12 starts with 15,000 credits.");
    }

    @Test
    void runningTwiceOrLaterByHandOpensAndSendsNothingMore() {
        for (int i = 0; i < 6; i++) {
            reset.workspace("ws-" + i, "PRO", null, true);
            debits("ws-" + i, "task.execution", i + 1);
        }
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        MonthlyResetHandler handler = reset.handler(ses, reset.settings(100, 8));
        reset.fire(handler, FIRST_OF_DECEMBER);
        Map<String, Map<String, AttributeValue>> items = allItems();

        reset.clock.set(FIRST_OF_DECEMBER.plus(Duration.ofHours(3)));
        Map<String, Object> again = reset.fire(handler, FIRST_OF_DECEMBER);
        Map<String, Object> byHand = reset.fire(handler, FIRST_OF_DECEMBER.plus(Duration.ofHours(2)));

        for (Map<String, Object> result : List.of(again, byHand)) {
            assertThat(result).containsEntry("status", "DONE");
            assertThat(outcomes(result)).containsEntry("ALREADY_OPEN", 6L).containsEntry("ALREADY_SENT", 6L)
                    .containsEntry("OPENED", 0L).containsEntry("SENT", 0L);
        }
        assertThat(allItems()).isEqualTo(items);
        for (int i = 0; i < 6; i++) {
            assertThat(reset.summariesTo(reset.recipient("ws-" + i))).as("ws-%d", i).hasSize(1);
        }
    }

    @Test
    void aCrashHalfwayThenARunAgainOpensEachPeriodOnceAndSendsEachSummaryOnce() {
        List<String> ids = workspacesWithNovemberUsage(12);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        // Injected: the invocation dies (as on a runtime kill) after claiming its 7th summary, before sending it.
        AtomicInteger attempts = new AtomicInteger();
        Mailer crashing = email -> {
            if (attempts.incrementAndGet() == 7) {
                throw new SimulatedCrash();
            }
            return ses.send(email);
        };
        assertThatThrownBy(() -> reset.fire(reset.handler(crashing, reset.settings(100, 1)), FIRST_OF_DECEMBER))
                .isInstanceOf(SimulatedCrash.class);
        assertThat(ids.stream().filter(ws -> reset.balance(ws, DECEMBER) != null)).hasSize(7);
        assertThat(ids.stream().mapToInt(ws -> reset.summariesTo(reset.recipient(ws)).size()).sum()).isEqualTo(6);

        // Run again at once: everything else is done now; the crashed claim is taken over once its lease has run out.
        reset.clock.advance(Duration.ofSeconds(1));
        Map<String, Object> last = reset.fire(reset.handler(ses, reset.settings(100, 1)), FIRST_OF_DECEMBER);

        assertThat(reset.results).hasSize(2);
        assertThat(reset.results.getFirst()).containsEntry("status", "CONTINUE");
        assertThat(outcomes(reset.results.getFirst())).containsEntry("OPENED", 5L).containsEntry("SENT", 5L)
                .containsEntry("DEFERRED", 1L);
        assertThat(last).containsEntry("status", "DONE").containsEntry("round", 2);
        assertThat(outcomes(last)).containsEntry("SENT", 1L).containsEntry("ALREADY_SENT", 11L);
        for (String ws : ids) {
            assertThat(reset.summariesTo(reset.recipient(ws))).as(ws).hasSize(1);
            assertThat(reset.balance(ws, DECEMBER).allocated()).isEqualTo(Credits.of(5_000));
            assertThat(reset.balance(ws, DECEMBER).revision()).isZero();
            assertThat(marker(ws).get("state").s()).isEqualTo("SENT");
        }
        assertThat(ids.stream().filter(ws -> marker(ws).get("claims").n().equals("2"))).hasSize(1);
    }

    @Test
    void aCrashAfterSesAcceptedAndBeforeTheMarkIsTheOneWindowThatSendsTwice() {
        List<String> ids = workspacesWithNovemberUsage(4);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        // Injected: the invocation dies right after SES accepted its 3rd summary, before marking it sent.
        AtomicInteger sent = new AtomicInteger();
        Mailer crashing = email -> {
            String messageId = ses.send(email);
            if (sent.incrementAndGet() == 3) {
                throw new SimulatedCrash();
            }
            return messageId;
        };
        assertThatThrownBy(() -> reset.fire(reset.handler(crashing, reset.settings(100, 1)), FIRST_OF_DECEMBER))
                .isInstanceOf(SimulatedCrash.class);

        reset.clock.advance(Duration.ofSeconds(1));
        assertThat(reset.fire(reset.handler(ses, reset.settings(100, 1)), FIRST_OF_DECEMBER)).containsEntry("status", "DONE");

        assertThat(ids.stream().map(ws -> reset.summariesTo(reset.recipient(ws)).size()).sorted().toList())
                .containsExactly(1, 1, 1, 2);
    }

    @Test
    void aDebitInTheFirstSecondOfTheMonthBeforeTheJobAndTheJobAgreeOnOneBalance() {
        reset.workspace("ws-early", "PRO", null, true);
        debits("ws-early", "task.execution", 1);
        reset.clock.set(FIRST_OF_DECEMBER.plusMillis(400));
        reset.debits.record("ws-early", new RecordExecution("first-second", "case.investigation", "2026-12-01T00:00:00.300Z"));
        Balance openedByTheDebit = reset.balance("ws-early", DECEMBER);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));

        Map<String, Object> result = reset.fire(reset.handler(ses, reset.settings(100, 8)), FIRST_OF_DECEMBER);

        assertThat(outcomes(result)).containsEntry("ALREADY_OPEN", 1L).containsEntry("OPENED", 0L).containsEntry("SENT", 1L);
        assertThat(reset.balance("ws-early", DECEMBER)).isEqualTo(openedByTheDebit);
        assertThat(openedByTheDebit.allocated()).isEqualTo(Credits.of(5_000));
        assertThat(openedByTheDebit.used()).isEqualTo(Credits.of(12));
        assertThat(openedByTheDebit.sequence()).isEqualTo(1);
        // Its summary names the new month's allocation, whoever opened it.
        assertThat(only(reset.summariesTo(reset.recipient("ws-early"))).at("/body/text").asText())
                .contains("2026-12 starts with 5,000 credits.");
    }

    @Test
    void debitsRacingTheJobInTheFirstSecondLoseNothingAndDoubleNothing() throws Exception {
        int count = 24;
        for (int i = 0; i < count; i++) {
            reset.workspace("ws-race-" + i, "PRO", null, true);
            debits("ws-race-" + i, "task.execution", 1);
        }
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        MonthlyResetHandler handler = reset.handler(ses, reset.settings(5, 8));
        ExecutorService threads = Executors.newFixedThreadPool(9);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        futures.add(threads.submit(() -> {
            start.await();
            return reset.fire(handler, FIRST_OF_DECEMBER);
        }));
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(threads.submit(() -> {
                start.await();
                for (int i = thread; i < count; i += 8) {
                    for (int n = 0; n < 3; n++) {
                        reset.debits.record("ws-race-" + i, new RecordExecution("dec-" + n, "case.investigation",
                                "2026-12-01T00:00:00." + (100 + n) + "Z"));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();

        long opened = 0;
        long alreadyOpen = 0;
        for (Map<String, Object> result : reset.results) {
            opened += outcomes(result).get("OPENED");
            alreadyOpen += outcomes(result).get("ALREADY_OPEN");
        }
        assertThat(opened + alreadyOpen).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            Balance december = reset.balance("ws-race-" + i, DECEMBER);
            assertThat(december.allocated()).isEqualTo(Credits.of(5_000));
            assertThat(december.used()).isEqualTo(Credits.of(36));
            assertThat(december.sequence()).isEqualTo(3);
            assertThat(december.usedByFeature().get(Feature.CASE_INVESTIGATION)).isEqualTo(Credits.of(36));
            List<JsonNode> ledger = reset.table.records("ws-race-" + i, "dec-").stream()
                    .map(item -> json(item.get("body").s())).toList();
            assertThat(ledger).extracting(r -> r.get("sequence").asLong()).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(ledger).extracting(r -> r.get("creditsAllocated").asLong()).containsOnly(5_000L);
            assertThat(reset.summariesTo(reset.recipient("ws-race-" + i))).hasSize(1);
        }
    }

    @Test
    void aTierChangeBetweenReadingTheIndexAndOpeningIsOpenedAtTheNewAllocation() {
        reset.workspace("ws-upgraded", "PRO", null, true);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        // Injected: the upgrade lands between the job's read of the workspace and its opening write, a race
        // the DynamoDB engine cannot be made to lose on its own.
        AtomicBoolean upgraded = new AtomicBoolean();
        ExecutionInterceptor upgradeFirst = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if ("TransactWriteItems".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                        && upgraded.compareAndSet(false, true)) {
                    reset.workspaces.put("ws-upgraded", new WorkspaceSpec(null, "org-reset", "Workspace ws-upgraded", "ELITE",
                            null, null, null, null, List.of(reset.recipient("ws-upgraded")), null, null));
                }
            }
        };
        DynamoDbCreditStore racing = new DynamoDbCreditStore(reset.table.dynamoDbLocal.client(upgradeFirst), reset.table.name);

        Map<String, Object> result = reset.fire(reset.handler(racing, reset.resets, ses, reset.settings(100, 1)), FIRST_OF_DECEMBER);

        assertThat(upgraded).isTrue();
        assertThat(outcomes(result)).containsEntry("OPENED", 1L);
        assertThat(reset.balance("ws-upgraded", DECEMBER).allocated()).isEqualTo(Credits.of(10_000));
        assertThat(reset.balance("ws-upgraded", DECEMBER).revision()).isZero();
    }

    @Test
    void workspacesArePagedAcrossEveryShardOfTheIndexAndEachIsResetOnce() {
        List<String> ids = workspacesWithNovemberUsage(40);
        List<String> listed = new ArrayList<>();
        for (int shard = 0; shard < reset.resets.workspaceShards(); shard++) {
            List<String> inShard = new ArrayList<>();
            for (String after = null; ; ) {
                ResetStore.WorkspacePage page = reset.resets.workspaces(shard, after, 3);
                page.workspaces().forEach(w -> inShard.add(w.workspaceId()));
                if ((after = page.last()) == null) {
                    break;
                }
            }
            assertThat(inShard).isSorted();
            listed.addAll(inShard);
        }
        // The index holds the workspaces and nothing else (no balance, no usage record).
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        reset.table.calls.reset();

        Map<String, Object> result = reset.fire(reset.handler(ses, reset.settings(3, 4)), FIRST_OF_DECEMBER);

        assertThat(result).containsEntry("status", "DONE");
        assertThat((int) result.get("pages")).isGreaterThan(reset.resets.workspaceShards());
        // One Query per page of the index, and one per summary sent: its month's alert markers (thresholds reached).
        assertThat(reset.table.calls.count("Query")).isEqualTo((int) result.get("pages") + 40);
        assertThat(reset.table.calls.count("Scan")).isZero();
        assertThat(outcomes(result)).containsEntry("OPENED", 40L).containsEntry("SENT", 40L);
        for (String ws : ids) {
            assertThat(reset.summariesTo(reset.recipient(ws))).as(ws).hasSize(1);
            assertThat(reset.balance(ws, DECEMBER)).isNotNull();
        }
    }

    @Test
    void aResetThatRunsOutOfTimeContinuesWithItsCursorInTheSameEvent() {
        List<String> ids = workspacesWithNovemberUsage(20);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        // Each page of the index takes ten seconds here, so a 60-second invocation fits only a few.
        ResetStore slow = new SlowIndex(reset.resets, reset.clock, Duration.ofSeconds(10));
        MonthlyResetHandler handler = reset.handler(reset.table.store, slow, ses, reset.settings(2, 4));
        List<ScheduledEvent> handedOn = new ArrayList<>();
        ScheduledEvent first = ResetFixture.scheduledEvent(FIRST_OF_DECEMBER);

        Map<String, Object> result = invokeOnce(handler, first, handedOn);
        int pages = (int) result.get("pages");
        while (!handedOn.isEmpty()) {
            ScheduledEvent next = handedOn.removeFirst();
            assertThat(next.getTime().getMillis()).isEqualTo(FIRST_OF_DECEMBER.toEpochMilli());
            assertThat(next.getId()).isEqualTo(first.getId());
            assertThat(next.getResources()).isEqualTo(first.getResources());
            assertThat(next.getDetail()).containsOnlyKeys("cursor");
            assertThat(next.getDetail().get("cursor")).isInstanceOfSatisfying(Map.class, cursor -> assertThat(cursor)
                    .containsEntry("period", "2026-12").containsEntry("round", 1));
            result = invokeOnce(handler, next, handedOn);
            pages += (int) result.get("pages");
        }

        assertThat(result).containsEntry("status", "DONE");
        assertThat(reset.results.size()).isGreaterThan(3);
        assertThat(reset.results.subList(0, reset.results.size() - 1)).allSatisfy(r -> assertThat(r).containsEntry("status", "CONTINUE"));
        assertThat(pages).isEqualTo(((SlowIndex) slow).pages.get());
        for (String ws : ids) {
            assertThat(reset.summariesTo(reset.recipient(ws))).as(ws).hasSize(1);
            assertThat(reset.balance(ws, DECEMBER)).isNotNull();
        }
    }

    @Test
    void anSesOutageDelaysTheSummariesToALaterRoundButLosesNone() {
        List<String> ids = workspacesWithNovemberUsage(3);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        AtomicBoolean sesDown = new AtomicBoolean(true);
        Mailer flaky = email -> (sesDown.get() ? unreachableSes() : ses).send(email);
        // The outage ends while the reset waits for its next round.
        MonthlyReset.Sleeper waitAndRecover = duration -> {
            reset.clock.advance(duration);
            sesDown.set(false);
        };
        MonthlyResetHandler handler = reset.handler(reset.table.store, reset.resets, flaky, reset.settings(100, 2), waitAndRecover);

        Map<String, Object> result = reset.fire(handler, FIRST_OF_DECEMBER);

        assertThat(result).containsEntry("status", "DONE").containsEntry("round", 1);
        assertThat(outcomes(result)).containsEntry("FAILED", 3L).containsEntry("SENT", 3L);
        for (String ws : ids) {
            assertThat(reset.summariesTo(reset.recipient(ws))).as(ws).hasSize(1);
        }
    }

    @Test
    void anOutageThatOutlastsEveryRoundFailsTheInvocationAndARunAgainSendsEachOnce() {
        List<String> ids = workspacesWithNovemberUsage(3);
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        Mailer down = email -> unreachableSes().send(email);

        assertThatThrownBy(() -> reset.fire(reset.handler(down, reset.settings(100, 2)), FIRST_OF_DECEMBER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("left 3 workspaces pending after 4 rounds");
        for (String ws : ids) {
            assertThat(reset.balance(ws, DECEMBER)).as("opened even so").isNotNull();
            assertThat(reset.emailsTo(reset.recipient(ws))).isEmpty();
        }

        reset.clock.advance(Duration.ofMinutes(1));
        assertThat(reset.fire(reset.handler(ses, reset.settings(100, 2)), FIRST_OF_DECEMBER)).containsEntry("status", "DONE");
        for (String ws : ids) {
            assertThat(reset.summariesTo(reset.recipient(ws))).as(ws).hasSize(1);
        }
    }

    @Test
    void aTimeOtherThanTheFirstResetsItsOwnMonthAndOneFromTheFutureIsRefused() {
        workspacesWithNovemberUsage(2);
        Instant midDecember = Instant.parse("2026-12-15T10:00:00Z");
        reset.clock.set(midDecember.plusSeconds(30));
        MonthlyResetHandler handler = reset.handler(ses, reset.settings(100, 2));
        long items = reset.table.itemCount();

        for (ScheduledEvent refused : List.of(
                ResetFixture.scheduledEvent(midDecember.plus(Duration.ofMinutes(5)).plusSeconds(31)),
                ResetFixture.scheduledEvent(Instant.parse("2027-01-01T00:00:00Z")),
                withDetail(ResetFixture.scheduledEvent(midDecember), Map.of("force", true)),
                withDetail(ResetFixture.scheduledEvent(midDecember), Map.of("cursor", Map.of("period", "2026-11", "round", 1,
                        "shard", 0, "pending", 0))),
                withDetail(ResetFixture.scheduledEvent(midDecember), Map.of("cursor", "shard 3")),
                withoutTime(ResetFixture.scheduledEvent(midDecember)))) {
            Map<String, Object> answer = handler.handleRequest(refused, LocalFunctions.context(ResetFixture.FUNCTION, 300));
            assertThat(answer).containsEntry("status", "REFUSED").containsKey("error");
        }
        assertThat(reset.table.itemCount()).isEqualTo(items);
        assertThat(reset.continuations).isEmpty();

        Map<String, Object> result = reset.fire(handler, midDecember);

        assertThat(result).containsEntry("period", "2026-12").containsEntry("status", "DONE");
        assertThat(outcomes(result)).containsEntry("OPENED", 2L).containsEntry("SENT", 2L);
        assertThat(reset.balance("ws-0", Period.parse("2027-01"))).isNull();
    }

    // --- helpers

    /** Thrown by an injected fault to play a crash: an Error, which the reset does not handle (as a runtime kill). */
    private static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    /** The real index, with the time a page takes under load. */
    private static final class SlowIndex implements ResetStore {
        private final ResetStore delegate;
        private final com.aicredits.testkit.TestClock clock;
        private final Duration perPage;
        final AtomicInteger pages = new AtomicInteger();

        SlowIndex(ResetStore delegate, com.aicredits.testkit.TestClock clock, Duration perPage) {
            this.delegate = delegate;
            this.clock = clock;
            this.perPage = perPage;
        }

        @Override
        public int workspaceShards() {
            return delegate.workspaceShards();
        }

        @Override
        public WorkspacePage workspaces(int shard, String afterWorkspaceId, int limit) {
            pages.incrementAndGet();
            clock.advance(perPage);
            return delegate.workspaces(shard, afterWorkspaceId, limit);
        }

        @Override
        public Map<String, PeriodStates> states(Collection<String> workspaceIds, Period opening, Period closing) {
            return delegate.states(workspaceIds, opening, closing);
        }

        @Override
        public Map<String, PoolStates> poolStates(Collection<String> organizationIds, Period opening, Period closing) {
            return delegate.poolStates(organizationIds, opening, closing);
        }

        @Override
        public Claim claimSummary(LedgerOwner whose, Period period, String owner, Instant now, Instant leaseUntil) {
            return delegate.claimSummary(whose, period, owner, now, leaseUntil);
        }

        @Override
        public boolean markSummarySent(LedgerOwner whose, Period period, String owner, String messageId, Instant sentAt) {
            return delegate.markSummarySent(whose, period, owner, messageId, sentAt);
        }

        @Override
        public boolean markSummaryRecipientSent(LedgerOwner whose, Period period, String owner, String recipient, String messageId) {
            return delegate.markSummaryRecipientSent(whose, period, owner, recipient, messageId);
        }

        @Override
        public boolean markSummaryRecipientParked(LedgerOwner whose, Period period, String owner, String recipient, String reason,
                                                  Instant at) {
            return delegate.markSummaryRecipientParked(whose, period, owner, recipient, reason, at);
        }

        @Override
        public void releaseSummary(LedgerOwner whose, Period period, String owner, Instant claimableFrom) {
            delegate.releaseSummary(whose, period, owner, claimableFrom);
        }

        @Override
        public com.aicredits.domain.SummaryHistory summaryHistory(LedgerOwner whose, Period period) {
            return delegate.summaryHistory(whose, period);
        }
    }

    /** One invocation of 60 seconds; what it hands on is collected instead of run. */
    private Map<String, Object> invokeOnce(MonthlyResetHandler handler, ScheduledEvent event, List<ScheduledEvent> handedOn) {
        Map<String, Object> result = handler.handleRequest(event, LocalFunctions.context(ResetFixture.FUNCTION, 60));
        reset.results.add(result);
        for (ScheduledEvent next; (next = reset.continuations.poll()) != null; ) {
            handedOn.add(next);
        }
        return result;
    }

    private List<String> workspacesWithNovemberUsage(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "ws-" + i;
            reset.workspace(id, "PRO", null, true);
            debits(id, "agent.execution", 1 + i % 3);
            ids.add(id);
        }
        // The job runs long after: under production semantics its index Query sees them (README).
        ProductionSemantics.waitOutLag();
        return ids;
    }

    @Test
    void aPoolingOrganizationGetsItsPoolOpenedAndOneSummaryAndItsPooledWorkspacesNoneEvenIfTheJobRunsTwice() {
        String org = "org-pool-" + reset.tag;
        String managers = "managers." + reset.tag + "@acme.example";
        for (String id : List.of("ws-pool-a", "ws-pool-b")) {
            reset.workspaces.put(id, new com.aicredits.domain.WorkspaceSpec(null, org, "Team " + id, "DEV", null, null, null,
                    null, List.of(reset.recipient(id)), null, null));
        }
        reset.table.services(reset.clock).organizations().put(org, new com.aicredits.domain.OrganizationSpec(null,
                "Acme Holding", new com.aicredits.domain.CreditPool.Spec(true, null, null, null, List.of(managers))));
        debits("ws-pool-a", "case.investigation", 20); // 240
        debits("ws-pool-b", "agent.execution", 10); // 60: the pool of 1,000 used 300
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(2));

        Map<String, Object> first;
        try (LogLines logs = LogLines.capture()) {
            first = reset.fire(reset.handler(ses, reset.settings(1, 2)), FIRST_OF_DECEMBER);
            // Operators see the pools' outcomes in CloudWatch as the workspaces' (ResetPools beside ResetWorkspaces).
            assertThat(logs.metric("ResetPools")).extracting(line -> line.get("Outcome").asText() + "=" + line.get("ResetPools").asLong())
                    .containsExactlyInAnyOrder("OPENED=1", "SENT=1");
            assertThat(logs.metric("ResetWorkspaces")).extracting(line -> line.get("Outcome").asText())
                    .contains("POOLED");
        }

        assertThat(first).containsEntry("status", "DONE");
        assertThat(outcomes(first)).containsEntry("POOLED", 2L);
        assertThat(poolOutcomes(first)).containsEntry("OPENED", 1L).containsEntry("SENT", 1L);
        JsonNode summary = only(reset.summariesTo(managers));
        assertThat(summary.get("subject").asText())
                .isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 of the organization's credit pool — Acme Holding");
        assertThat(summary.at("/body/text").asText()).contains("300 of 1,000 credits")
                .contains("Team ws-pool-a (ws-pool-a): 240 credits (80.0%)")
                .contains("Team ws-pool-b (ws-pool-b): 60 credits (20.0%)")
                .contains("Case investigations: 240 credits").contains("AI agents: 60 credits");
        assertThat(reset.summariesTo(reset.recipient("ws-pool-a"))).isEmpty();
        assertThat(reset.summariesTo(reset.recipient("ws-pool-b"))).isEmpty();
        Map<String, AttributeValue> pool = reset.table.item("ORG#" + org, "POOL#" + DECEMBER);
        assertThat(pool.get("enabled").bool()).isTrue();
        assertThat(pool.get("used").n()).isEqualTo("0");
        assertThat(reset.table.item("ORG#" + org, "SUMMARY#" + NOVEMBER).get("state").s()).isEqualTo("SENT");

        Map<String, Object> again = reset.fire(reset.handler(ses, reset.settings(1, 2)), FIRST_OF_DECEMBER);
        assertThat(poolOutcomes(again)).containsEntry("ALREADY_OPEN", 1L).containsEntry("ALREADY_SENT", 1L);
        assertThat(reset.summariesTo(managers)).hasSize(1);
        assertThat(reset.summariesTo(reset.recipient("ws-pool-a"))).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> poolOutcomes(Map<String, Object> result) {
        return (Map<String, Long>) result.get("poolOutcomes");
    }

    private void debits(String workspaceId, String activity, int count) {
        for (int i = 0; i < count; i++) {
            reset.debit(workspaceId, activity + "-" + i, activity);
        }
    }

    private Map<String, AttributeValue> marker(String workspaceId) {
        return reset.table.item("WS#" + workspaceId, "SUMMARY#" + NOVEMBER);
    }

    private Map<String, Map<String, AttributeValue>> allItems() {
        return reset.table.client.scanPaginator(b -> b.tableName(reset.table.name).consistentRead(true)).items().stream()
                .collect(Collectors.toMap(item -> item.get("PK").s() + "|" + item.get("SK").s(), item -> item));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> outcomes(Map<String, Object> result) {
        return (Map<String, Long>) result.get("outcomes");
    }

    private static JsonNode only(List<JsonNode> emails) {
        assertThat(emails).hasSize(1);
        return emails.getFirst();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ScheduledEvent withDetail(ScheduledEvent event, Map<String, Object> detail) {
        event.setDetail(detail);
        return event;
    }

    private static ScheduledEvent withoutTime(ScheduledEvent event) {
        event.setTime(null);
        return event;
    }

    /** A real outage: nothing listens on port 1, so every send fails to connect (no retries, to keep the test short). */
    private static SesMailer unreachableSes() {
        return new SesMailer(SesV2Client.builder().endpointOverride(URI.create("http://127.0.0.1:1")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create()).build(), "aicredits@test.example");
    }
}
