package com.aicredits.bench;

import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.InvocationContext;
import com.aicredits.app.Services;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.reset.Continuation;
import com.aicredits.functions.reset.MonthlyResetHandler;
import com.aicredits.json.Json;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.port.EventPublisher;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.RecordExecution;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ItemSeeder;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.Progress;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The time to reset 10,000 workspaces locally (the DynamoDB engine, the SES emulator, one email each), in invocations of
 * the deployed timeout (300 s) on the wall clock, the items it reads and writes per workspace, and the time of a run
 * that finds it all done. The real handler runs its continuations one after another, as Lambda runs the
 * self-invocations.
 */
final class MonthlyResetCost {
    static final int WORKSPACES = 10_000;
    static final int TIMEOUT_SECONDS = 300;
    private static final String FUNCTION = "MonthlyResetFunction";
    private static final String TEMPLATE = "ws-00000";
    private static final Instant IN_NOVEMBER = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant FIRST_OF_DECEMBER = Instant.parse("2026-12-01T00:00:00Z");
    private static final String SUMMARY_SUBJECT = "\"[aicredits] Monthly AI credit summary for 2026-11 — Workspace ws-";

    private final CreditsTable table;
    private final SesEmulator ses;
    private final ConcurrentLinkedQueue<ScheduledEvent> continuations = new ConcurrentLinkedQueue<>();
    private int invocations;

    private MonthlyResetCost(LocalDynamoDb dynamoDb, SesEmulator ses) {
        this.table = new CreditsTable(dynamoDb, "bench-reset");
        this.ses = ses;
    }

    static void run(LocalDynamoDb dynamoDb) {
        try (SesEmulator ses = SesEmulator.start(SesEmulator.defaultDirectory(), 0)) {
            new MonthlyResetCost(dynamoDb, ses).measure();
        }
    }

    private void measure() {
        // One workspace made by the real services (a workspace with a recipient, November's balance and one record),
        // then 9,999 copies of its three items written in bulk: the reset reads exactly what the services write.
        Services november = table.services(new TestClock(IN_NOVEMBER));
        november.workspaces().put(TEMPLATE, new WorkspaceSpec(null, "org-reset", "Workspace " + TEMPLATE, "PRO", null, null, null,
                null, List.of(TEMPLATE + "@acme.example"), null, null));
        november.debits().record(TEMPLATE, new RecordExecution("november-1", "agent.execution", null));
        List<Map<String, AttributeValue>> items = List.of(table.item("WS#" + TEMPLATE, "WORKSPACE"),
                table.item("WS#" + TEMPLATE, "BALANCE#2026-11"), table.record(TEMPLATE, "november-1"));
        check(items.stream().allMatch(item -> item != null && !item.isEmpty()),
                "the template workspace's three items (workspace, November's balance, its record) were written");
        double setupSeconds = ItemSeeder.write(table.client, table.name, "reset bench: seed workspaces", WORKSPACES - 1, 8, i -> {
            String id = String.format("ws-%05d", i + 1);
            return items.stream().map(item -> ItemSeeder.copy(item, TEMPLATE, id, item.containsKey(Keys.GSI2PK)
                    ? Map.of(Keys.GSI2PK, AttributeValue.fromS(Keys.workspacesGsiPk(Keys.workspaceShard(id))))
                    : Map.of())).toList();
        });

        // The reset's clock runs in real time from a second past midnight, so invocations end when their budget does.
        Clock wall = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), FIRST_OF_DECEMBER.plusSeconds(1)));
        MonthlyReset.Settings settings = MonthlyReset.Settings.defaults();
        MonthlyReset reset = table.services(wall).withNotifications(new Services.Notifications(mailer(), EventPublisher.LOG_ONLY,
                "http://127.0.0.1:3000", null)).monthlyReset(settings, Thread::sleep);
        Continuation queued = (next, current, budget) -> continuations.add(next);
        MonthlyResetHandler handler = new MonthlyResetHandler(reset, queued, wall);

        table.calls.reset();
        Progress.say("reset bench: resetting " + String.format("%,d", WORKSPACES) + " workspaces");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> Progress.say(String.format("reset bench: %,d/%,d periods opened",
                table.calls.count("TransactWriteItems"), WORKSPACES)), 5, 5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        Map<String, Object> last;
        try {
            last = fire(handler);
        } finally {
            ticker.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> calls = table.calls.snapshot();
        int itemsRead = table.calls.itemsRead();
        int itemsWritten = table.calls.itemsWritten();
        int conditionChecks = table.calls.conditionChecks();
        int firstInvocations = invocations;
        Progress.say(String.format("reset bench: done in %.1f s", seconds));

        check("DONE".equals(last.get("status")), "the reset ends DONE (last invocation answered " + last + ")");
        long opened = count("BALANCE#2026-12");
        check(opened == WORKSPACES, "every workspace has December's balance (" + opened + " of " + WORKSPACES + ")");
        long summarized = count("SUMMARY#2026-11");
        check(summarized == WORKSPACES, "every workspace has November's summary (" + summarized + " of " + WORKSPACES + ")");
        long summaries = ses.emailsJson().split(Pattern.quote(SUMMARY_SUBJECT)).length - 1;
        check(summaries >= WORKSPACES, "the SES emulator holds a summary email per workspace (" + summaries + " of " + WORKSPACES + ")");

        invocations = 0;
        table.calls.reset();
        long againStart = System.nanoTime();
        Map<String, Object> again = fire(handler);
        double againSeconds = (System.nanoTime() - againStart) / 1e9;
        check("DONE".equals(again.get("status")), "the second run ends DONE (it answered " + again + ")");

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("workspaces", WORKSPACES);
        figures.put("seconds", round(seconds));
        figures.put("workspacesPerSecond", Math.round(WORKSPACES / seconds));
        figures.put("invocations", firstInvocations);
        figures.put("calls", calls);
        figures.put("itemsReadPerWorkspace", (double) itemsRead / WORKSPACES);
        figures.put("itemsWrittenPerWorkspace", (double) itemsWritten / WORKSPACES);
        figures.put("conditionChecksPerWorkspace", (double) conditionChecks / WORKSPACES);
        figures.put("concurrency", settings.concurrency());
        BenchResults.add(BenchResults.Row.of("reset", String.format("monthly reset of %,d workspaces (open the period + one summary"
                        + " email each, %d at a time)", WORKSPACES, settings.concurrency()),
                String.format("%.1f s (%d workspaces/s, %d invocation(s) of %d s); per workspace %.2f items read, %.2f written"
                                + " (+ %.2f condition check); calls %s", seconds, Math.round(WORKSPACES / seconds), firstInvocations,
                        TIMEOUT_SECONDS, (double) itemsRead / WORKSPACES, (double) itemsWritten / WORKSPACES,
                        (double) conditionChecks / WORKSPACES, calls)).withFigures(figures));
        BenchResults.add(BenchResults.Row.of("reset", String.format("monthly reset run again over the same %,d workspaces (all done)",
                        WORKSPACES),
                String.format("%.1f s, reads only: %.2f items read per workspace, calls %s", againSeconds,
                        (double) table.calls.itemsRead() / WORKSPACES, table.calls.snapshot()))
                .withFigures(Map.of("seconds", round(againSeconds), "calls", table.calls.snapshot(),
                        "itemsWritten", table.calls.itemsWritten())));
        BenchResults.add(BenchResults.Row.of("reset", "monthly reset bench setup",
                String.format("%,d workspaces with a November balance and record: %.1f s (BatchWriteItem copies of one made"
                        + " by the services)", WORKSPACES, setupSeconds)).withFigures(Map.of("seconds", round(setupSeconds))));
    }

    /** Delivers the schedule's event, then every continuation it hands on, each a new invocation of the deployed timeout. */
    private Map<String, Object> fire(MonthlyResetHandler handler) {
        Map<String, Object> result = handler.handleRequest(scheduledEvent(), LocalFunctions.context(FUNCTION, TIMEOUT_SECONDS));
        invocations++;
        for (ScheduledEvent next; (next = continuations.poll()) != null; ) {
            result = handler.handleRequest(next, LocalFunctions.context(FUNCTION, TIMEOUT_SECONDS));
            invocations++;
        }
        return result;
    }

    /** events/monthly-reset.json at midnight of December 1st, read by the serializer the Lambda Java runtime uses. */
    private static ScheduledEvent scheduledEvent() {
        try {
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(Files.readString(ApiEvents.eventsDirectory().resolve("monthly-reset.json")));
            event.put("time", FIRST_OF_DECEMBER.toString());
            return LambdaEventSerializers.serializerFor(ScheduledEvent.class, MonthlyResetCost.class.getClassLoader())
                    .fromJson(event.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The production mailer's client settings, sending to the emulator. */
    private SesMailer mailer() {
        return new SesMailer(SesV2Client.builder().endpointOverride(ses.endpoint()).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.CREDENTIALS).overrideConfiguration(SesMailer::clientConfiguration)
                .httpClient(UrlConnectionHttpClient.create()).build(), "aicredits@bench.example");
    }

    /** A bench whose run went wrong must not print figures as if it had worked. */
    private static void check(boolean holds, String expectation) {
        if (!holds) {
            throw new IllegalStateException("reset bench: expected " + expectation);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    private long count(String sortKey) {
        return table.client.scanPaginator(b -> b.tableName(table.name).select(Select.COUNT)
                        .filterExpression("SK = :sk").expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(sortKey))))
                .stream().mapToLong(page -> page.count()).sum();
    }
}
