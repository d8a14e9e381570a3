package com.aicredits.functions.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.alerts.AlertEmails;
import com.aicredits.alerts.AlertService;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.mail.Email;
import com.aicredits.mail.MailDeliveryException;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.dynamodb.DynamoDbAlertStore;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LogLines;
import com.aicredits.testkit.ProductionSemantics;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
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
 * Local. Mail is recorded here; the SES path and the real stream are tested end to end in local/'s
 * ThresholdAlertsIntegrationTest.
 */
class ThresholdEvaluatorHandlerIntegrationTest {
    private final CreditsTable table = new CreditsTable("evaluator");
    private final List<Email> sent = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final AtomicBoolean mailDown = new AtomicBoolean();
    private final ThresholdEvaluatorHandler handler = new ThresholdEvaluatorHandler(new AlertService(
            new DynamoDbAlertStore(table.client, table.name),
            email -> {
                if (mailDown.get()) {
                    throw new MailDeliveryException("injected outage", null);
                }
                sent.add(email);
                return "message-" + sent.size();
            },
            (detailType, detail) -> published.add(detailType + " " + detail.get("threshold")),
            new AlertEmails("https://credits.example.com")));

    private DynamodbEvent sampleEvent() {
        return EventLoader.loadDynamoDbEvent(ApiEvents.eventsDirectory().resolve("balance-stream.json").toString());
    }

    @Test
    void theSampleRecordCrossingEightyPercentFiresOneAlertOnce() {
        new WorkspaceService(table.store, Clock.systemUTC()).put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
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
        ThresholdEvaluatorHandler evaluator = new ThresholdEvaluatorHandler(new AlertService(
                new DynamoDbAlertStore(stale.client, stale.name), email -> {
                    sent.add(email);
                    return "message-" + sent.size();
                }, (detailType, detail) -> published.add(detailType + " " + detail.get("threshold")),
                new AlertEmails("https://credits.example.com")));
        WorkspaceService workspaces = new WorkspaceService(stale.store, Clock.systemUTC());
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
        new WorkspaceService(table.store, Clock.systemUTC()).put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
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
        new WorkspaceService(table.store, Clock.systemUTC()).put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
                "Acme Production", "PRO", null, null, null, null, List.of("lead@acme.example"), null, null));
        DynamodbEvent event = sampleEvent();
        var record = event.getRecords().getFirst().getDynamodb();
        record.setOldImage(Map.copyOf(record.getNewImage()));

        handler.handleRequest(event, null);

        assertThat(sent).isEmpty();
    }

    @Test
    void aFiredThresholdIsOneMetricLineWithTheWorkspaceAndOnlyTheFirstTime() {
        new WorkspaceService(table.store, Clock.systemUTC()).put("ws-acme-prod", new WorkspaceSpec(null, "org-acme",
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
