package com.aicredits.bench;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.InvocationContext;
import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.testkit.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * One steady-state debit through the real record-execution handler, built as Lambda builds it ({@link Services} on
 * {@link AwsClients}' client, the deployed catalog and retry budget, as {@link Production} wires them), fed the
 * payload-2.0 event of events/record-execution.json; against the very same TransactWriteItems issued in a bare loop on
 * the same client. A fork has no environment of its own: its system properties say the region, credentials, table and
 * the engine's endpoint (the SDK's own {@value #ENDPOINT}), see {@link HandlerOverhead}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandlerOverheadBenchmark {
    static final String ACTIVITY = "task.execution";
    /** The SDK's own system property for a DynamoDB endpoint. */
    static final String ENDPOINT = "aws.endpointUrlDynamoDb";
    /** The fork's services, one client for the container, as {@link Production#services()} keeps them. */
    private static final Services SERVICES = services(client(b -> { }));

    /** A client as the function's, with the fork's region and credentials; {@code more}: anything added (an interceptor). */
    private static DynamoDbClient client(Consumer<DynamoDbClientBuilder> more) {
        DynamoDbClientBuilder builder = AwsClients.configure(DynamoDbClient.builder(), Region.of(System.getProperty("AWS_REGION")),
                SystemPropertyCredentialsProvider.create());
        more.accept(builder);
        return builder.build();
    }

    private static Services services(DynamoDbClient client) {
        return Services.on(client, System.getProperty("TABLE_NAME"), Clock.systemUTC());
    }

    private static String newWorkspace(String prefix) {
        String id = prefix + "-" + Long.toString(System.nanoTime(), 36);
        // ELITE_PLUS with a 1000 % hard limit: 200,000 credits, far more than a fork debits.
        SERVICES.workspaces().put(id, new WorkspaceSpec(null, "org-bench", "Bench " + id, "ELITE_PLUS", null, null,
                null, null, null, null, 1000));
        return id;
    }

    private static String body(String executionId) {
        return "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + ACTIVITY + "\"}";
    }

    @State(Scope.Thread)
    public static class Handler {
        RecordExecutionHandler handler;
        APIGatewayV2HTTPEvent event;
        InvocationContext context = LocalFunctions.context("RecordExecutionFunction", 15);
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            String workspaceId = newWorkspace("ws-handler");
            handler = new RecordExecutionHandler(SERVICES);
            event = ApiEvents.load("record-execution.json", workspaceId, null);
            debit("warm-up");
        }

        int debit(String executionId) {
            event.setBody(body(executionId));
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
            if (response.getStatusCode() != 201) {
                throw new IllegalStateException("debit answered " + response.getStatusCode() + ": " + response.getBody());
            }
            return response.getStatusCode();
        }
    }

    @State(Scope.Thread)
    public static class Bare {
        DynamoDbClient dynamoDb;
        BareDebits debits;

        @Setup(Level.Trial)
        public void setUp() {
            dynamoDb = SERVICES.dynamoDb();
            String workspaceId = newWorkspace("ws-bare");
            // A second client only to capture what the store sends; the loop itself uses the production client.
            List<TransactWriteItemsRequest> captured = new ArrayList<>();
            ExecutionInterceptor capture = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    SdkRequest request = context.request();
                    if (request instanceof TransactWriteItemsRequest transaction) {
                        captured.add(transaction);
                    }
                }
            };
            DynamoDbClient capturing = client(b -> b.overrideConfiguration(c -> c.addExecutionInterceptor(capture)));
            RecordExecutionHandler handler = new RecordExecutionHandler(services(capturing));
            APIGatewayV2HTTPEvent event = ApiEvents.load("record-execution.json", workspaceId, null);
            for (String executionId : List.of("bare-capture-0", "bare-capture-1", "bare-capture-2")) {
                event.setBody(body(executionId));
                if (handler.handleRequest(event, null).getStatusCode() != 201) {
                    throw new IllegalStateException("capture debit failed");
                }
            }
            int size = captured.size();
            debits = new BareDebits(captured.get(size - 2), captured.get(size - 1), "bare-capture-2");
            capturing.close();
        }
    }

    @Benchmark
    public int handler(Handler state) {
        return state.debit("h-" + ++state.next);
    }

    @Benchmark
    public Object bare(Bare state) {
        return state.dynamoDb.transactWriteItems(state.debits.next());
    }
}
