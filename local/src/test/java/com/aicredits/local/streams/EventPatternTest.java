package com.aicredits.local.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The EventBridge pattern grammar of Lambda filter criteria, case by case. */
class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The filter the threshold evaluator's mapping declares: only balance items. */
    private static final String BALANCE_FILTER = """
            {"dynamodb": {"Keys": {"SK": {"S": [{"prefix": "BALANCE#"}]}}}}""";

    /** A stream record exactly as Lambda delivers it (one element of the event's Records). */
    private static final String BALANCE_RECORD = """
            {
              "eventID": "8c4a1d1f6b2e4f0a9d3c5b7e1a2f4c6d",
              "eventName": "MODIFY",
              "eventVersion": "1.1",
              "eventSource": "aws:dynamodb",
              "awsRegion": "us-east-1",
              "dynamodb": {
                "ApproximateCreationDateTime": 1795601729,
                "Keys": {"PK": {"S": "WS#ws-acme-prod"}, "SK": {"S": "BALANCE#2026-11"}},
                "NewImage": {"PK": {"S": "WS#ws-acme-prod"}, "SK": {"S": "BALANCE#2026-11"},
                             "used": {"N": "4100"}, "baseCredits": {"N": "5000"}, "casesEnabled": {"BOOL": true}},
                "OldImage": {"PK": {"S": "WS#ws-acme-prod"}, "SK": {"S": "BALANCE#2026-11"},
                             "used": {"N": "3950"}, "baseCredits": {"N": "5000"}, "casesEnabled": {"BOOL": true}},
                "SequenceNumber": "000000000000000000123",
                "SizeBytes": 211,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
              },
              "eventSourceARN": "arn:aws:dynamodb:us-east-1:000000000000:table/aicredits-local/stream/2026-11-01T00:00:00.000"
            }""";

    /** A new usage record: an INSERT, so without an OldImage. */
    private static final String USAGE_RECORD = withoutOldImage(BALANCE_RECORD
            .replace("\"eventName\": \"MODIFY\"", "\"eventName\": \"INSERT\"")
            .replace("BALANCE#2026-11", "EXEC#wf-7f3a9c:step-4"));

    private static final String EVENT = """
            {"source": "aws.events", "detail-type": "Scheduled Event", "count": 5, "ratio": 0.25,
             "flag": true, "nothing": null, "empty": "", "tags": ["red", "green"], "ports": [22, 443],
             "nested": {"name": "Alpha-Beta", "items": [{"kind": "a", "n": 1}, {"kind": "b", "n": 2}]},
             "path": "logs/2026/app.log", "star": "a*b", "ip": "10.0.0.1"}""";

    static Stream<Arguments> cases() {
        return Stream.of(
                // the mapping filter, on real-shape stream records
                Arguments.of(BALANCE_FILTER, BALANCE_RECORD, true),
                Arguments.of(BALANCE_FILTER, USAGE_RECORD, false),
                Arguments.of(BALANCE_FILTER, "{}", false),
                Arguments.of("{\"eventName\": [\"INSERT\", \"MODIFY\"]}", BALANCE_RECORD, true),
                Arguments.of("{\"eventName\": [\"REMOVE\"]}", BALANCE_RECORD, false),
                Arguments.of("{\"dynamodb\": {\"NewImage\": {\"used\": {\"N\": [\"4100\"]}}}}", BALANCE_RECORD, true),
                // a DynamoDB number is a string in the event: numeric does not match it, as on AWS
                Arguments.of("{\"dynamodb\": {\"NewImage\": {\"used\": {\"N\": [{\"numeric\": [\">\", 0]}]}}}}", BALANCE_RECORD, false),
                Arguments.of("{\"dynamodb\": {\"OldImage\": {\"SK\": {\"S\": [{\"exists\": true}]}}}}", BALANCE_RECORD, true),
                Arguments.of("{\"dynamodb\": {\"OldImage\": {\"SK\": {\"S\": [{\"exists\": false}]}}}}", USAGE_RECORD, true),
                Arguments.of("{\"dynamodb\": {\"OldImage\": {\"SK\": {\"S\": [{\"exists\": false}]}}}}", BALANCE_RECORD, false),
                Arguments.of("{\"dynamodb\": {\"NewImage\": {\"casesEnabled\": {\"BOOL\": [true]}}}}", BALANCE_RECORD, true),
                // exact values
                Arguments.of("{}", EVENT, true),
                Arguments.of("{\"source\": [\"aws.events\"]}", EVENT, true),
                Arguments.of("{\"source\": [\"aws.EVENTS\"]}", EVENT, false),
                Arguments.of("{\"source\": [\"other\", \"aws.events\"]}", EVENT, true),
                Arguments.of("{\"source\": [\"aws.events\"], \"detail-type\": [\"Other\"]}", EVENT, false),
                Arguments.of("{\"count\": [5]}", EVENT, true),
                Arguments.of("{\"count\": [5.0]}", EVENT, true),
                Arguments.of("{\"count\": [\"5\"]}", EVENT, false),
                Arguments.of("{\"flag\": [true]}", EVENT, true),
                Arguments.of("{\"flag\": [false]}", EVENT, false),
                Arguments.of("{\"nothing\": [null]}", EVENT, true),
                Arguments.of("{\"missing\": [null]}", EVENT, false),
                Arguments.of("{\"empty\": [\"\"]}", EVENT, true),
                Arguments.of("{\"nested\": {\"name\": [\"Alpha-Beta\"]}}", EVENT, true),
                Arguments.of("{\"nested\": {\"name\": [\"alpha-beta\"]}}", EVENT, false),
                Arguments.of("{\"nested\": [\"Alpha-Beta\"]}", EVENT, false),
                // arrays in the event: any element
                Arguments.of("{\"tags\": [\"green\"]}", EVENT, true),
                Arguments.of("{\"tags\": [\"blue\"]}", EVENT, false),
                Arguments.of("{\"ports\": [{\"numeric\": [\">\", 400]}]}", EVENT, true),
                Arguments.of("{\"nested\": {\"items\": {\"kind\": [\"b\"]}}}", EVENT, true),
                Arguments.of("{\"nested\": {\"items\": {\"kind\": [\"c\"]}}}", EVENT, false),
                // prefix, suffix, equals-ignore-case
                Arguments.of("{\"source\": [{\"prefix\": \"aws.\"}]}", EVENT, true),
                Arguments.of("{\"source\": [{\"prefix\": \"AWS.\"}]}", EVENT, false),
                Arguments.of("{\"source\": [{\"prefix\": {\"equals-ignore-case\": \"AWS.\"}}]}", EVENT, true),
                Arguments.of("{\"count\": [{\"prefix\": \"5\"}]}", EVENT, false),
                Arguments.of("{\"path\": [{\"suffix\": \".log\"}]}", EVENT, true),
                Arguments.of("{\"path\": [{\"suffix\": \".txt\"}]}", EVENT, false),
                Arguments.of("{\"path\": [{\"suffix\": {\"equals-ignore-case\": \".LOG\"}}]}", EVENT, true),
                Arguments.of("{\"empty\": [{\"suffix\": \"x\"}]}", EVENT, false),
                Arguments.of("{\"detail-type\": [{\"equals-ignore-case\": \"scheduled EVENT\"}]}", EVENT, true),
                Arguments.of("{\"detail-type\": [{\"equals-ignore-case\": \"scheduled\"}]}", EVENT, false),
                // anything-but
                Arguments.of("{\"source\": [{\"anything-but\": \"aws.ec2\"}]}", EVENT, true),
                Arguments.of("{\"source\": [{\"anything-but\": \"aws.events\"}]}", EVENT, false),
                Arguments.of("{\"source\": [{\"anything-but\": [\"aws.ec2\", \"aws.events\"]}]}", EVENT, false),
                Arguments.of("{\"count\": [{\"anything-but\": [1, 2]}]}", EVENT, true),
                Arguments.of("{\"count\": [{\"anything-but\": 5}]}", EVENT, false),
                Arguments.of("{\"source\": [{\"anything-but\": {\"prefix\": \"aws.\"}}]}", EVENT, false),
                Arguments.of("{\"source\": [{\"anything-but\": {\"prefix\": \"custom.\"}}]}", EVENT, true),
                Arguments.of("{\"path\": [{\"anything-but\": {\"suffix\": \".log\"}}]}", EVENT, false),
                Arguments.of("{\"source\": [{\"anything-but\": {\"equals-ignore-case\": [\"AWS.EVENTS\"]}}]}", EVENT, false),
                Arguments.of("{\"path\": [{\"anything-but\": {\"wildcard\": \"logs/*\"}}]}", EVENT, false),
                Arguments.of("{\"missing\": [{\"anything-but\": \"x\"}]}", EVENT, false),
                Arguments.of("{\"tags\": [{\"anything-but\": \"red\"}]}", EVENT, true),
                // numeric
                Arguments.of("{\"count\": [{\"numeric\": [\">\", 0, \"<=\", 5]}]}", EVENT, true),
                Arguments.of("{\"count\": [{\"numeric\": [\">\", 0, \"<\", 5]}]}", EVENT, false),
                Arguments.of("{\"count\": [{\"numeric\": [\"=\", 5]}]}", EVENT, true),
                Arguments.of("{\"count\": [{\"numeric\": [\">=\", 5.5]}]}", EVENT, false),
                Arguments.of("{\"ratio\": [{\"numeric\": [\"<\", 0.3]}]}", EVENT, true),
                Arguments.of("{\"source\": [{\"numeric\": [\">\", 0]}]}", EVENT, false),
                Arguments.of("{\"missing\": [{\"numeric\": [\">\", 0]}]}", EVENT, false),
                // exists
                Arguments.of("{\"source\": [{\"exists\": true}]}", EVENT, true),
                Arguments.of("{\"source\": [{\"exists\": false}]}", EVENT, false),
                Arguments.of("{\"missing\": [{\"exists\": false}]}", EVENT, true),
                Arguments.of("{\"missing\": [{\"exists\": true}]}", EVENT, false),
                Arguments.of("{\"nothing\": [{\"exists\": true}]}", EVENT, true),
                Arguments.of("{\"missing\": {\"deeper\": [{\"exists\": false}]}}", EVENT, true),
                Arguments.of("{\"missing\": {\"deeper\": [{\"exists\": true}]}}", EVENT, false),
                // exists only looks at leaves, as in EventBridge
                Arguments.of("{\"nested\": [{\"exists\": true}]}", EVENT, false),
                Arguments.of("{\"missing\": [\"x\", {\"exists\": false}]}", EVENT, true),
                // wildcard
                Arguments.of("{\"path\": [{\"wildcard\": \"logs/*/app.log\"}]}", EVENT, true),
                Arguments.of("{\"path\": [{\"wildcard\": \"logs/*.txt\"}]}", EVENT, false),
                Arguments.of("{\"path\": [{\"wildcard\": \"*\"}]}", EVENT, true),
                Arguments.of("{\"ip\": [{\"wildcard\": \"10.0.*\"}]}", EVENT, true),
                Arguments.of("{\"ip\": [{\"wildcard\": \"10?0.*\"}]}", EVENT, false),
                Arguments.of("{\"star\": [{\"wildcard\": \"a\\\\*b\"}]}", EVENT, true),
                Arguments.of("{\"path\": [{\"wildcard\": \"a\\\\*b\"}]}", EVENT, false),
                // $or, at the top and nested
                Arguments.of("{\"$or\": [{\"source\": [\"x\"]}, {\"count\": [5]}]}", EVENT, true),
                Arguments.of("{\"$or\": [{\"source\": [\"x\"]}, {\"count\": [6]}]}", EVENT, false),
                Arguments.of("{\"flag\": [true], \"$or\": [{\"source\": [\"x\"]}, {\"count\": [5]}]}", EVENT, true),
                Arguments.of("{\"flag\": [false], \"$or\": [{\"source\": [\"x\"]}, {\"count\": [5]}]}", EVENT, false),
                Arguments.of("{\"nested\": {\"$or\": [{\"name\": [\"x\"]}, {\"name\": [{\"prefix\": \"Alpha\"}]}]}}", EVENT, true),
                Arguments.of("{\"$or\": [{\"missing\": [{\"exists\": true}]}, {\"$or\": [{\"tags\": [\"red\"]}, {\"x\": [1]}]}]}",
                        EVENT, true));
    }

    private static String withoutOldImage(String record) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(record);
            ((ObjectNode) tree.get("dynamodb")).remove("OldImage");
            return tree.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("cases")
    void matchesAsEventBridgeDoes(String pattern, String event, boolean expected) throws Exception {
        assertThat(EventPattern.parse(pattern).matches(JSON.readTree(event))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[]",
            "\"source\"",
            "{\"source\": \"aws.events\"}",
            "{\"source\": []}",
            "{\"source\": [{\"cidr\": \"10.0.0.0/24\"}]}",
            "{\"source\": [{\"prefix\": 1}]}",
            "{\"source\": [{\"prefix\": \"a\", \"suffix\": \"b\"}]}",
            "{\"count\": [{\"numeric\": [\">\", \"1\"]}]}",
            "{\"count\": [{\"numeric\": [\"!=\", 1]}]}",
            "{\"count\": [{\"numeric\": [\">\"]}]}",
            "{\"count\": [{\"numeric\": [\"=\", 1, \"<\", 2]}]}",
            "{\"source\": [{\"exists\": \"yes\"}]}",
            "{\"source\": [{\"wildcard\": \"a**b\"}]}",
            "{\"source\": [{\"wildcard\": \"a\\\\b\"}]}",
            "{\"source\": [{\"anything-but\": {\"numeric\": [\">\", 1]}}]}",
            "{\"source\": [{\"anything-but\": []}]}",
            "{\"$or\": {\"source\": [\"x\"]}}",
            "{\"$or\": [\"x\"]}",
            "{not json"})
    void refusesWhatIsNotInTheGrammar(String pattern) {
        assertThatThrownBy(() -> EventPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event pattern");
    }

    @Test
    void namesTheFieldAndOperatorItRefuses() {
        assertThatThrownBy(() -> EventPattern.parse("{\"detail\": {\"ip\": [{\"cidr\": \"10.0.0.0/24\"}]}}"))
                .hasMessageContaining("'detail.ip'")
                .hasMessageContaining("unsupported filter operator 'cidr'");
    }

    @Test
    void aMappingMatchesARecordWhenAnyOfItsFiltersDoes() throws Exception {
        JsonNode record = JSON.readTree(USAGE_RECORD);
        EventPattern balances = EventPattern.parse(BALANCE_FILTER);
        EventPattern inserts = EventPattern.parse("{\"eventName\": [\"INSERT\"]}");
        assertThat(EventPattern.matchesAny(List.of(balances), record)).isFalse();
        assertThat(EventPattern.matchesAny(List.of(balances, inserts), record)).isTrue();
        assertThat(EventPattern.matchesAny(List.of(), record)).isFalse();
    }

    @Test
    void equalPatternsAreEqualAndPrintAsJson() {
        assertThat(EventPattern.parse(BALANCE_FILTER)).isEqualTo(EventPattern.parse(BALANCE_FILTER.replace(" ", "")));
        assertThat(EventPattern.parse(BALANCE_FILTER)).hasToString(
                "{\"dynamodb\":{\"Keys\":{\"SK\":{\"S\":[{\"prefix\":\"BALANCE#\"}]}}}}");
    }
}
