package com.aicredits.bench;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.InvocationContext;
import com.aicredits.app.Services;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.aicredits.json.Json;
import com.aicredits.json.PriceCatalogFile;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The cold-start bench's child JVM: plays the Lambda runtime for one container. It builds the record-execution
 * handler, answers one debit and prints when, then answers {@code warm} more (the first minute of a container).
 * Runs with only the function's Lambda jar and this class on its classpath (plus the SDK's default HTTP client for
 * {@code sdk-defaults}), so it must use nothing else.
 *
 * <p>{@code as-built}: the handler's no-argument constructor, exactly as Lambda builds it (the environment carries
 * the region, credentials, table and, here, the DynamoDB endpoint in the SDK's own {@value #ENDPOINT}). {@code sdk-defaults}: the same handler on a
 * client left to the SDK's defaults (its default HTTP client found on the classpath, the default region and
 * credentials provider chains), which is what {@code DynamoDbClient.builder().build()} gives.
 */
public final class ColdStartDriver {
    /** The SDK's own setting of a DynamoDB endpoint (the engine's here): the product names no endpoint of its own. */
    static final String ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB";

    private ColdStartDriver() {
    }

    public static void main(String[] args) {
        String variant = args[0];
        if (variant.equals("breakdown")) {
            // Before the clock starts: counting loads the management classes, counted here once.
            countClasses();
        }
        long constructStart = System.nanoTime();
        String workspaceId = args[1];
        int warm = Integer.parseInt(args[2]);
        RecordExecutionHandler handler = switch (variant) {
            case "as-built" -> new RecordExecutionHandler();
            case "sdk-defaults" -> new RecordExecutionHandler(Services.on(
                    DynamoDbClient.builder().endpointOverride(URI.create(System.getenv(ENDPOINT))).build(),
                    System.getenv("TABLE_NAME"), Clock.systemUTC()));
            // The levers, each on its own against the build before them (URLConnection, the SDK's endpoint rules).
            case "url-rules", "url-pinned", "crt-rules" -> new RecordExecutionHandler(Services.on(lever(variant),
                    System.getenv("TABLE_NAME"), Clock.systemUTC()));
            case "breakdown" -> breakdown();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
        long constructed = System.nanoTime();
        if (variant.equals("breakdown")) {
            countClasses();
            constructed = System.nanoTime();
        }
        APIGatewayV2HTTPResponse first = handler.handleRequest(debit(workspaceId, "cold-1"), context());
        if (variant.equals("breakdown")) {
            countClasses();
        }
        long answeredAtMillis = System.currentTimeMillis();
        long answered = System.nanoTime();
        // The process's CPU time (all its threads: JIT and GC too) to here: on a busy machine, steadier than the wall clock.
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
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
        if (variant.equals("breakdown")) {
            // Counted after the timings (the management classes would be in them otherwise).
            System.out.printf("stages-ms=%s classes-at-main=%d classes-construction=%d classes-first-debit=%d%n", STAGES,
                    CLASSES.get(0), CLASSES.get(1) - CLASSES.get(0), CLASSES.get(2) - CLASSES.get(1));
        }
        long jvmStartMillis = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
        System.out.printf("answered-at-millis=%d jvm-start-millis=%d construct-ms=%.1f first-request-ms=%.1f warm-ms=%.1f cpu-ms=%d%n",
                answeredAtMillis, jvmStartMillis, (constructed - constructStart) / 1e6, (answered - constructed) / 1e6,
                (warmed - answered) / 1e6, cpuMillis);
    }

    /** The DynamoDB client of a lever variant: URLConnection or CRT, the SDK's endpoint rules or the endpoint pinned. */
    private static DynamoDbClient lever(String variant) {
        URI endpoint = URI.create(System.getenv(ENDPOINT));
        DynamoDbClientBuilder builder = DynamoDbClient.builder().region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(AwsClients.credentials(AwsClients.CredentialsSource.ENVIRONMENT));
        builder.httpClient(variant.startsWith("crt") ? AwsCrtHttpClient.create() : UrlConnectionHttpClient.create());
        if (variant.endsWith("pinned")) {
            Endpoint pinned = Endpoint.builder().url(endpoint).build();
            builder.endpointProvider(parameters -> CompletableFuture.completedFuture(pinned));
        } else {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private static final java.util.Map<String, Long> STAGES = new java.util.LinkedHashMap<>();
    private static final List<Long> CLASSES = new java.util.ArrayList<>();

    private static void countClasses() {
        CLASSES.add(java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }

    /** The handler as built, stage by stage: Jackson's mapper, the price catalog, the SDK client, the rest; with class counts. */
    private static RecordExecutionHandler breakdown() {
        long start = System.nanoTime();
        Json.MAPPER.getTypeFactory();
        start = stage("jackson", start);
        PriceCatalogFile.loadDefault();
        start = stage("catalog", start);
        AwsClients.dynamoDb(Region.of(System.getenv("AWS_REGION")), AwsClients.CredentialsSource.ENVIRONMENT).close();
        start = stage("dynamodb-client", start);
        RecordExecutionHandler handler = new RecordExecutionHandler();
        stage("handler", start);
        return handler;
    }

    private static long stage(String name, long start) {
        long now = System.nanoTime();
        STAGES.put(name, Math.round((now - start) / 1e6));
        return now;
    }

    private static InvocationContext context() {
        return InvocationContext.of("RecordExecutionFunction", java.time.Duration.ofSeconds(15), InvocationContext.STANDARD_OUTPUT);
    }

    /** A payload-2.0 event as API Gateway sends it for {@code POST /v1/workspaces/{id}/executions}. */
    static APIGatewayV2HTTPEvent debit(String workspaceId, String executionId) {
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
