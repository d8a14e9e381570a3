package com.aicredits.bench;

import com.aicredits.app.InvocationContext;
import com.aicredits.app.Services;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The cold-start bench's child JVM: plays the Lambda runtime for one container. It builds the record-execution
 * handler, answers one debit and prints when, then answers {@code warm} more (the first minute of a container).
 * Runs with only the function's Lambda jar and this class on its classpath (plus the SDK's default HTTP client for
 * {@code sdk-defaults}), so it must use nothing else.
 *
 * <p>{@code as-built}: the handler's no-argument constructor, exactly as Lambda builds it (the environment carries
 * the region, credentials, table and, here, the DynamoDB endpoint). {@code sdk-defaults}: the same handler on a
 * client left to the SDK's defaults (its default HTTP client found on the classpath, the default region and
 * credentials provider chains), which is what {@code DynamoDbClient.builder().build()} gives.
 */
public final class ColdStartDriver {
    private ColdStartDriver() {
    }

    public static void main(String[] args) {
        long constructStart = System.nanoTime();
        String variant = args[0];
        String workspaceId = args[1];
        int warm = Integer.parseInt(args[2]);
        RecordExecutionHandler handler = switch (variant) {
            case "as-built" -> new RecordExecutionHandler();
            case "sdk-defaults" -> new RecordExecutionHandler(Services.on(
                    DynamoDbClient.builder().endpointOverride(URI.create(System.getenv("AICREDITS_DYNAMODB_ENDPOINT"))).build(),
                    System.getenv("TABLE_NAME"), Clock.systemUTC()));
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        long constructed = System.nanoTime();
        APIGatewayV2HTTPResponse first = handler.handleRequest(debit(workspaceId, "cold-1"), context());
        long answeredAtMillis = System.currentTimeMillis();
        long answered = System.nanoTime();
        if (first.getStatusCode() != 201) {
            throw new IllegalStateException("first debit answered " + first.getStatusCode() + ": " + first.getBody());
        }
        for (int i = 0; i < warm; i++) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(debit(workspaceId, "warm-" + i), context());
            if (response.getStatusCode() != 201) {
                throw new IllegalStateException("debit answered " + response.getStatusCode() + ": " + response.getBody());
            }
        }
        long warmed = System.nanoTime();
        long jvmStartMillis = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
        System.out.printf("answered-at-millis=%d jvm-start-millis=%d construct-ms=%.1f first-request-ms=%.1f warm-ms=%.1f%n",
                answeredAtMillis, jvmStartMillis, (constructed - constructStart) / 1e6, (answered - constructed) / 1e6,
                (warmed - answered) / 1e6);
    }

    private static InvocationContext context() {
        return InvocationContext.local("RecordExecutionFunction", 15);
    }

    /** A payload-2.0 event as API Gateway sends it for {@code POST /v1/workspaces/{id}/executions}. */
    private static APIGatewayV2HTTPEvent debit(String workspaceId, String executionId) {
        String route = "POST /v1/workspaces/{workspaceId}/executions";
        String path = "/v1/workspaces/" + workspaceId + "/executions";
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route)
                .withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json"))
                .withPathParameters(Map.of("workspaceId", workspaceId))
                .withBody("{\"executionId\":\"" + executionId + "\",\"activity\":\"task.execution\"}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(route)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("scope", "credits/record")).withScopes(List.of("credits/record")).build())
                                .build())
                        .build())
                .build();
    }
}
