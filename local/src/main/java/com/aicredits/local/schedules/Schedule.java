package com.aicredits.local.schedules;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One scheduled event of a function in template.yaml (Type {@code Schedule} or {@code ScheduleV2}), and the event it
 * delivers.
 *
 * @param input   the JSON the target receives instead of the event (always used for ScheduleV2); null for none
 * @param enabled false when the template disables it: it then fires only through {@link Schedules#fire}
 */
public record Schedule(String functionLogicalId, String eventName, String type, ScheduleExpression expression, String ruleName,
                       String input, boolean enabled) {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The serializer the Lambda Java runtime itself uses to turn the JSON event into a ScheduledEvent. */
    private static final PojoSerializer<ScheduledEvent> EVENTS =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, Schedule.class.getClassLoader());

    /** Every Schedule and ScheduleV2 event of every function in {@code template}, in template order. */
    static List<Schedule> fromTemplate(CloudFormationTemplate template) {
        List<Schedule> schedules = new ArrayList<>();
        for (String function : template.resourcesOfType(FUNCTION).keySet()) {
            if (!(template.effectiveProperties(function).get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            events.forEach((name, event) -> {
                if (event instanceof Map<?, ?> e && ("Schedule".equals(e.get("Type")) || "ScheduleV2".equals(e.get("Type")))) {
                    Map<?, ?> properties = e.get("Properties") instanceof Map<?, ?> p ? p : Map.of();
                    schedules.add(schedule(function, String.valueOf(name), String.valueOf(e.get("Type")), properties));
                }
            });
        }
        return List.copyOf(schedules);
    }

    private static Schedule schedule(String function, String eventName, String type, Map<?, ?> properties) {
        String where = function + ".Events." + eventName;
        boolean v2 = type.equals("ScheduleV2");
        Object expression = properties.get(v2 ? "ScheduleExpression" : "Schedule");
        if (!(expression instanceof String text)) {
            throw new IllegalArgumentException(where + ": " + (v2 ? "ScheduleExpression" : "Schedule") + " must be a string, got " + expression);
        }
        ZoneId zone = ZoneOffset.UTC;
        if (v2 && properties.get("ScheduleExpressionTimezone") instanceof String timezone) {
            try {
                zone = ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(where + ": unknown ScheduleExpressionTimezone " + timezone, e);
            }
        }
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.parse(text, zone, v2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Object input = properties.get("Input");
        if (input != null && !(input instanceof String)) {
            throw new IllegalArgumentException(where + ": Input must be a JSON string, got " + input);
        }
        if (input != null) {
            try {
                JSON.readTree((String) input);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + ": Input is not valid JSON: " + input, e);
            }
        }
        boolean enabled = !Boolean.FALSE.equals(properties.get("Enabled")) && !"DISABLED".equals(properties.get("State"));
        String ruleName = properties.get("Name") instanceof String name ? name : function + eventName;
        return new Schedule(function, eventName, type, parsed, ruleName, (String) input, enabled);
    }

    /** What the target receives: the Input when there is one (always for ScheduleV2), else a ScheduledEvent. */
    Object event(Instant at) {
        try {
            if (input != null || type.equals("ScheduleV2")) {
                return JSON.readValue(input == null ? "{}" : input, Object.class);
            }
            ObjectNode event = JSON.createObjectNode();
            event.put("version", "0");
            event.put("id", UUID.randomUUID().toString());
            event.put("detail-type", "Scheduled Event");
            event.put("source", "aws.events");
            event.put("account", ACCOUNT);
            event.put("time", at.toString());
            event.put("region", REGION);
            event.putArray("resources").add("arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + ruleName);
            event.putObject("detail");
            return EVENTS.fromJson(event.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Input of " + functionLogicalId + " is not JSON", e);
        }
    }
}
