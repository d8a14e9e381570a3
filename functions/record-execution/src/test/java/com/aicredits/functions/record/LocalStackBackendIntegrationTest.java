package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.Services;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.emulation.template.TemplateTable;
import com.aicredits.json.Json;
import com.aicredits.mail.Email;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.HandlerContractCheck;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.LocalStackServices;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The part of {@code make test} that needs Docker: the debit path and an email on LocalStack (Testcontainers), the
 * same table from template.yaml, the same real handler and SDK clients. Skipped where no Docker engine answers (our
 * machines have none); {@code make test-localstack} runs the whole integration suite on LocalStack.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackBackendIntegrationTest {

    @Test
    void debitsReplaysAndTheHardLimitBehaveOnLocalStackAsOnDynamoDbLocal() {
        URI endpoint = LocalStackServices.endpoint();
        String table = "credits-localstack-" + System.nanoTime();
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            dynamoDb.createTable(TemplateTable.createTableRequest(CloudFormationTemplate.load(CloudFormationTemplate.find()),
                    LocalDynamoDb.TABLE_LOGICAL_ID, table));
            dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
            Services services = Services.on(dynamoDb, table, Clock.systemUTC()).withExchanges(HandlerContractCheck.OPENAPI);
            services.workspaces().put("ws-ls", Json.MAPPER.convertValue(Map.of(
                    "organizationId", "org-ls", "name", "LocalStack", "tier", "M_PARTNER", "monthlyCredits", 12,
                    "hardLimitPercent", 100), WorkspaceSpec.class));
            RecordExecutionHandler handler = new RecordExecutionHandler(services);

            APIGatewayV2HTTPResponse first = debit(handler, "run-1", "case.investigation");
            APIGatewayV2HTTPResponse replay = debit(handler, "run-1", "case.investigation");
            APIGatewayV2HTTPResponse refused = debit(handler, "run-2", "task.execution");

            assertThat(first.getStatusCode()).isEqualTo(201);
            assertThat(replay.getStatusCode()).isEqualTo(200);
            assertThat(replay.getBody()).isEqualTo(first.getBody());
            assertThat(refused.getStatusCode()).isEqualTo(402);
        }
    }

    @Test
    void anEmailSentThroughSesV2IsKeptByLocalStack() throws Exception {
        URI endpoint = LocalStackServices.endpoint();
        try (SesV2Client ses = SesV2Client.builder().endpointOverride(endpoint).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            ses.createEmailIdentity(b -> b.emailIdentity("aicredits@example.com"));
            String subject = "[aicredits] LocalStack check " + System.nanoTime();

            new SesMailer(ses, "aicredits@example.com").send(new Email(List.of("lead@acme.example"), subject, "text", "<p>html</p>"));

            // LocalStack keeps sent emails at its /_aws/ses endpoint.
            HttpResponse<String> sent = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(endpoint.resolve("/_aws/ses")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(200);
            assertThat(sent.body()).contains(subject);
        }
    }

    private static APIGatewayV2HTTPResponse debit(RecordExecutionHandler handler, String executionId, String activity) {
        return handler.handleRequest(ApiEvents.load("record-execution.json", "ws-ls",
                "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"}"), null);
    }
}
