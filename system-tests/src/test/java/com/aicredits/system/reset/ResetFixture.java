package com.aicredits.system.reset;

import com.aicredits.adapter.dynamodb.DynamoDbResetStore;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.reset.Continuation;
import com.aicredits.functions.reset.MonthlyResetHandler;
import com.aicredits.json.Json;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.port.CreditStore;
import com.aicredits.port.Mailer;
import com.aicredits.port.ResetStore;
import com.aicredits.service.DebitService;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The monthly reset on real local services: a fresh table on our DynamoDB engine from template.yaml, the SES emulator read
 * back as {@code /_local/emails} serves it, the real handler fed events/monthly-reset.json. Its continuations are
 * queued, and {@link #fire} runs them one after another as Lambda would run the self-invocations. Time is a
 * {@link TestClock}; the reset's waits move it instead of sleeping.
 */
public final class ResetFixture {
    public static final String FUNCTION = "MonthlyResetFunction";
    public static final String OVERVIEW = "http://127.0.0.1:3000";
    public static final Instant IN_NOVEMBER = Instant.parse("2026-11-20T10:00:00Z");
    public static final Instant FIRST_OF_DECEMBER = Instant.parse("2026-12-01T00:00:00Z");
    public static final Period NOVEMBER = Period.parse("2026-11");
    public static final Period DECEMBER = Period.parse("2026-12");

    public final CreditsTable table;
    public final SesEmulator ses = SesEmulator.shared();
    public final TestClock clock = new TestClock(IN_NOVEMBER);
    public final WorkspaceService workspaces;
    public final DebitService debits;
    public final ResetStore resets;
    public final SesMailer workingSes = new SesMailer(sesClient(ses.endpoint()), "aicredits@test.example");
    /** Recipients are unique to this fixture: the emulator is shared by every test of the JVM. */
    public final String tag = UUID.randomUUID().toString().substring(0, 8);
    public final ConcurrentLinkedQueue<ScheduledEvent> continuations = new ConcurrentLinkedQueue<>();
    public final List<Map<String, Object>> results = new ArrayList<>();

    public ResetFixture(String tablePrefix) {
        this.table = new CreditsTable(tablePrefix);
        this.workspaces = table.services(clock).workspaces();
        this.debits = table.services(clock).debits();
        this.resets = new DynamoDbResetStore(table.client, table.name);
    }

    public MonthlyReset.Settings settings(int pageSize, int concurrency) {
        return MonthlyReset.Settings.defaults().withPaging(pageSize, concurrency);
    }

    public MonthlyResetHandler handler(Mailer mailer, MonthlyReset.Settings settings) {
        return handler(table.store, resets, mailer, settings);
    }

    public MonthlyResetHandler handler(CreditStore credits, ResetStore resetStore, Mailer mailer, MonthlyReset.Settings settings) {
        return handler(credits, resetStore, mailer, settings, clock::advance);
    }

    public MonthlyResetHandler handler(CreditStore credits, ResetStore resetStore, Mailer mailer, MonthlyReset.Settings settings,
                                MonthlyReset.Sleeper sleeper) {
        return handler(credits, resetStore, mailer, settings, sleeper, clock);
    }

    public MonthlyResetHandler handler(CreditStore credits, ResetStore resetStore, Mailer mailer, MonthlyReset.Settings settings,
                                MonthlyReset.Sleeper sleeper, Clock time) {
        MonthlyReset reset = new MonthlyReset(credits, credits, resetStore, mailer, new SummaryEmails(OVERVIEW), time, sleeper, settings);
        Continuation queued = (next, current, budget) -> continuations.add(next);
        return new MonthlyResetHandler(reset, queued, time);
    }

    /** events/monthly-reset.json, as the Lambda runtime deserializes it, at {@code time}. */
    public static ScheduledEvent scheduledEvent(Instant time) {
        ScheduledEvent event = EventLoader.loadScheduledEvent(ApiEvents.eventsDirectory().resolve("monthly-reset.json").toString());
        event.setTime(new DateTime(time.toEpochMilli(), DateTimeZone.UTC));
        return event;
    }

    /** Delivers the event, then every continuation it hands on, each a new invocation of {@code timeoutSeconds}. */
    public Map<String, Object> fire(MonthlyResetHandler handler, ScheduledEvent event, int timeoutSeconds) {
        // The job runs long after the workspaces were set up: under production semantics its index Query sees them.
        ProductionSemantics.waitOutLag();
        Map<String, Object> result = handler.handleRequest(event, LocalFunctions.context(FUNCTION, timeoutSeconds));
        results.add(result);
        for (ScheduledEvent next; (next = continuations.poll()) != null; ) {
            result = handler.handleRequest(next, LocalFunctions.context(FUNCTION, timeoutSeconds));
            results.add(result);
        }
        return result;
    }

    public Map<String, Object> fire(MonthlyResetHandler handler, Instant time) {
        return fire(handler, scheduledEvent(time), 300);
    }

    public String recipient(String workspaceId) {
        return workspaceId + "." + tag + "@acme.example";
    }

    /** A workspace whose notification recipient is {@link #recipient}, or without recipients. */
    public void workspace(String id, String tier, Long monthlyCredits, boolean withRecipient) {
        workspaces.put(id, new WorkspaceSpec(null, "org-reset", "Workspace " + id, tier, null, null, monthlyCredits, null,
                withRecipient ? List.of(recipient(id)) : List.of(), null, null));
    }

    public void debit(String workspaceId, String executionId, String activity) {
        debits.record(workspaceId, new RecordExecution(executionId, activity, null));
    }

    public Balance balance(String workspaceId, Period period) {
        return table.store.read(workspaceId, period, null, true).balance();
    }

    /** Every email the emulator holds for {@code recipient}. */
    public List<JsonNode> emailsTo(String recipient) {
        List<JsonNode> found = new ArrayList<>();
        try {
            for (JsonNode email : Json.MAPPER.readTree(ses.emailsJson()).get("emails")) {
                for (JsonNode to : email.at("/destination/to")) {
                    if (to.asText().equals(recipient)) {
                        found.add(email);
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return found;
    }

    public List<JsonNode> summariesTo(String recipient) {
        return emailsTo(recipient).stream()
                .filter(e -> e.get("subject").asText().startsWith("[aicredits] Monthly AI credit summary for ")).toList();
    }

    public static SesV2Client sesClient(URI endpoint) {
        return SesV2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
