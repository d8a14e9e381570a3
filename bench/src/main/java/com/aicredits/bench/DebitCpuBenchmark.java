package com.aicredits.bench;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.InvocationContext;
import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.local.lambda.LocalFunctions;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Our own CPU per steady-state debit: the real record-execution handler on {@link Services} as {@link Production}
 * builds them (the client from {@link AwsClients#configure}, region, credentials, no endpoint override, so the SDK's
 * endpoint rules run as in Lambda; the deployed price catalog), whose DynamoDB transport answers at once with the
 * responses our DynamoDB engine gave ({@link RecordedDynamoDb}). Each call is one new debit: a fresh executionId, the
 * balance from the container's cache, one TransactWriteItems marshalled, signed, "sent" and its answer parsed, the
 * record's JSON, the EMF line and the response. Log lines go to /dev/null, one write each, as on Lambda's pipe.
 * The fork runs on the function's Lambda jar, this module's classes and JMH only ({@link DebitCpu}): the bench's own
 * classpath holds the tests' tooling (testkit, its SDK interceptors), which a Lambda's does not (when it held DynamoDB
 * Local, whose dynamodb-enhanced added an SDK interceptor to every DynamoDB client, that cost 14 % of the allocations).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DebitCpuBenchmark {
    /** The recording's file, which {@link DebitCpu} writes before it starts the forks. */
    static final String RECORDING = "aicredits.bench.recording";

    @State(Scope.Thread)
    public static class Container {
        RecordExecutionHandler handler;
        APIGatewayV2HTTPEvent event;
        InvocationContext context = LocalFunctions.context("RecordExecutionFunction", 15);
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            RecordedDynamoDb.Recording recording = RecordedDynamoDb.Recording.load(Path.of(System.getProperty(RECORDING)));
            try {
                System.setOut(new PrintStream(new FileOutputStream("/dev/null"), false, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DynamoDbClient dynamoDb = AwsClients.configure(DynamoDbClient.builder(), Region.of(System.getProperty("AWS_REGION")),
                            SystemPropertyCredentialsProvider.create())
                    .httpClient(RecordedDynamoDb.replaying(recording.answers())).build();
            handler = new RecordExecutionHandler(new Services(dynamoDb, recording.table(), Clock.systemUTC(),
                    PriceCatalogFile.loadDefault(), Services.NO_NOTIFICATIONS));
            event = ColdStartDriver.debit(recording.workspaceId(), "cpu-first");
            // The container's first debit reads the balance (BatchGetItem); every later one is the steady state.
            debit("cpu-first");
        }

        int debit(String executionId) {
            event.setBody("{\"executionId\":\"" + executionId + "\",\"activity\":\"" + HandlerOverheadBenchmark.ACTIVITY + "\"}");
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
            if (response.getStatusCode() != 201) {
                throw new IllegalStateException("debit answered " + response.getStatusCode() + ": " + response.getBody());
            }
            return response.getStatusCode();
        }
    }

    @Benchmark
    public int debit(Container container) {
        return container.debit("cpu-" + ++container.next);
    }
}
