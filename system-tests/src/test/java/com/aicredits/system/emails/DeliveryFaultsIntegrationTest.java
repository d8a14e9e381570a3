package com.aicredits.system.emails;

import static com.aicredits.system.reset.ResetFixture.FIRST_OF_DECEMBER;
import static com.aicredits.system.reset.ResetFixture.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.Services.Notifications;
import com.aicredits.domain.Alert;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.port.EventPublisher;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import com.aicredits.service.AlertService;
import com.aicredits.service.DebitService;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.system.reset.ResetFixture;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Delivery under the faults between our claim, SES and our mark, on our DynamoDB engine and the SES emulator through the
 * real SDK clients: a claim written whose response is lost (testkit's {@code DynamoDbCalls} loses it after DynamoDB
 * Local wrote it, and the real SDK retries), and SES answers lost after SES accepted the email ({@link LostSesAnswers}:
 * a fault injected in front of the real emulator, since nothing makes it time out after accepting on demand).
 */
class DeliveryFaultsIntegrationTest {
    /**
     * The tests' time, moved by hand: each stream retry comes 10 s after the last (the handler waits before failing).
     * It stands on the 28th of last month, so which alerts fire (thresholds, never the forecast) is the same on any day.
     */
    private final TestClock clock = new TestClock(TestClock.noonOfLastMonth(28));
    private final CreditsTable table = new CreditsTable("delivery");
    private final SesEmulator ses = SesEmulator.shared();
    private final Mailer workingSes = new SesMailer(ResetFixture.sesClient(ses.endpoint()), "aicredits@test.example");
    private final WorkspaceService workspaces = table.services(clock).workspaces();
    private final DebitService debits = table.services(clock).debits();
    private final EventPublisher events = (detailType, detail) -> { };

    @Test
    void anAlertClaimWhoseResponseIsLostIsTakenAsOurOwnOnTheSdksRetryAndDeliveredAtOnce() {
        String recipient = workspace("ws-lost-claim");
        for (int i = 0; i < 34; i++) {
            debits.record("ws-lost-claim", new RecordExecution("case-" + i, "case.investigation", null)); // 408 of 500
        }
        table.calls.loseNextWriteResponse(request -> request instanceof PutItemRequest put
                && put.item().get("SK").s().startsWith("ALERT#"));

        // No later balance change comes (as at the hard limit): this one call must deliver.
        alerts(workingSes).balanceChanged(balance("ws-lost-claim"), true, clock.instant());

        assertThat(table.calls.lostResponses()).isEqualTo(1);
        assertThat(usageAlerts(recipient)).extracting(e -> e.get("subject").asText())
                .containsExactly("[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-lost-claim");
        assertThat(new DynamoDbAlertStore(table.client, table.name).markers("ws-lost-claim", Period.of(clock.instant())))
                .filteredOn(marker -> marker.alert().equals(Alert.threshold(80))).singleElement()
                .satisfies(marker -> assertThat(marker.delivered()).isTrue());
    }

    @Test
    void aSummaryClaimWhoseResponseIsLostIsTakenAsOurOwnOnTheSdksRetryAndSentInTheFirstRound() {
        ResetFixture reset = new ResetFixture("delivery-reset");
        reset.workspace("ws-summary", "PRO", null, true);
        reset.debit("ws-summary", "agent-1", "agent.execution");
        reset.clock.set(FIRST_OF_DECEMBER.plusSeconds(1));
        reset.table.calls.loseNextWriteResponse(request -> request instanceof UpdateItemRequest update
                && update.key().get("SK").s().startsWith("SUMMARY#"));

        Map<String, Object> result = reset.fire(reset.handler(reset.workingSes, reset.settings(100, 1)), FIRST_OF_DECEMBER);

        assertThat(reset.table.calls.lostResponses()).isEqualTo(1);
        assertThat(reset.results).as("one invocation, no wait for a lease of its own").hasSize(1);
        assertThat(result).containsEntry("status", "DONE");
        @SuppressWarnings("unchecked")
        Map<String, Long> outcomes = (Map<String, Long>) result.get("outcomes");
        assertThat(outcomes).containsEntry("SENT", 1L).containsEntry("DEFERRED", 0L);
        assertThat(reset.summariesTo(reset.recipient("ws-summary"))).hasSize(1);
        Map<String, AttributeValue> marker = reset.table.item("WS#ws-summary", "SUMMARY#" + NOVEMBER);
        assertThat(marker.get("state").s()).isEqualTo("SENT");
        assertThat(marker.get("claims").n()).isEqualTo("1");
    }

    @Test
    void eachSesAnswerLostAfterAcceptingAnAlertCostsExactlyOneMoreCopyAndIsRecordedOnItsMarker() {
        String recipient = workspace("ws-lost-answers");
        for (int i = 0; i < 166; i++) {
            debits.record("ws-lost-answers", new RecordExecution("agent-" + i, "agent.execution", null)); // 996
        }
        for (int i = 0; i < 4; i++) {
            debits.record("ws-lost-answers", new RecordExecution("task-" + i, "task.execution", null)); // 1,000 = 200%
        }
        LostSesAnswers faults = new LostSesAnswers();
        AtomicInteger accepted = new AtomicInteger();
        faults.lose = () -> {
            int n = accepted.incrementAndGet();
            return n == 2 || n == 4;
        };
        AlertService alerts = alerts(new SesMailer(sesClient(faults), "aicredits@test.example"));

        int redeliveries = deliverAsTheStreamRetries(alerts, "ws-lost-answers");

        List<JsonNode> emails = emailsTo(recipient);
        long distinct = emails.stream().map(e -> e.get("subject").asText()).distinct().count();
        System.out.printf("alert emails: %d distinct, %d copies, %d answers lost, %d stream redeliveries%n",
                distinct, emails.size(), faults.lost.get(), redeliveries);
        assertThat(faults.lost.get()).isEqualTo(2);
        assertThat(redeliveries).isEqualTo(6); // both lost in the first delivery, resent together a minute later
        assertThat(usageAlerts(recipient).stream().map(e -> e.get("subject").asText()).distinct()).hasSize(6);
        assertThat(emails).hasSize((int) distinct + 2);
        List<Map<String, AttributeValue>> markers = table.items("WS#ws-lost-answers", "ALERT#");
        assertThat(markers).allSatisfy(marker -> assertThat(marker).containsKey("emailedAt"));
        assertThat(markers.stream().filter(marker -> marker.containsKey("uncertainSends"))
                .mapToInt(marker -> Integer.parseInt(marker.get("uncertainSends").n())).sum()).isEqualTo(2);
    }

    @Test
    void inAnSesBrownoutAnAlertIsResentAtMostOnceAMinute() {
        String recipient = workspace("ws-brownout");
        for (int i = 0; i < 34; i++) {
            debits.record("ws-brownout", new RecordExecution("case-" + i, "case.investigation", null)); // 408 of 500
        }
        LostSesAnswers faults = new LostSesAnswers();
        Instant start = clock.instant();
        faults.lose = () -> clock.instant().isBefore(start.plusSeconds(100)); // every answer lost for 100 s
        AlertService alerts = alerts(new SesMailer(sesClient(faults), "aicredits@test.example"));

        int redeliveries = deliverAsTheStreamRetries(alerts, "ws-brownout");

        List<JsonNode> eighty = usageAlerts(recipient);
        System.out.printf("brownout: %d copies of the 80%% alert, %d answers lost, %d stream redeliveries%n",
                eighty.size(), faults.lost.get(), redeliveries);
        // Sent at 0 s and 60 s (both answers lost), then at 120 s (accepted): a retry every 10 s sent 11 before.
        assertThat(redeliveries).isEqualTo(12);
        assertThat(eighty).hasSize(3).extracting(e -> e.get("subject").asText()).containsOnly(
                "[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-brownout");
    }

    @Test
    void aSummaryWhoseSesAnswerIsLostKeepsItsClaimAndIsResentOnlyAfterTheWait() {
        ResetFixture reset = new ResetFixture("delivery-brownout");
        reset.workspace("ws-summary", "PRO", null, true);
        reset.debit("ws-summary", "agent-1", "agent.execution");
        Instant start = FIRST_OF_DECEMBER.plusSeconds(1);
        reset.clock.set(start);
        // An SES brownout of 100 seconds: every email accepted in it has its answer lost.
        LostSesAnswers faults = new LostSesAnswers();
        List<Instant> sends = new java.util.concurrent.CopyOnWriteArrayList<>();
        faults.lose = () -> {
            sends.add(reset.clock.instant());
            return reset.clock.instant().isBefore(start.plusSeconds(100));
        };
        Mailer mailer = new SesMailer(sesClient(faults), "aicredits@test.example");

        Map<String, Object> result = reset.fire(reset.handler(mailer, reset.settings(100, 1)), FIRST_OF_DECEMBER);

        List<JsonNode> copies = reset.summariesTo(reset.recipient("ws-summary"));
        System.out.printf("summary in a 100 s brownout: %d copies, %d answers lost, sent at %s%n", copies.size(),
                faults.lost.get(), sends);
        assertThat(result).containsEntry("status", "DONE");
        assertThat(faults.lost.get()).isEqualTo(2);
        assertThat(copies).hasSize(3);
        for (int i = 1; i < sends.size(); i++) {
            assertThat(java.time.Duration.between(sends.get(i - 1), sends.get(i))).isGreaterThanOrEqualTo(MonthlyReset.UNCERTAIN_RESEND_WAIT);
        }
        Map<String, AttributeValue> marker = reset.table.item("WS#ws-summary", "SUMMARY#" + NOVEMBER);
        assertThat(marker.get("state").s()).isEqualTo("SENT");
    }

    /** Calls the service again after each failure, as the stream redelivers a failed batch; returns how many redeliveries. */
    private int deliverAsTheStreamRetries(AlertService alerts, String workspaceId, Balance balance) {
        for (int redeliveries = 0; redeliveries < 20; redeliveries++) {
            try {
                alerts.balanceChanged(balance, true, clock.instant());
                return redeliveries;
            } catch (MailDeliveryException e) {
                assertThat(e.outcomeUnknown()).as(e.getMessage()).isTrue();
            } catch (AlertService.ResendNotYetDue e) {
                // A send of unknown outcome waits a minute before it is sent again.
            }
            clock.advance(Duration.ofSeconds(10));
        }
        throw new AssertionError("still failing after 20 redeliveries of " + workspaceId);
    }

    private int deliverAsTheStreamRetries(AlertService alerts, String workspaceId) {
        return deliverAsTheStreamRetries(alerts, workspaceId, balance(workspaceId));
    }

    /**
     * Loses SES's answer after the emulator accepted (stored) the email, as a read timeout or a reset connection
     * would: the one fault here that is injected, since the real emulator cannot be made to do it on demand.
     */
    static final class LostSesAnswers implements ExecutionInterceptor {
        volatile BooleanSupplier lose = () -> false;
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (context.httpResponse().isSuccessful() && lose.getAsBoolean()) {
                lost.incrementAndGet();
                throw SdkClientException.builder().message("injected: the answer was lost after SES accepted the email")
                        .cause(new SocketTimeoutException("Read timed out")).build();
            }
        }
    }

    /** An SES client configured as the functions' own ({@link SesMailer#clientConfiguration}), on the emulator. */
    private SesV2Client sesClient(ExecutionInterceptor faults) {
        return SesV2Client.builder().endpointOverride(ses.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> SesMailer.clientConfiguration(c).addExecutionInterceptor(faults))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private AlertService alerts(Mailer mailer) {
        return table.services(clock).withNotifications(new Notifications(mailer, events, "http://127.0.0.1:3000", null)).alerts();
    }

    private Balance balance(String workspaceId) {
        return table.store.read(workspaceId, Period.of(clock.instant()), null, true).balance();
    }

    private String workspace(String id) {
        String recipient = "ops+" + id + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
        workspaces.put(id, new WorkspaceSpec(null, "org-delivery", "Workspace " + id, "DEV", null, null, null, null,
                List.of(recipient), null, null));
        return recipient;
    }

    private List<JsonNode> usageAlerts(String recipient) {
        return emailsTo(recipient).stream().filter(e -> e.get("subject").asText().startsWith("[aicredits] Usage alert:")).toList();
    }

    private List<JsonNode> emailsTo(String recipient) {
        return SentEmails.to(ses, recipient);
    }
}
