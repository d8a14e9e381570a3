package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** The wire protocol: AWS JSON 1.0, X-Amz-Target, x-amz-crc32, request ids, error namespaces (API Reference, "Error handling"). */
class WireProtocolTest extends EngineTestSupport {
    private static HttpResponse<String> post(String target, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engine.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void an_answer_carries_the_crc32_of_its_body_and_a_request_id() throws Exception {
        HttpResponse<String> response = post("DynamoDB_20120810.ListTables", "{}");
        CRC32 crc = new CRC32();
        crc.update(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amz-crc32")).contains(Long.toString(crc.getValue()));
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.0");
    }

    @Test
    void an_unknown_operation_answers_UnknownOperationException_in_the_coral_service_namespace() throws Exception {
        HttpResponse<String> response = post("DynamoDB_20120810.ExecuteStatement", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"com.amazon.coral.service#UnknownOperationException\"");
    }

    @Test
    void a_request_without_a_target_answers_UnknownOperationException() throws Exception {
        assertThat(post(null, "{}").body()).contains("com.amazon.coral.service#UnknownOperationException");
    }

    @Test
    void a_body_that_is_not_json_answers_SerializationException() throws Exception {
        HttpResponse<String> response = post("DynamoDB_20120810.ListTables", "{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("com.amazon.coral.service#SerializationException");
    }

    @Test
    void validation_errors_use_the_coral_validate_namespace() throws Exception {
        HttpResponse<String> response = post("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"x\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"com.amazon.coral.validate#ValidationException\"");
    }

    @Test
    void a_missing_table_is_ResourceNotFoundException_in_the_dynamodb_namespace() throws Exception {
        HttpResponse<String> response = post("DynamoDB_20120810.DescribeTable", "{\"TableName\":\"absent-table\"}");
        assertThat(response.body()).contains("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")
                .contains("Requested resource not found");
        assertThatThrownBy(() -> dynamo.describeTable(DescribeTableRequest.builder().tableName("absent-table").build()))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void the_sdk_parses_errors_into_their_modelled_exceptions_with_status_400() {
        assertThatThrownBy(() -> dynamo.describeTable(DescribeTableRequest.builder().tableName("x").build()))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                });
    }

    @Test
    void a_get_of_the_root_answers_healthy() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(engine.endpoint()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("healthy");
        }
    }
}
