package com.aicredits.local;

import static com.aicredits.local.ResetFixture.FIRST_OF_DECEMBER;
import static com.aicredits.local.ResetFixture.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.alerts.Alert;
import com.aicredits.alerts.AlertEmails;
import com.aicredits.alerts.AlertService;
import com.aicredits.alerts.EventPublisher;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Period;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.mail.Mailer;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.dynamodb.DynamoDbAlertStore;
import com.aicredits.testkit.CreditsTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Delivery under the faults between our claim, SES and our mark: a claim written whose response is lost (testkit's
 * {@code DynamoDbCalls} loses it after DynamoDB Local wrote it, and the real SDK retries), on DynamoDB Local and the
 * SES emulator through the real SDK clients.
 */
class DeliveryFaultsIntegrationTest {
    private final CreditsTable table = new CreditsTable("delivery");
    private final SesEmulator ses = SesEmulator.shared();
    private final Mailer workingSes = new com.aicredits.mail.SesMailer(ResetFixture.sesClient(ses.endpoint()), "aicredits@test.example");
    private final WorkspaceService workspaces = new WorkspaceService(table.store, Clock.systemUTC());
    private final DebitService debits = new DebitService(table.store, PriceCatalog.loadDefault(), Clock.systemUTC());
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
        alerts(workingSes).balanceChanged(balance("ws-lost-claim"), true, Instant.now());

        assertThat(table.calls.lostResponses()).isEqualTo(1);
        assertThat(usageAlerts(recipient)).extracting(e -> e.get("subject").asText())
                .containsExactly("[aicredits] Usage alert: 80% of monthly AI credits used — Workspace ws-lost-claim");
        assertThat(new DynamoDbAlertStore(table.client, table.name).markers("ws-lost-claim", Period.of(Instant.now())))
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

    private AlertService alerts(Mailer mailer) {
        return new AlertService(new DynamoDbAlertStore(table.client, table.name), mailer, events, new AlertEmails("http://127.0.0.1:3000"));
    }

    private Balance balance(String workspaceId) {
        return table.store.read(workspaceId, Period.of(Instant.now()), null, true).balance();
    }

    private String workspace(String id) {
        String recipient = "ops+" + id + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
        workspaces.put(id, new WorkspaceSpec(null, "org-delivery", "Workspace " + id, "DEV", null, null, null, null,
                List.of(recipient), null, null));
        return recipient;
    }

    private List<JsonNode> usageAlerts(String recipient) {
        List<JsonNode> result = new ArrayList<>();
        try {
            for (JsonNode email : Json.MAPPER.readTree(ses.emailsJson()).get("emails")) {
                if (email.at("/destination/to").toString().contains(recipient)
                        && email.get("subject").asText().startsWith("[aicredits] Usage alert:")) {
                    result.add(email);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return result;
    }
}
