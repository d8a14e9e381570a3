package com.aicredits.system.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.Services.Notifications;
import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.functions.threshold.ThresholdEvaluatorHandler;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.local.streams.StreamPoller;
import com.aicredits.port.EventPublisher;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.system.emails.SentEmails;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * An organization's credit pool's alerts end to end, as {@link ThresholdAlertsIntegrationTest} runs a workspace's: pooled
 * debits through the real service (each moving the workspace's balance and the pool's in one transaction), the
 * engine's stream read by the local poller with the template's mapping (its filter now passing POOL# items), the real
 * handler, the SES emulator. Also run under production semantics (the pool's email lists its workspaces from an index).
 */
class PoolAlertsIntegrationTest {
    private static final Clock CLOCK = TestClock.runningFrom(TestClock.noonOfLastMonth(28));
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private final CreditsTable table = new CreditsTable("pool-alerts");
    private final SesEmulator ses = SesEmulator.shared();
    private final List<Map<String, Object>> published = new CopyOnWriteArrayList<>();
    private final List<DynamodbEvent> delivered = new CopyOnWriteArrayList<>();
    private final DebitService debits = table.services(CLOCK).debits();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final String org = "org-pool-" + tag;
    private final String poolRecipient = "managers+" + tag + "@acme.example";
    private ThresholdEvaluatorHandler handler;
    private StreamPoller poller;

    @BeforeEach
    void startPoller(@TempDir Path checkpoints) {
        SesMailer mailer = new SesMailer(SesV2Client.builder().endpointOverride(ses.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build(), "aicredits@test.example");
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

    /** Two DEV workspaces (500 credits each) with recipients of their own, pooled: a pool of 1,000 credits. */
    private List<String> pooledWorkspaces() {
        List<String> workspaceRecipients = new ArrayList<>();
        for (String name : List.of("alpha", "beta")) {
            String recipient = "ops+" + name + "-" + tag + "@acme.example";
            table.services(CLOCK).workspaces().put(workspaceId(name), new WorkspaceSpec(null, org, "Team " + name, "DEV", null,
                    null, null, null, List.of(recipient), null, null));
            workspaceRecipients.add(recipient);
        }
        // The workspaces exist before their pool is enabled: the switch lists them from the index.
        ProductionSemantics.waitOutLag();
        table.services(CLOCK).organizations().put(org, new OrganizationSpec(null, "Acme Holding " + tag,
                new CreditPool.Spec(true, null, null, null, List.of(poolRecipient))));
        // The workspaces exist long before their pool fills: the index the pool's email lists them from has them.
        ProductionSemantics.waitOutLag();
        return workspaceRecipients;
    }

    private String workspaceId(String name) {
        return "ws-" + name + "-" + tag;
    }

    private List<JsonNode> poolAlerts() {
        return SentEmails.to(ses, poolRecipient).stream()
                .filter(email -> email.get("subject").asText().startsWith("[aicredits] Usage alert:")).toList();
    }

    @Test
    void twoWorkspacesTakingThePoolPast80PercentSendOneEmailToItsRecipientsNamingBothAndNoWorkspaceAlert() {
        List<String> workspaceRecipients = pooledWorkspaces();
        for (int i = 0; i < 70; i++) {
            // 12 credits a run, the two workspaces taking turns: 840 of 1,000, each workspace alone past 80% of its 500.
            debits.record(workspaceId(i % 2 == 0 ? "alpha" : "beta"), new RecordExecution("case-" + i, "case.investigation", null));
        }
        poller.drain(DRAIN);

        assertThat(poolAlerts()).singleElement().satisfies(email -> {
            assertThat(email.get("subject").asText())
                    .isEqualTo("[aicredits] Usage alert: 80% of the organization's monthly AI credits used — Acme Holding " + tag);
            String text = email.at("/body/text").asText();
            assertThat(text).contains("Organization: Acme Holding " + tag + " (" + org + "), credit pool")
                    // The ledger as the alert fired (the 67th run, 804); the workspaces as read when the email was
                    // written, which the stream's pace decides (up to the 70 runs' 840).
                    .contains("804 / 1,000 credits").contains("By workspace, when this email was written (")
                    .contains("Team alpha (" + workspaceId("alpha") + "): ")
                    .contains("Team beta (" + workspaceId("beta") + "): ")
                    .contains("Case investigations: 804 credits");
            assertThat(email.at("/destination/to").toString()).contains(poolRecipient);
        });
        for (String recipient : workspaceRecipients) {
            assertThat(SentEmails.to(ses, recipient)).isEmpty();
        }
        DynamoDbAlertStore markers = new DynamoDbAlertStore(table.client, table.name);
        Period period = Period.of(CLOCK.instant());
        assertThat(markers.markers(LedgerOwner.organization(org), period)).extracting(AlertMarker::alert)
                .containsExactly(Alert.threshold(80));
        assertThat(markers.markers(workspaceId("alpha"), period)).isEmpty();
        assertThat(markers.markers(workspaceId("beta"), period)).isEmpty();
        assertThat(published).singleElement().satisfies(event -> {
            Map<?, ?> detail = (Map<?, ?>) event.get("detail");
            assertThat(detail.get("organizationId")).isEqualTo(org);
            assertThat(detail.get("pool")).isEqualTo("organization");
            assertThat(detail.get("threshold")).isEqualTo(80);
        });

        // Every batch the stream delivered, delivered again: nothing is sent twice.
        for (DynamodbEvent batch : new ArrayList<>(delivered)) {
            assertThat(handler.handleRequest(batch, LocalFunctions.context("ThresholdEvaluatorFunction", 15)).getBatchItemFailures()).isEmpty();
        }
        assertThat(poolAlerts()).hasSize(1);
        assertThat(published).hasSize(1);
    }

    @Test
    void thePoolsFirstRefusalAtItsHardLimitFiresItsHardLimitAlertOnce() {
        pooledWorkspaces();
        int run = 0;
        // 12-credit runs stop at 1,992 of the pool's 2,000 (200%): usage never reaches the 200% threshold itself.
        while (true) {
            String id = "case-" + run;
            String workspace = workspaceId(run++ % 2 == 0 ? "alpha" : "beta");
            try {
                debits.record(workspace, new RecordExecution(id, "case.investigation", null));
            } catch (CreditsException refused) {
                assertThat(refused.refusal()).isEqualTo(Refusal.HARD_LIMIT);
                break;
            }
        }
        assertThatThrownBy(() -> debits.record(workspaceId("beta"), new RecordExecution("one-more", "case.investigation", null)))
                .isInstanceOf(CreditsException.class);
        poller.drain(DRAIN);

        List<String> subjects = poolAlerts().stream().map(email -> email.get("subject").asText()).toList();
        assertThat(subjects).filteredOn(subject -> subject.contains(" 200% ")).hasSize(1);
        assertThat(subjects).hasSize(6);
        assertThat(poolAlerts()).filteredOn(email -> email.get("subject").asText().contains(" 200% ")).singleElement()
                .satisfies(email -> assertThat(email.at("/body/text").asText()).contains("Hard limit reached: paid runs refused"));
    }
}
