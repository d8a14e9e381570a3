package com.aicredits.local.streams;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/** DynamoDB stream records in the shape Lambda delivers them: the JSON the filters see and the event a function gets. */
final class LambdaStreamEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The serializer the Lambda Java runtime itself uses to turn the JSON event into a DynamodbEvent. */
    private static final PojoSerializer<DynamodbEvent> EVENTS =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, LambdaStreamEvents.class.getClassLoader());

    /** Null when the client has no region: each record's own then. */
    private final String region;
    private final String streamArn;

    LambdaStreamEvents(String region, String streamArn) {
        this.region = region;
        this.streamArn = streamArn;
    }

    /** A stream record as Lambda puts it into {@code Records}: the JSON the filters see and the function receives. */
    ObjectNode record(Record record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("eventID", record.eventID());
        json.put("eventName", record.eventNameAsString());
        json.put("eventVersion", record.eventVersion());
        json.put("eventSource", "aws:dynamodb");
        json.put("awsRegion", region != null ? region : record.awsRegion());
        StreamRecord data = record.dynamodb();
        ObjectNode dynamodb = json.putObject("dynamodb");
        if (data.approximateCreationDateTime() != null) {
            // Lambda sends whole epoch seconds here.
            dynamodb.put("ApproximateCreationDateTime", data.approximateCreationDateTime().getEpochSecond());
        }
        putImage(dynamodb, "Keys", data.keys(), data.hasKeys());
        putImage(dynamodb, "NewImage", data.newImage(), data.hasNewImage());
        putImage(dynamodb, "OldImage", data.oldImage(), data.hasOldImage());
        dynamodb.put("SequenceNumber", data.sequenceNumber());
        if (data.sizeBytes() != null) {
            dynamodb.put("SizeBytes", data.sizeBytes());
        }
        dynamodb.put("StreamViewType", data.streamViewTypeAsString());
        if (record.userIdentity() != null) {
            // Set on deletions by time to live.
            json.putObject("userIdentity").put("type", record.userIdentity().type())
                    .put("principalId", record.userIdentity().principalId());
        }
        json.put("eventSourceARN", streamArn);
        return json;
    }

    private static void putImage(ObjectNode parent, String name, Map<String, AttributeValue> image, boolean present) {
        if (present) {
            ObjectNode node = parent.putObject(name);
            image.forEach((attribute, value) -> node.set(attribute, attributeJson(value)));
        }
    }

    /** DynamoDB's JSON for one attribute value: {@code {"S": "..."}}, {@code {"N": "12"}}, {@code {"M": {...}}}, ... */
    private static JsonNode attributeJson(AttributeValue value) {
        ObjectNode json = JSON.createObjectNode();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", base64(value.b()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", true);
            case SS -> value.ss().forEach(json.putArray("SS")::add);
            case NS -> value.ns().forEach(json.putArray("NS")::add);
            case BS -> value.bs().forEach(b -> json.withArray("BS").add(base64(b)));
            case M -> {
                ObjectNode map = json.putObject("M");
                value.m().forEach((key, inner) -> map.set(key, attributeJson(inner)));
            }
            case L -> {
                ArrayNode list = json.putArray("L");
                value.l().forEach(inner -> list.add(attributeJson(inner)));
            }
            default -> throw new IllegalStateException("unknown DynamoDB attribute type in " + value);
        }
        return json;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }

    /** The event a function receives for {@code batch}, exactly as the Lambda runtime deserializes it. */
    static DynamodbEvent event(List<ShardState.PendingRecord> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(record -> records.add(record.json()));
        return EVENTS.fromJson(event.toString());
    }
}
