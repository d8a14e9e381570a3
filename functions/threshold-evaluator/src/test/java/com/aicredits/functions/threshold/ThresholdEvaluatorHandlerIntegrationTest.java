package com.aicredits.functions.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.app.Services.Notifications;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.mail.Email;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LogLines;
import com.aicredits.testkit.ProductionSemantics;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The handler fed events/balance-stream.json (loaded with the Lambda runtime's serialization), markers in DynamoDB
 * Local. Mail is recorded here; the SES path and the real stream are tested end to end in system-tests/'s
 * ThresholdAlertsIntegrationTest.
 */
class ThresholdEvaluatorHandlerIntegrationTest {
    private final CreditsTable table = new CreditsTable("evaluator");
    private final List<Email> sent = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final AtomicBoolean mailDown = new AtomicBoolean();
    private final ThresholdEvaluatorHandler handler = new ThresholdEvaluatorHandler(table.services(Clock.systemUTC())
            .withNotifications(new Notifications(email -> {
                if (mailDown.get()) {
                    throw new MailDeliveryException("injected outage", null);
                }
                sent.add(email);
                return "message-" + sent.size();
            },
            (detailType, detail) -> published.add(detailType + " " + detail.get("threshold")),
            "https://credits.example.com", null)).alerts());

    private DynamodbEvent sampleEvent() {
        return EventLoader.loadDynamoDbEvent(ApiEvents.eventsDirectory().resolve("balance-stream.json").toString());
    }

    @Test
    void theSampleRecordCrossingEightyPercentFiresOneAlertOnce() {
        table.services(Clock.systemUTC()).workspaces().put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
                "Acme Production", "PRO", null, null, null, null, List.of("lead@acme.example"), null, null));

        StreamsEventResponse first = handler.handleRequest(sampleEvent(), null);
        StreamsEventResponse replay = handler.handleRequest(sampleEvent(), null);

        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(replay.getBatchItemFailures()).isEmpty();
        assertThat(sent).extracting(Email::subject)
                .containsExactly("[aicredits] Usage alert: 80% of monthly AI credits used — Acme Production");
        assertThat(published).containsExactly("Credit Threshold Reached 80");
    }

    @Test
    void recipientsChangedAMomentAgoGetTheAlertNotThoseAStaleReadWouldShow() throws Exception {
        // Every eventually consistent read is served as the table stood up to the lag ago, as DynamoDB may serve it.
        Duration lag = Duration.ofSeconds(1);
        ProductionSemantics semantics = new ProductionSemantics(new ProductionSemantics.Settings(
                ProductionSemantics.Settings.forTests().seed(), 100, lag, Duration.ofMillis(1), 0, 0));
        CreditsTable stale = new CreditsTable("evaluator-stale", semantics);
        ThresholdEvaluatorHandler evaluator = new ThresholdEvaluatorHandler(stale.services(Clock.systemUTC())
                .withNotifications(new Notifications(email -> {
                    sent.add(email);
                    return "message-" + sent.size();
                }, (detailType, detail) -> published.add(detailType + " " + detail.get("threshold")),
                "https://credits.example.com", null)).alerts());
        WorkspaceService workspaces = stale.services(Clock.systemUTC()).workspaces();
        workspaces.put("ws-acme-prod", new WorkspaceSpec(null, "org-acme", "Acme Production", "PRO", null, null, null, null,
                List.of("old@acme.example"), null, null));
        Thread.sleep(lag.toMillis() + 100);
        workspaces.put("ws-acme-prod", new WorkspaceSpec(null, "org-acme", "Acme Production", "PRO", null, null, null, null,
                List.of("lead@acme.example"), null, null));

        evaluator.handleRequest(sampleEvent(), null);

        assertThat(sent).as(semantics.settings().toString()).extracting(Email::to)
                .containsExactly(List.of("lead@acme.example"));
    }

    @Test
    void aMailOutageIsReportedAsABatchItemFailureAndTheRetryDelivers() {
        table.services(Clock.systemUTC()).workspaces().put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
                "Acme Production", "PRO", null, null, null, null, List.of("lead@acme.example"), null, null));
        mailDown.set(true);

        StreamsEventResponse failed = handler.handleRequest(sampleEvent(), null);
        mailDown.set(false);
        StreamsEventResponse retried = handler.handleRequest(sampleEvent(), null);

        assertThat(failed.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("111000000000000000012345");
        assertThat(retried.getBatchItemFailures()).isEmpty();
        assertThat(sent).hasSize(1);
        assertThat(published).hasSize(1); // published before the outage, not again
    }

    @Test
    void aSettingsChangeWithoutADebitFiresNothing() {
        table.services(Clock.systemUTC()).workspaces().put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
                "Acme Production", "PRO", null, null, null, null, List.of("lead@acme.example"), null, null));
        DynamodbEvent event = sampleEvent();
        var record = event.getRecords().getFirst().getDynamodb();
        record.setOldImage(Map.copyOf(record.getNewImage()));

        handler.handleRequest(event, null);

        assertThat(sent).isEmpty();
    }

    @Test
    void aCrossingFollowedInTheSameBatchByARefundOrAnAddonStillFires() {
        workspace("ws-acme-prod");
        // 3950 -> 4010 of 5000 reaches 80%; the refund (4010 -> 3890) and the add-on that follow leave it below.
        DynamodbEvent refundAfter = batch(change(1, 3950, 4010, 0), change(2, 4010, 3890, 0));
        DynamodbEvent addonAfter = batch(change(1, 3950, 4010, 0), change(2, 4010, 4010, 10_000));

        handler.handleRequest(refundAfter, null);
        assertThat(sent).extracting(Email::subject)
                .containsExactly("[aicredits] Usage alert: 80% of monthly AI credits used — Acme Production");
        assertThat(sent.getFirst().text()).contains("4,010");

        forgetAlerts();
        handler.handleRequest(addonAfter, null);
        assertThat(sent).hasSize(2);
    }

    @Test
    void theOutcomeDoesNotDependOnHowTheRecordsAreBatched() {
        workspace("ws-acme-prod");
        List<DynamodbEvent.DynamodbStreamRecord> records = List.of(change(1, 3000, 4010, 0), change(2, 4010, 3890, 0),
                change(3, 3890, 4510, 0), change(4, 4510, 4510, 10_000));

        handler.handleRequest(batch(records.toArray(DynamodbEvent.DynamodbStreamRecord[]::new)), null);
        List<String> together = sent.stream().map(Email::subject).toList();
        sent.clear();
        forgetAlerts();
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            handler.handleRequest(batch(record), null);
        }

        assertThat(together).containsExactly(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Acme Production",
                "[aicredits] Usage alert: 90% of monthly AI credits used — Acme Production");
        assertThat(sent).extracting(Email::subject).containsExactlyElementsOf(together);
    }

    @Test
    void theErrorLineOfAMalformedRecordNamesItsOwnWorkspace() {
        workspace("ws-acme-prod");
        DynamodbEvent.DynamodbStreamRecord malformed = change(2, 10, 20, 0);
        malformed.getDynamodb().setKeys(Map.of("PK", new AttributeValue().withS("WS#ws-broken"),
                "SK", new AttributeValue().withS("BALANCE#2026-11")));
        malformed.getDynamodb().getNewImage().remove("used");

        try (LogLines logs = LogLines.capture()) {
            StreamsEventResponse response = handler.handleRequest(batch(change(1, 3950, 4010, 0), malformed), null);

            assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly(malformed.getDynamodb().getSequenceNumber());
            List<JsonNode> errors = logs.all().stream().filter(line -> line.path("level").asText().equals("ERROR")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst().get("workspaceId").asText()).isEqualTo("ws-broken");
        }
    }

    /** Deletes every alert marker: the same records can then fire again, as on a fresh table. */
    private void forgetAlerts() {
        table.client.scanPaginator(b -> b.tableName(table.name)).items().stream()
                .filter(item -> item.get("SK").s().startsWith("ALERT#"))
                .forEach(item -> table.client.deleteItem(b -> b.tableName(table.name)
                        .key(Map.of("PK", item.get("PK"), "SK", item.get("SK")))));
    }

    private void workspace(String workspaceId) {
        table.services(Clock.systemUTC()).workspaces().put(workspaceId, new WorkspaceSpec(null, "org-acme",
                "Acme Production", "PRO", null, null, null, null, List.of("lead@acme.example"), null, null));
    }

    private static DynamodbEvent batch(DynamodbEvent.DynamodbStreamRecord... records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(records));
        return event;
    }

    /** The sample record as the n-th write of its balance: used {@code from -> to}, with {@code addonCredits}. */
    private DynamodbEvent.DynamodbStreamRecord change(int n, long from, long to, long addonCredits) {
        DynamodbEvent.DynamodbStreamRecord record = sampleEvent().getRecords().getFirst();
        var stream = record.getDynamodb();
        stream.setSequenceNumber(String.format("1110000000000000000%05d", n));
        Map<String, AttributeValue> newImage = new java.util.HashMap<>(stream.getNewImage());
        Map<String, AttributeValue> oldImage = new java.util.HashMap<>(stream.getNewImage());
        // Credits are stored in hundredths.
        newImage.put("used", new AttributeValue().withN(Long.toString(to * 100)));
        oldImage.put("used", new AttributeValue().withN(Long.toString(from * 100)));
        newImage.put("addonCredits", new AttributeValue().withN(Long.toString(addonCredits * 100)));
        newImage.put("allocated", new AttributeValue().withN(Long.toString((5_000 + addonCredits) * 100)));
        stream.setNewImage(newImage);
        stream.setOldImage(oldImage);
        return record;
    }

    @Test
    void aFiredThresholdIsOneMetricLineWithTheWorkspaceAndOnlyTheFirstTime() {
        table.services(Clock.systemUTC()).workspaces().put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
                "Acme Production", "PRO", null, null, null, null, List.of("lead@acme.example"), null, null));

        try (LogLines logs = LogLines.capture()) {
            handler.handleRequest(sampleEvent(), null);
            handler.handleRequest(sampleEvent(), null);

            List<JsonNode> fired = logs.metric("ThresholdsFired");
            assertThat(fired).hasSize(1);
            JsonNode line = fired.getFirst();
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Threshold\"]]");
            assertThat(line.get("Threshold").asText()).isEqualTo("80");
            assertThat(line.get("ThresholdsFired").asLong()).isEqualTo(1);
            assertThat(line.get("workspaceId").asText()).isEqualTo("ws-acme-prod");
            assertThat(line.get("period").asText()).isEqualTo("2026-11");
            assertThat(line.has("requestId")).isTrue();
            assertThat(line.has("executionId")).isTrue();
        }
    }
}
