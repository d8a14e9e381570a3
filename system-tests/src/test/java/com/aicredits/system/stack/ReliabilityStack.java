package com.aicredits.system.stack;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.json.Json;
import com.aicredits.local.DevStack;
import com.aicredits.testkit.HandlerContractCheck;
import com.aicredits.testkit.RecordItems;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The local stack of {@code make run}, started once in this test JVM for the reliability tests: the DynamoDB engine on
 * disk (under target/, so that it can be stopped and restarted with its data), the SES emulator, the HTTP API with
 * the JWT authorizer, the stream poller, and four containers per function, as Lambda scales a busy function out.
 * Requests go over real HTTP on 127.0.0.1. Only tests tagged {@code reliability} use it: they run in a JVM of their
 * own (see local/pom.xml), since the stack sets system properties and leaves its threads running until the JVM ends.
 */
public final class ReliabilityStack {
    public static final int CONTAINERS_PER_FUNCTION = 4;
    private static ReliabilityStack shared;

    public final DevStack stack;
    public final Path data;
    public final String base;
    public final DynamoDbClient dynamoDb;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ReliabilityStack(DevStack stack, Path data) {
        this.stack = stack;
        this.data = data;
        this.base = "http://127.0.0.1:" + stack.port();
        this.dynamoDb = stack.dynamoDb().client();
    }

    /**
     * The one stack of this JVM: the functions' AWS clients are built once per JVM (as once per Lambda container), so
     * a second stack in the same JVM would reach the first one's engine.
     */
    public static synchronized ReliabilityStack shared() {
        if (shared == null) {
            Path root = CloudFormationTemplate.find().toAbsolutePath().getParent();
            Path data = Path.of("target", "reliability-stack-" + UUID.randomUUID()).toAbsolutePath();
            DevStack stack = DevStack.start(new DevStack.Settings(root, data, freePort(), false, CONTAINERS_PER_FUNCTION)
                    .withExchanges(HandlerContractCheck.OPENAPI));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "reliability-stack-stop"));
            shared = new ReliabilityStack(stack, data);
        }
        return shared;
    }

    public String token(String role, String organizationId) {
        return stack.authorizer().token(role, organizationId);
    }

    /** An HTTP answer: status, body text and the content type. */
    public record Reply(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    /** Sends a request; {@code pathAndQuery} is sent as given (already encoded), {@code body} null for none. */
    public Reply send(String method, String pathAndQuery, String token, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body(), response.headers().firstValue("content-type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + pathAndQuery + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Reply send(String method, String pathAndQuery, String token, String jsonBody) {
        return send(method, pathAndQuery, token, jsonBody == null ? null : "application/json",
                jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    /** Every item of the stack's table by key: what a request wrote shows up as a difference. */
    public Map<String, Map<String, AttributeValue>> snapshot() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(DevStack.TABLE_NAME).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("PK").s() + " | " + item.get("SK").s(), item));
        return items;
    }

    /** Waits until the stream functions have seen every change so far, so that a snapshot holds still. */
    public void settle() {
        stack.streamPoller().drain(Duration.ofSeconds(90));
    }

    /** The usage record of {@code executionId} as stored (an empty map if none). */
    public Map<String, AttributeValue> record(String workspaceId, String executionId) {
        return RecordItems.record(dynamoDb, DevStack.TABLE_NAME, workspaceId, executionId);
    }

    /** Every usage record of the workspace whose executionId starts with {@code idPrefix}, in no particular order. */
    public List<Map<String, AttributeValue>> records(String workspaceId, String idPrefix) {
        return RecordItems.records(dynamoDb, DevStack.TABLE_NAME, workspaceId, idPrefix);
    }

    /** A period's ledger as stored (each record's body), in sequence order, read strongly consistent. */
    public List<JsonNode> ledger(String workspaceId, com.aicredits.domain.Period period) {
        return records(workspaceId, "").stream()
                .map(item -> {
                    try {
                        return Json.MAPPER.readTree(item.get("body").s());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(record -> record.get("period").asText().equals(period.toString()))
                .sorted(java.util.Comparator.comparingLong(record -> record.get("sequence").asLong()))
                .toList();
    }

    /** Every item of a partition whose sort key starts with {@code skPrefix}, read strongly consistent. */
    public List<Map<String, AttributeValue>> items(String pk, String skPrefix) {
        QueryRequest request = QueryRequest.builder().tableName(DevStack.TABLE_NAME).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":sk", AttributeValue.fromS(skPrefix)))
                .build();
        return dynamoDb.queryPaginator(request).items().stream().toList();
    }

    public Map<String, AttributeValue> item(String pk, String sk) {
        return dynamoDb.getItem(b -> b.tableName(DevStack.TABLE_NAME).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))).item();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
