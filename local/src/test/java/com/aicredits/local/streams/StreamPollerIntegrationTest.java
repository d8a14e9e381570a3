package com.aicredits.local.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.testkit.LocalDynamoDb;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The stream poller against the DynamoDB engine's real stream: mappings read from a template, filters, batch sizes,
 * partial-batch failures redelivered in order, whole-batch retries, giving up, independent positions and resuming
 * from the checkpoint.
 */
class StreamPollerIntegrationTest {
    private static final Duration DRAIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two mappings on CreditsTable and two events the poller must leave alone. */
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.parse("""
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: java25
            Resources:
              CreditsTable:
                Type: AWS::DynamoDB::Table
              OtherTable:
                Type: AWS::DynamoDB::Table
              ThresholdEvaluatorFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Thresholds::handleRequest
                  Events:
                    BalanceChanges:
                      Type: DynamoDB
                      Properties:
                        Stream: !GetAtt CreditsTable.StreamArn
                        StartingPosition: LATEST
                        BatchSize: 2
                        MaximumRetryAttempts: 3
                        FunctionResponseTypes: [ReportBatchItemFailures]
                        FilterCriteria:
                          Filters:
                            - Pattern: '{"dynamodb": {"Keys": {"SK": {"S": [{"prefix": "BALANCE#"}]}}}}'
                    Elsewhere:
                      Type: DynamoDB
                      Properties:
                        Stream: !GetAtt OtherTable.StreamArn
                        StartingPosition: LATEST
              AuditFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Audit::handleRequest
                  Events:
                    Everything:
                      Type: DynamoDB
                      Properties:
                        Stream:
                          Fn::GetAtt: [CreditsTable, StreamArn]
                        StartingPosition: TRIM_HORIZON
                    Nightly:
                      Type: Schedule
                      Properties:
                        Schedule: cron(0 0 * * ? *)
            """);

    private static final List<StreamSubscription> SUBSCRIPTIONS = StreamSubscription.fromTemplate(TEMPLATE, "CreditsTable");
    private static final StreamSubscription THRESHOLDS = SUBSCRIPTIONS.get(0);
    private static final StreamSubscription AUDIT = SUBSCRIPTIONS.get(1);

    @TempDir
    Path checkpoints;

    private final LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
    private DynamoDbClient client;
    private DynamoDbStreamsClient streams;
    private String table;
    private String streamArn;
    private final List<StreamPoller> pollers = new ArrayList<>();

    @BeforeEach
    void createTable() {
        client = dynamoDb.client();
        streams = dynamoDb.streamsClient();
        table = dynamoDb.createTable("stream-poller");
        streamArn = client.describeTable(b -> b.tableName(table)).table().latestStreamArn();
    }

    @AfterEach
    void stop() {
        pollers.forEach(StreamPoller::close);
        client.close();
        streams.close();
    }

    @Test
    void readsTheMappingsOfTheTableFromTheTemplate() {
        assertThat(SUBSCRIPTIONS).containsExactly(
                new StreamSubscription("ThresholdEvaluatorFunction", "BalanceChanges", 2,
                        List.of(EventPattern.parse("{\"dynamodb\": {\"Keys\": {\"SK\": {\"S\": [{\"prefix\": \"BALANCE#\"}]}}}}")),
                        true, "LATEST", 3),
                new StreamSubscription("AuditFunction", "Everything", StreamSubscription.DEFAULT_BATCH_SIZE, List.of(),
                        false, "TRIM_HORIZON", StreamSubscription.DEFAULT_MAXIMUM_RETRY_ATTEMPTS));
        assertThat(THRESHOLDS.id()).isEqualTo("ThresholdEvaluatorFunction.BalanceChanges");
    }

    @Test
    void refusesAMappingItCannotPlayFaithfully() {
        String template = """
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        S:
                          Type: DynamoDB
                          Properties:
                            Stream: !GetAtt CreditsTable.StreamArn
                            %s
                """;
        assertThatThrownBy(() -> StreamSubscription.fromTemplate(CloudFormationTemplate.parse(template.formatted(
                "StartingPosition: AT_TIMESTAMP")), "CreditsTable"))
                .hasMessageContaining("F.S: StartingPosition must be LATEST or TRIM_HORIZON");
        assertThatThrownBy(() -> StreamSubscription.fromTemplate(CloudFormationTemplate.parse(template.formatted(
                "BatchSize: 5")), "CreditsTable"))
                .hasMessageContaining("F.Events.S: StartingPosition is required");
        assertThatThrownBy(() -> StreamSubscription.fromTemplate(CloudFormationTemplate.parse(template.formatted(
                "FilterCriteria: {Filters: [{Pattern: '{\"a\": [{\"cidr\": \"10.0.0.0/8\"}]}'}]}")), "CreditsTable"))
                .hasMessageContaining("F.Events.S: event pattern field 'a' unsupported filter operator 'cidr'");
    }

    @Test
    void deliversLambdaShapedEventsThroughFiltersInBatchesFromEachStartingPosition() {
        put("WS#ws-1", "WORKSPACE", 0);
        put("WS#ws-1", "BALANCE#2026-10", 1); // before start: only TRIM_HORIZON sees these
        Recorder recorder = new Recorder();
        StreamPoller poller = start(List.of(THRESHOLDS, AUDIT), recorder);

        put("WS#ws-1", "BALANCE#2026-11", 10);
        put("WS#ws-1", "EXEC#run-1", 1);
        client.updateItem(b -> b.tableName(table)
                .key(Map.of("PK", s("WS#ws-1"), "SK", s("BALANCE#2026-11")))
                .updateExpression("SET used = :used")
                .expressionAttributeValues(Map.of(":used", n(25))));
        put("WS#ws-1", "EXEC#run-2", 1);
        put("WS#ws-2", "BALANCE#2026-11", 3);
        client.deleteItem(b -> b.tableName(table).key(Map.of("PK", s("WS#ws-1"), "SK", s("EXEC#run-1"))));
        poller.drain(DRAIN);

        assertThat(recorder.keys("ThresholdEvaluatorFunction")).containsExactly(
                "WS#ws-1|BALANCE#2026-11", "WS#ws-1|BALANCE#2026-11", "WS#ws-2|BALANCE#2026-11");
        assertThat(recorder.batches("ThresholdEvaluatorFunction")).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 2));
        assertThat(recorder.keys("AuditFunction")).containsExactly(
                "WS#ws-1|WORKSPACE", "WS#ws-1|BALANCE#2026-10", "WS#ws-1|BALANCE#2026-11", "WS#ws-1|EXEC#run-1",
                "WS#ws-1|BALANCE#2026-11", "WS#ws-1|EXEC#run-2", "WS#ws-2|BALANCE#2026-11", "WS#ws-1|EXEC#run-1");

        // The event is a genuine DynamodbEvent, shaped as Lambda delivers it.
        List<DynamodbEvent.DynamodbStreamRecord> audited = recorder.records("AuditFunction");
        assertThat(audited).extracting(DynamodbEvent.DynamodbStreamRecord::getEventName)
                .containsExactly("INSERT", "INSERT", "INSERT", "INSERT", "MODIFY", "INSERT", "INSERT", "REMOVE");
        DynamodbEvent.DynamodbStreamRecord modify = audited.get(4);
        assertThat(modify.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(modify.getEventVersion()).isEqualTo("1.1");
        assertThat(modify.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(modify.getEventSourceARN()).isEqualTo(streamArn);
        assertThat(modify.getEventID()).isNotBlank();
        assertThat(modify.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(modify.getDynamodb().getKeys()).containsOnlyKeys("PK", "SK");
        assertThat(modify.getDynamodb().getOldImage().get("used").getN()).isEqualTo("10");
        assertThat(modify.getDynamodb().getNewImage().get("used").getN()).isEqualTo("25");
        assertThat(modify.getDynamodb().getSequenceNumber()).isNotBlank();
        assertThat(modify.getDynamodb().getSizeBytes()).isPositive();
        // Whole epoch seconds in the JSON, read back by Lambda's own serializer as the write's time.
        assertThat(modify.getDynamodb().getApproximateCreationDateTime().toInstant())
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(audited.get(7).getDynamodb().getNewImage()).isNull();
        assertThat(audited.get(7).getDynamodb().getOldImage()).isNotNull();
        List<String> sequence = audited.stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
        assertThat(sequence).isSortedAccordingTo(Comparator.comparing(BigInteger::new));
    }

    @Test
    void aReportedItemFailureIsRedeliveredFromThatRecordOnInOrder() {
        for (int i = 1; i <= 5; i++) {
            put("WS#ws-1", "BALANCE#0" + i, i);
        }
        StreamSubscription subscription = new StreamSubscription("F", "E", 2, List.of(), true, "TRIM_HORIZON", 3);
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        Recorder recorder = new Recorder((function, records) -> {
            for (DynamodbEvent.DynamodbStreamRecord record : records) {
                if (sk(record).equals("BALANCE#02") && failedOnce.add("BALANCE#02")) {
                    return StreamsEventResponse.builder().withBatchItemFailures(List.of(
                            BatchItemFailure.builder().withItemIdentifier(record.getDynamodb().getSequenceNumber()).build())).build();
                }
            }
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        });
        start(List.of(subscription), recorder).drain(DRAIN);

        assertThat(recorder.batchesOfSortKeys("F")).containsExactly(
                List.of("BALANCE#01", "BALANCE#02"),
                List.of("BALANCE#02", "BALANCE#03"),
                List.of("BALANCE#04", "BALANCE#05"));
    }

    @Test
    void aFailureReportedAsAMapOrAnUnknownIdentifierCountsAsReportedByLambdasRules() {
        for (int i = 1; i <= 3; i++) {
            put("WS#ws-1", "BALANCE#0" + i, i);
        }
        StreamSubscription subscription = new StreamSubscription("F", "E", 3, List.of(), true, "TRIM_HORIZON", 5);
        List<Object> responses = new ArrayList<>(List.of(
                Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "not-a-sequence-number"))), // whole batch again
                "{\"batchItemFailures\": [{\"itemIdentifier\": \"%s\"}]}", // a JSON string, failing the third record
                Map.of()));
        Recorder recorder = new Recorder((function, records) -> {
            Object response = responses.removeFirst();
            return response instanceof String text
                    ? text.formatted(records.getLast().getDynamodb().getSequenceNumber())
                    : response;
        });
        start(List.of(subscription), recorder).drain(DRAIN);

        assertThat(recorder.batchesOfSortKeys("F")).containsExactly(
                List.of("BALANCE#01", "BALANCE#02", "BALANCE#03"),
                List.of("BALANCE#01", "BALANCE#02", "BALANCE#03"),
                List.of("BALANCE#03"));
    }

    @Test
    void anExceptionRedeliversTheWholeBatchAndTheRecordsAreGivenUpAfterTheRetries() {
        for (int i = 1; i <= 5; i++) {
            put("WS#ws-1", "BALANCE#0" + i, i);
        }
        // Without ReportBatchItemFailures: its response is ignored; only an exception fails a batch.
        StreamSubscription subscription = new StreamSubscription("F", "E", 2, List.of(), false, "TRIM_HORIZON", 2);
        Recorder recorder = new Recorder((function, records) -> {
            if (records.stream().anyMatch(record -> sk(record).equals("BALANCE#03"))) {
                throw new IllegalStateException("boom");
            }
            return Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "ignored")));
        });
        start(List.of(subscription), recorder).drain(DRAIN);

        assertThat(recorder.batchesOfSortKeys("F")).containsExactly(
                List.of("BALANCE#01", "BALANCE#02"),
                List.of("BALANCE#03", "BALANCE#04"), // fails, then 2 retries, then given up
                List.of("BALANCE#03", "BALANCE#04"),
                List.of("BALANCE#03", "BALANCE#04"),
                List.of("BALANCE#05"));
    }

    @Test
    void oneFailingFunctionDoesNotHoldUpAnother() throws Exception {
        put("WS#ws-1", "BALANCE#01", 1);
        put("WS#ws-1", "BALANCE#02", 2);
        StreamSubscription failing = new StreamSubscription("Failing", "E", 10, List.of(), false, "TRIM_HORIZON", -1);
        StreamSubscription healthy = new StreamSubscription("Healthy", "E", 10, List.of(), false, "TRIM_HORIZON", -1);
        Recorder recorder = new Recorder((function, records) -> {
            if (function.equals("Failing")) {
                throw new IllegalStateException("always down");
            }
            return null;
        });
        StreamPoller poller = start(List.of(failing, healthy), recorder);

        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (recorder.keys("Healthy").size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(recorder.keys("Healthy")).containsExactly("WS#ws-1|BALANCE#01", "WS#ws-1|BALANCE#02");
        assertThatThrownBy(() -> poller.drain(Duration.ofMillis(500)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Failing.E not drained")
                .hasMessageContaining("always down");
        assertThat(recorder.batches("Failing").size()).isGreaterThan(1);
    }

    @Test
    void aRestartResumesFromTheCheckpointWithoutRedeliveringOrMissing() throws Exception {
        put("WS#ws-1", "BALANCE#2026-09", 1); // before the first start: LATEST skips it, TRIM_HORIZON does not
        Recorder first = new Recorder();
        StreamPoller poller = start(List.of(THRESHOLDS, AUDIT), first);
        put("WS#ws-1", "BALANCE#2026-10", 2);
        put("WS#ws-1", "EXEC#run-1", 1);
        poller.drain(DRAIN);
        poller.close();
        assertThat(first.keys("ThresholdEvaluatorFunction")).containsExactly("WS#ws-1|BALANCE#2026-10");
        assertThat(first.keys("AuditFunction")).containsExactly(
                "WS#ws-1|BALANCE#2026-09", "WS#ws-1|BALANCE#2026-10", "WS#ws-1|EXEC#run-1");

        // Written while stopped: delivered after the restart, LATEST or not, as the position is the checkpoint's.
        put("WS#ws-1", "BALANCE#2026-11", 3);
        put("WS#ws-1", "EXEC#run-2", 1);
        JsonNode checkpoint = JSON.readTree(Files.readString(poller.checkpointFile()));
        assertThat(checkpoint.get("streamArn").asText()).isEqualTo(streamArn);
        assertThat(checkpoint.get("subscriptions").fieldNames()).toIterable()
                .containsExactly("ThresholdEvaluatorFunction.BalanceChanges", "AuditFunction.Everything");

        Recorder second = new Recorder();
        start(List.of(THRESHOLDS, AUDIT), second).drain(DRAIN);
        assertThat(second.keys("ThresholdEvaluatorFunction")).containsExactly("WS#ws-1|BALANCE#2026-11");
        assertThat(second.keys("AuditFunction")).containsExactly("WS#ws-1|BALANCE#2026-11", "WS#ws-1|EXEC#run-2");
    }

    @Test
    void aLatestSubscriptionRestartedBeforeItsFirstRecordMissesNothing() {
        put("WS#ws-1", "BALANCE#2026-09", 1);
        start(List.of(THRESHOLDS), new Recorder()).close();
        put("WS#ws-1", "BALANCE#2026-10", 2);

        Recorder recorder = new Recorder();
        start(List.of(THRESHOLDS), recorder).drain(DRAIN);
        assertThat(recorder.keys("ThresholdEvaluatorFunction")).containsExactly("WS#ws-1|BALANCE#2026-10");
    }

    @Test
    void theTemplateFactoryWiresTheMappingsAndCloseStopsPolling() {
        Recorder recorder = new Recorder();
        StreamPoller poller = StreamPoller.fromTemplate(TEMPLATE, streams, streamArn, recorder, checkpoints);
        pollers.add(poller);
        assertThat(poller.subscriptions()).containsExactly(THRESHOLDS, AUDIT);
        poller.start();
        poller.close();
        put("WS#ws-1", "BALANCE#2026-10", 2);
        assertThatThrownBy(() -> poller.drain(DRAIN)).hasMessageContaining("not running");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("stream-poller-")
                && t.getName().contains("ThresholdEvaluatorFunction") && t.isAlive());
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private StreamPoller start(List<StreamSubscription> subscriptions, Recorder recorder) {
        StreamPoller poller = new StreamPoller(subscriptions, streams, streamArn, recorder, checkpoints);
        pollers.add(poller);
        poller.start();
        return poller;
    }

    private void put(String pk, String sk, long used) {
        client.putItem(b -> b.tableName(table).item(Map.of("PK", s(pk), "SK", s(sk), "used", n(used))));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String sk(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb().getKeys().get("SK").getS();
    }

    /** A stand-in for LocalFunctions::invoke: keeps every batch each function got and answers as told. */
    private static final class Recorder implements BiFunction<String, Object, Object> {
        private record Delivery(String function, List<DynamodbEvent.DynamodbStreamRecord> records) {
        }

        private final List<Delivery> deliveries = new ArrayList<>();
        private final BiFunction<String, List<DynamodbEvent.DynamodbStreamRecord>, Object> behaviour;

        Recorder() {
            this((function, records) -> null);
        }

        Recorder(BiFunction<String, List<DynamodbEvent.DynamodbStreamRecord>, Object> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public Object apply(String function, Object event) {
            assertThat(event).isInstanceOf(DynamodbEvent.class);
            List<DynamodbEvent.DynamodbStreamRecord> records = ((DynamodbEvent) event).getRecords();
            synchronized (this) {
                deliveries.add(new Delivery(function, List.copyOf(records)));
            }
            return behaviour.apply(function, records);
        }

        synchronized List<List<DynamodbEvent.DynamodbStreamRecord>> batches(String function) {
            return deliveries.stream().filter(d -> d.function().equals(function)).map(Delivery::records).toList();
        }

        synchronized List<List<String>> batchesOfSortKeys(String function) {
            return batches(function).stream().map(batch -> batch.stream().map(StreamPollerIntegrationTest::sk).toList()).toList();
        }

        synchronized List<DynamodbEvent.DynamodbStreamRecord> records(String function) {
            return batches(function).stream().flatMap(List::stream).toList();
        }

        /** PK|SK of every record delivered to {@code function}, in delivery order. */
        synchronized List<String> keys(String function) {
            return records(function).stream()
                    .map(r -> r.getDynamodb().getKeys().get("PK").getS() + "|" + r.getDynamodb().getKeys().get("SK").getS())
                    .toList();
        }
    }
}
