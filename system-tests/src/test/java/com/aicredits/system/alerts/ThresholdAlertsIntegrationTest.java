package com.aicredits.system.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.Services.Notifications;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.functions.threshold.ThresholdEvaluatorHandler;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.local.streams.StreamPoller;
import com.aicredits.port.EventPublisher;
import com.aicredits.port.Mailer;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.RefundService;
import com.aicredits.service.WorkspaceService;
import com.aicredits.system.emails.SentEmails;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Threshold alerts end to end: debits through the real service, the DynamoDB engine's real stream read by the local
 * stack's poller with the template's mapping (filter, batch size, ReportBatchItemFailures), the real handler, and
 * emails sent with the real SES v2 client to the SES emulator. EventBridge has no local emulator here, so events
 * are recorded by a stand-in publisher.
 */
class ThresholdAlertsIntegrationTest {
    /** The tests' time, chosen so that which alerts fire (thresholds, never the forecast) is the same on any day. */
    private static final Clock CLOCK = TestClock.runningFrom(TestClock.noonOfLastMonth(28));
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private final CreditsTable table = new CreditsTable("alerts");
    private final SesEmulator ses = SesEmulator.shared();
    private final List<Map<String, Object>> published = new CopyOnWriteArrayList<>();
    private final List<DynamodbEvent> delivered = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sesDown = new AtomicBoolean();
    private final WorkspaceService workspaces = table.services(CLOCK).workspaces();
    private final DebitService debits = table.services(CLOCK).debits();
    private ThresholdEvaluatorHandler handler;
    private StreamPoller poller;

    @BeforeEach
    void startPoller(@TempDir Path checkpoints) {
        SesMailer working = new SesMailer(sesClient(ses.endpoint()), "aicredits@test.example");
        // A real outage: nothing listens on port 1, so the SES client's calls fail to connect.
        SesMailer unreachable = new SesMailer(sesClient(URI.create("http://127.0.0.1:1")), "aicredits@test.example");
        Mailer mailer = email -> (sesDown.get() ? unreachable : working).send(email);
        EventPublisher events = (detailType, detail) -> published.add(Map.of("detailType", detailType, "detail", detail));
        handler = new ThresholdEvaluatorHandler(table.services(CLOCK)
                .withNotifications(new Notifications(mailer, events, "http://127.0.0.1:3000", null)).alerts());
        String streamArn = table.client.describeTable(b -> b.tableName(table.name)).table().latestStreamArn();
        poller = StreamPoller.fromTemplate(CloudFormationTemplate.load(CloudFormationTemplate.find()),
                table.dynamoDbLocal.streamsClient(), streamArn, (functionId, event) -> {
                    delivered.add((DynamodbEvent) event);
                    return handler.handleRequest((DynamodbEvent) event, LocalFunctions.context(functionId, 15));
                }, checkpoints);
        poller.start();
    }

    @AfterEach
    void stopPoller() {
        poller.close();
    }

    @Test
    void debitsFromZeroToExactlyTwoHundredPercentSendExactlySixThresholdEmails() {
        String recipient = workspace("ws-six", "DEV", true);
        for (int i = 0; i < 166; i++) {
            debit("ws-six", "agent-" + i, "agent.execution"); // 996
        }
        for (int i = 0; i < 4; i++) {
            debit("ws-six", "task-" + i, "task.execution"); // 1,000 = 200% of 500
        }
        poller.drain(DRAIN);

        List<JsonNode> alerts = usageAlerts(recipient);
        assertThat(alerts).extracting(e -> e.get("subject").asText()).containsExactlyInAnyOrder(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-six",
                "[aicredits] Usage alert: 90% of monthly AI credits used — Workspace ws-six",
                "[aicredits] Usage alert: 100% of monthly AI credits used — Workspace ws-six",
                "[aicredits] Usage alert: 120% of monthly AI credits used — Workspace ws-six",
                "[aicredits] Usage alert: 150% of monthly AI credits used — Workspace ws-six",
                "[aicredits] Usage alert: 200% of monthly AI credits used — Workspace ws-six");
        JsonNode eighty = alerts.stream().filter(e -> e.get("subject").asText().contains(" 80%")).findFirst().orElseThrow();
        String text = eighty.at("/body/text").asText();
        assertThat(text).contains("Workspace: Workspace ws-six (ws-six)").contains("/ 500 credits")
                .contains("AI agents:").contains("Add-on packages").contains("http://127.0.0.1:3000/?workspace=ws-six&period=");
        assertThat(eighty.at("/body/html").asText()).contains("<a href=\"http://127.0.0.1:3000/?workspace=ws-six&amp;period=");
        assertThat(eighty.at("/destination/to").toString()).contains(recipient);
        assertThat(published).filteredOn(e -> ((Map<?, ?>) e.get("detail")).get("workspaceId").equals("ws-six"))
                .extracting(e -> (Object) ((Map<?, ?>) e.get("detail")).get("threshold")).containsExactlyInAnyOrder(80, 90, 100, 120, 150, 200);
        assertThat(forecasts(recipient)).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void replayingTheSameStreamBatchesSendsNothing() {
        String recipient = workspace("ws-replayed", "DEV", true);
        for (int i = 0; i < 70; i++) {
            debit("ws-replayed", "case-" + i, "case.investigation"); // 840 = 168%
        }
        poller.drain(DRAIN);
        int emails = allFor(recipient).size();
        int events = published.size();
        assertThat(usageAlerts(recipient)).hasSize(5);

        for (DynamodbEvent batch : new ArrayList<>(delivered)) {
            assertThat(handler.handleRequest(batch, LocalFunctions.context("ThresholdEvaluatorFunction", 15)).getBatchItemFailures()).isEmpty();
        }

        assertThat(allFor(recipient)).hasSize(emails);
        assertThat(published).hasSize(events);
    }

    @Test
    void anSesOutageDuringACrossingDelaysTheEmailButDoesNotLoseIt() throws Exception {
        String recipient = workspace("ws-outage", "DEV", true);
        sesDown.set(true);
        for (int i = 0; i < 34; i++) {
            debit("ws-outage", "case-" + i, "case.investigation"); // 408 = 81.6%
        }
        Thread.sleep(1_500); // the poller delivers and gets failures back, retrying the batch
        assertThat(allFor(recipient)).isEmpty();

        sesDown.set(false);
        poller.drain(DRAIN);

        assertThat(usageAlerts(recipient)).extracting(e -> e.get("subject").asText())
                .containsExactly("[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-outage");
        // Once: every batch delivered during and after the outage, delivered again, sends nothing more.
        for (DynamodbEvent batch : new ArrayList<>(delivered)) {
            handler.handleRequest(batch, LocalFunctions.context("ThresholdEvaluatorFunction", 15));
        }
        assertThat(usageAlerts(recipient)).hasSize(1);
    }

    @Test
    void twoWorkspacesNeverSeeEachOthersMail() {
        String first = workspace("ws-first", "DEV", true);
        String second = workspace("ws-second", "DEV", true);
        for (int i = 0; i < 40; i++) {
            debit("ws-first", "a-" + i, "case.investigation"); // 480 = 96%
            debit("ws-second", "b-" + i, "agent.execution"); // 240 = 48%
        }
        debit("ws-second", "b-last", "case.investigation"); // 252 = 50.4%
        poller.drain(DRAIN);

        assertThat(usageAlerts(first)).hasSize(2).allSatisfy(e -> assertThat(e.get("subject").asText()).endsWith("ws-first"));
        assertThat(allFor(second)).isEmpty();
    }

    @Test
    void raisingTheAllocationKeepsFiredThresholdsAndAHigherOneFiresWhenReached() {
        String recipient = workspace("ws-raised", "DEV", true);
        for (int i = 0; i < 34; i++) {
            debit("ws-raised", "case-" + i, "case.investigation"); // 408 of 500 = 81.6%
        }
        poller.drain(DRAIN);
        workspaces.put("ws-raised", spec("ws-raised", "ESSENTIAL", List.of(recipient))); // 408 of 2,000 = 20.4%
        for (int i = 0; i < 116; i++) {
            debit("ws-raised", "more-" + i, "case.investigation"); // 1,800 of 2,000 = 90%
        }
        poller.drain(DRAIN);

        assertThat(usageAlerts(recipient)).extracting(e -> e.get("subject").asText()).containsExactlyInAnyOrder(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-raised",
                "[aicredits] Usage alert: 90% of monthly AI credits used — Workspace ws-raised");
    }

    @Test
    void aRefundBelowAFiredThresholdNeitherUnfiresItNorSendsItAgain() {
        String recipient = workspace("ws-refunded", "DEV", true);
        for (int i = 0; i < 34; i++) {
            debit("ws-refunded", "case-" + i, "case.investigation"); // 408 of 500 = 81.6%
        }
        poller.drain(DRAIN);
        RefundService refunds = table.services(CLOCK).refunds();
        for (int i = 0; i < 3; i++) {
            refunds.refund("ws-refunded", "case-" + i, new RefundService.RefundRequest("aborted runs")); // 372 = 74.4%
        }
        poller.drain(DRAIN);
        for (int i = 0; i < 3; i++) {
            debit("ws-refunded", "again-" + i, "case.investigation"); // 408 again
        }
        poller.drain(DRAIN);

        assertThat(usageAlerts(recipient)).extracting(e -> e.get("subject").asText()).containsExactly(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-refunded");
        assertThat(new DynamoDbAlertStore(table.client, table.name).markers("ws-refunded", Period.of(CLOCK.instant())))
                .extracting(marker -> marker.alert().threshold()).contains(80);
    }

    @Test
    void aWorkspaceWithoutRecipientsIsSkippedButItsEventsArePublished() {
        workspace("ws-silent", "DEV", false);
        for (int i = 0; i < 34; i++) {
            debit("ws-silent", "case-" + i, "case.investigation");
        }
        poller.drain(DRAIN);

        assertThat(published).filteredOn(e -> ((Map<?, ?>) e.get("detail")).get("workspaceId").equals("ws-silent")).hasSize(1);
    }

    @Test
    void aClaimThatNeverGotItsDeliveryIsDeliveredOnTheNextChange() {
        String recipient = workspace("ws-crashed", "DEV", true);
        debit("ws-crashed", "first", "task.execution");
        poller.drain(DRAIN);
        // As if an invocation crashed right after claiming 80%: the marker exists, nothing was sent.
        new DynamoDbAlertStore(table.client, table.name).claim("ws-crashed",
                com.aicredits.domain.Period.of(CLOCK.instant()), com.aicredits.domain.Alert.threshold(80), CLOCK.instant());

        for (int i = 0; i < 34; i++) {
            debit("ws-crashed", "case-" + i, "case.investigation");
        }
        poller.drain(DRAIN);

        assertThat(usageAlerts(recipient)).hasSize(1);
    }

    private String workspace(String id, String tier, boolean withRecipient) {
        String recipient = "ops+" + id + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
        workspaces.put(id, spec(id, tier, withRecipient ? List.of(recipient) : List.of()));
        return recipient;
    }

    private static WorkspaceSpec spec(String id, String tier, List<String> recipients) {
        return new WorkspaceSpec(null, "org-alerts", "Workspace " + id, tier, null, null, null, null, recipients, null, null);
    }

    private void debit(String workspaceId, String executionId, String activity) {
        debits.record(workspaceId, new RecordExecution(executionId, activity, null));
    }

    private List<JsonNode> allFor(String recipient) {
        return SentEmails.to(ses, recipient);
    }

    private List<JsonNode> usageAlerts(String recipient) {
        return allFor(recipient).stream().filter(e -> e.get("subject").asText().startsWith("[aicredits] Usage alert:")).toList();
    }

    private List<JsonNode> forecasts(String recipient) {
        return allFor(recipient).stream().filter(e -> e.get("subject").asText().startsWith("[aicredits] Forecast:")).toList();
    }

    private static SesV2Client sesClient(URI endpoint) {
        return SesV2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
