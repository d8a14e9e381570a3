package com.aicredits.functions.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.app.Services.Notifications;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.mail.Email;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LogLines;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 30, items 1 to 4: what a late forecast, a permanent SES refusal, an SES brownout and a failing event bus do
 * to the delivery of a workspace's alerts. Markers in our DynamoDB engine, the clock fixed (December 2026, 31 days), the
 * mailer and the bus played here.
 */
class AlertDeliveryIntegrationTest {
    private static final Instant DAY_10 = Instant.parse("2026-12-10T00:00:00Z");
    /** Late enough in the month that 910 of 1,000 credits project no forecast alert. */
    private static final Instant DAY_30 = Instant.parse("2026-12-30T00:00:00Z");

    private final CreditsTable table = new CreditsTable("alert-delivery");
    private final TestClock clock = new TestClock(DAY_10);
    private final List<Email> sent = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();

    /** A mailer that answers each email with {@code answer} (null: accepted and recorded). */
    private Mailer mailer(Function<Email, RuntimeException> answer) {
        return email -> {
            RuntimeException failure = answer.apply(email);
            if (failure != null) {
                throw failure;
            }
            sent.add(email);
            return "message-" + sent.size();
        };
    }

    private ThresholdEvaluatorHandler handler(Mailer mailer) {
        return handler(mailer, (detailType, detail) -> published.add(detailType + " " + detail.get("threshold")));
    }

    private ThresholdEvaluatorHandler handler(Mailer mailer, com.aicredits.port.EventPublisher events) {
        return new ThresholdEvaluatorHandler(table.services(clock)
                .withNotifications(new Notifications(mailer, events, "https://credits.example.com", null)).alerts());
    }

    @Test
    void aForecastLeftUndeliveredNeitherCrashesNorHoldsBackTheThresholdsOfALaterBatch() {
        workspace(List.of("lead@acme.example"));
        // Batch A: 0 -> 300 of 1,000 on the 10th projects 1,033 by the 31st: the forecast fires; every send refused,
        // and the stream gives the batch up after its retries.
        ThresholdEvaluatorHandler refusing = handler(mailer(email -> new MailDeliveryException("refused for now", null)));
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(refusing.handleRequest(batch(change(1, 0, 300, DAY_10)), null).getBatchItemFailures()).hasSize(1);
        }
        assertThat(sent).isEmpty();

        // Batch B: 1,010 -> 1,016 of 1,000: the forecast no longer holds (usage is past the allocation).
        ThresholdEvaluatorHandler working = handler(mailer(email -> null));
        StreamsEventResponse response;
        try (LogLines logs = LogLines.capture()) {
            response = working.handleRequest(batch(change(2, 1_010, 1_016, DAY_10.plus(Duration.ofHours(12)))), null);
            assertThat(logs.all()).anySatisfy(line -> {
                assertThat(line.path("message").asText()).contains("forecast alert no longer holds");
                assertThat(line.path("alert").asText()).isEqualTo("FORECAST");
            });
        }

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).extracting(Email::subject).containsExactly(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Acme Lab",
                "[aicredits] Usage alert: 90% of monthly AI credits used — Acme Lab",
                "[aicredits] Usage alert: 100% of monthly AI credits used — Acme Lab");
        assertThat(marker("FORECAST")).containsKey("emailedAt");
        // Delivered once: the next batch sends nothing more.
        working.handleRequest(batch(change(3, 1_016, 1_020, DAY_10.plus(Duration.ofHours(13)))), null);
        assertThat(sent).hasSize(3);
    }

    @Test
    void aRecipientSesRefusesForGoodIsParkedAndTheOthersStillGetTheAlert() {
        workspace(List.of("lead@acme.example", "refused@acme.example", "ops@acme.example"));
        ThresholdEvaluatorHandler handler = handler(mailer(email -> email.to().contains("refused@acme.example")
                ? MailDeliveryException.permanent("SES refused it for good: MessageRejected", null) : null));

        StreamsEventResponse response;
        try (LogLines logs = LogLines.capture()) {
            response = handler.handleRequest(batch(change(1, 790, 810, DAY_30)), null);
            List<JsonNode> parked = logs.metric("EmailsParked");
            assertThat(parked).hasSize(1);
            assertThat(parked.getFirst().get("email").asText()).isEqualTo("alert");
            assertThat(logs.all()).anySatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("WARN");
                assertThat(line.path("recipient").asText()).isEqualTo("refused@acme.example");
            });
        }

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).extracting(Email::to).containsExactly(List.of("lead@acme.example"), List.of("ops@acme.example"));
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> marker = marker("THRESHOLD#0080");
        assertThat(marker).containsKeys("emailedAt", "parkedAt", "parkReason");
        assertThat(marker.get("parkedRecipients").ss()).containsExactly("refused@acme.example");

        // Never retried: a redelivery sends nothing, to nobody.
        handler.handleRequest(batch(change(1, 790, 810, DAY_30)), null);
        assertThat(sent).hasSize(2);
    }

    @Test
    void aTemporaryRefusalOfOneRecipientRetriesOnlyThatRecipient() {
        workspace(List.of("lead@acme.example", "ops@acme.example"));
        List<String> down = new CopyOnWriteArrayList<>(List.of("ops@acme.example"));
        ThresholdEvaluatorHandler handler = handler(mailer(email -> down.contains(email.to().getFirst())
                ? new MailDeliveryException("throttled", null) : null));

        assertThat(handler.handleRequest(batch(change(1, 790, 810, DAY_30)), null).getBatchItemFailures()).hasSize(1);
        down.clear();
        assertThat(handler.handleRequest(batch(change(1, 790, 810, DAY_30)), null).getBatchItemFailures()).isEmpty();

        assertThat(sent).extracting(Email::to).containsExactly(List.of("lead@acme.example"), List.of("ops@acme.example"));
    }

    @Test
    void inAnSesBrownoutLosingEveryAnswerTenRedeliveriesSendAtMostTwoCopies() {
        workspace(List.of("lead@acme.example"));
        // SES stores every email, and every answer is lost: each send is of unknown outcome.
        ThresholdEvaluatorHandler handler = handler(email -> {
            sent.add(email);
            throw new MailDeliveryException("answer lost", null, true);
        });

        for (int delivery = 0; delivery < 10; delivery++) {
            StreamsEventResponse response = handler.handleRequest(batch(change(1, 790, 810, DAY_30)), null);
            assertThat(response.getBatchItemFailures()).hasSize(1);
            clock.advance(Duration.ofSeconds(8)); // the stream's retries, 80 s in all
        }

        assertThat(sent).hasSizeBetween(1, 2);
        assertThat(sent).extracting(Email::subject).containsOnly("[aicredits] Usage alert: 80% of monthly AI credits used — Acme Lab");
    }

    @Test
    void aFailingEventBusHoldsBackNeitherTheEmailNorTheOtherAlerts() {
        workspace(List.of("lead@acme.example"));
        ThresholdEvaluatorHandler handler = handler(mailer(email -> null), (detailType, detail) -> {
            throw new IllegalStateException("no such bus");
        });

        StreamsEventResponse response = handler.handleRequest(batch(change(1, 790, 910, DAY_30)), null);

        assertThat(response.getBatchItemFailures()).hasSize(1); // the events are still owed: the stream retries them
        assertThat(sent).extracting(Email::subject).containsExactly(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Acme Lab",
                "[aicredits] Usage alert: 90% of monthly AI credits used — Acme Lab");
        assertThat(marker("THRESHOLD#0080")).containsKey("emailedAt").doesNotContainKey("publishedAt");

        ThresholdEvaluatorHandler busBack = handler(mailer(email -> null));
        assertThat(busBack.handleRequest(batch(change(1, 790, 910, DAY_30)), null).getBatchItemFailures()).isEmpty();
        assertThat(published).containsExactly("Credit Threshold Reached 80", "Credit Threshold Reached 90");
        assertThat(sent).hasSize(2);
    }

    @Test
    void aBalanceBlockedAtItsHardLimitFiresTheHardLimitsThresholdEvenWhereTheListLacksIt() {
        table.services(clock).workspaces().put("ws-acme-lab", new WorkspaceSpec(null, "org-acme", "Acme Lab", "M_PARTNER",
                null, null, 1_000L, null, List.of("lead@acme.example"), List.of(80), 150));
        ThresholdEvaluatorHandler handler = handler(mailer(email -> null));
        handler.handleRequest(batch(change(1, 700, 1_494, DAY_30)), null); // 80% fires; 150% needs 1,500
        assertThat(sent).hasSize(1);

        // The refused debit's write: blockedAt set, nothing else moved (the cap is 1,500; a 12-credit run would pass it).
        DynamodbEvent.DynamodbStreamRecord blocked = change(2, 1_494, 1_494, DAY_30.plusSeconds(60));
        blocked.getDynamodb().getNewImage().put("blockedAt", new AttributeValue().withS(DAY_30.plusSeconds(60).toString()));
        blocked.getDynamodb().getNewImage().put("hardLimitPercent", new AttributeValue().withN("150"));
        blocked.getDynamodb().getOldImage().put("hardLimitPercent", new AttributeValue().withN("150"));
        assertThat(handler.handleRequest(batch(blocked), null).getBatchItemFailures()).isEmpty();

        assertThat(sent).extracting(Email::subject).containsExactly(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Acme Lab",
                "[aicredits] Usage alert: 150% of monthly AI credits used — Acme Lab");
        assertThat(sent.get(1).text()).contains("Hard limit reached: paid runs refused")
                .contains("Runs that cost credits are now refused (HTTP 402)");
        assertThat(published).containsExactly("Credit Threshold Reached 80", "Credit Threshold Reached 150");
        // Once: the mark's later images (blockedAt in both) fire nothing more.
        DynamodbEvent.DynamodbStreamRecord later = change(3, 1_494, 1_494, DAY_30.plusSeconds(120));
        later.getDynamodb().getNewImage().put("blockedAt", new AttributeValue().withS(DAY_30.plusSeconds(60).toString()));
        later.getDynamodb().getOldImage().put("blockedAt", new AttributeValue().withS(DAY_30.plusSeconds(60).toString()));
        handler.handleRequest(batch(later), null);
        assertThat(sent).hasSize(2);
    }

    private Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> marker(String alert) {
        return table.item("WS#ws-acme-lab", "ALERT#2026-12#" + alert);
    }

    private void workspace(List<String> recipients) {
        table.services(clock).workspaces().put("ws-acme-lab", new WorkspaceSpec(null, "org-acme", "Acme Lab", "M_PARTNER",
                null, null, 1_000L, null, recipients, null, null));
    }

    private static DynamodbEvent batch(DynamodbEvent.DynamodbStreamRecord... records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(records));
        return event;
    }

    /** The n-th write of ws-acme-lab's December balance (1,000 credits): used {@code from -> to}, at {@code at}. */
    static DynamodbEvent.DynamodbStreamRecord change(int n, long from, long to, Instant at) {
        DynamodbEvent.DynamodbStreamRecord record = EventLoader.loadDynamoDbEvent(
                ApiEvents.eventsDirectory().resolve("balance-stream.json").toString()).getRecords().getFirst();
        var stream = record.getDynamodb();
        stream.setSequenceNumber(String.format("2220000000000000000%05d", n));
        stream.setApproximateCreationDateTime(Date.from(at));
        stream.setKeys(Map.of("PK", new AttributeValue().withS("WS#ws-acme-lab"), "SK", new AttributeValue().withS("BALANCE#2026-12")));
        Map<String, AttributeValue> newImage = new HashMap<>(stream.getNewImage());
        newImage.putAll(Map.of("PK", new AttributeValue().withS("WS#ws-acme-lab"), "SK", new AttributeValue().withS("BALANCE#2026-12"),
                "workspaceId", new AttributeValue().withS("ws-acme-lab"), "period", new AttributeValue().withS("2026-12"),
                "baseCredits", new AttributeValue().withN("1000"), "allocated", new AttributeValue().withN("1000"),
                "feature_CASE_INVESTIGATION", new AttributeValue().withN("0"), "feature_CASE_CONVERSATION", new AttributeValue().withN("0"),
                "feature_AI_TASK", new AttributeValue().withN("0"), "day_31", new AttributeValue().withN("0")));
        newImage.put("feature_AI_AGENT", new AttributeValue().withN(Long.toString(to)));
        Map<String, AttributeValue> oldImage = new HashMap<>(newImage);
        newImage.put("used", new AttributeValue().withN(Long.toString(to)));
        oldImage.put("used", new AttributeValue().withN(Long.toString(from)));
        oldImage.put("feature_AI_AGENT", new AttributeValue().withN(Long.toString(from)));
        stream.setNewImage(newImage);
        stream.setOldImage(oldImage);
        return record;
    }
}
