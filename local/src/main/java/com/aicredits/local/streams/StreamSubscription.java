package com.aicredits.local.streams;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB event source mapping of template.yaml: function {@code functionLogicalId}'s event
 * {@code eventName} of Type {@code DynamoDB} on the table's stream, with the settings the local poller honours.
 *
 * @param filters                 the mapping's {@code FilterCriteria}; a record is delivered when any matches (all
 *                                records when there is none)
 * @param startingPosition        {@code LATEST} or {@code TRIM_HORIZON}, used only when no checkpoint exists yet
 * @param maximumRetryAttempts    retries of a failing batch before its records are given up; -1 retries forever
 */
public record StreamSubscription(String functionLogicalId, String eventName, int batchSize, List<EventPattern> filters,
                                 boolean reportBatchItemFailures, String startingPosition, int maximumRetryAttempts) {
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** AWS retries until the records expire (-1); locally a bounded default keeps a broken function from spinning. */
    public static final int DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 10;
    private static final String FUNCTION = "AWS::Serverless::Function";

    public StreamSubscription {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException(functionLogicalId + "." + eventName + ": BatchSize must be 1..10000, got " + batchSize);
        }
        if (!startingPosition.equals("LATEST") && !startingPosition.equals("TRIM_HORIZON")) {
            throw new IllegalArgumentException(functionLogicalId + "." + eventName
                    + ": StartingPosition must be LATEST or TRIM_HORIZON for a DynamoDB stream, got " + startingPosition);
        }
        if (maximumRetryAttempts < -1) {
            throw new IllegalArgumentException(functionLogicalId + "." + eventName
                    + ": MaximumRetryAttempts must be -1 or more, got " + maximumRetryAttempts);
        }
        filters = List.copyOf(filters);
    }

    /**
     * Every enabled event of Type {@code DynamoDB} whose {@code Stream} is {@code !GetAtt <tableLogicalId>.StreamArn},
     * over every function of the template, in template order.
     */
    public static List<StreamSubscription> fromTemplate(CloudFormationTemplate template, String tableLogicalId) {
        List<StreamSubscription> subscriptions = new ArrayList<>();
        for (String function : template.resourcesOfType(FUNCTION).keySet()) {
            if (!(template.effectiveProperties(function).get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            events.forEach((name, event) -> {
                if (event instanceof Map<?, ?> e && "DynamoDB".equals(e.get("Type"))) {
                    Map<?, ?> properties = e.get("Properties") instanceof Map<?, ?> p ? p : Map.of();
                    if (isStreamOf(properties.get("Stream"), tableLogicalId) && !Boolean.FALSE.equals(properties.get("Enabled"))) {
                        subscriptions.add(fromProperties(function, String.valueOf(name), properties));
                    }
                }
            });
        }
        return List.copyOf(subscriptions);
    }

    /** {@code FunctionLogicalId.EventName}: how logs and the checkpoint file name this mapping. */
    public String id() {
        return functionLogicalId + "." + eventName;
    }

    /** Whether the mapping's filters let this record (in the Lambda JSON shape) through. */
    public boolean accepts(JsonNode record) {
        return filters.isEmpty() || EventPattern.matchesAny(filters, record);
    }

    private static StreamSubscription fromProperties(String function, String eventName, Map<?, ?> properties) {
        String where = function + ".Events." + eventName;
        List<EventPattern> filters = new ArrayList<>();
        if (properties.get("FilterCriteria") instanceof Map<?, ?> criteria && criteria.get("Filters") instanceof List<?> list) {
            for (Object filter : list) {
                if (!(filter instanceof Map<?, ?> f) || !(f.get("Pattern") instanceof String pattern)) {
                    throw new IllegalArgumentException(where + ": each FilterCriteria.Filters entry needs a Pattern string, got " + filter);
                }
                try {
                    filters.add(EventPattern.parse(pattern));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        boolean reportFailures = properties.get("FunctionResponseTypes") instanceof List<?> types
                && types.contains("ReportBatchItemFailures");
        Object start = properties.get("StartingPosition");
        if (start == null) {
            throw new IllegalArgumentException(where + ": StartingPosition is required (LATEST or TRIM_HORIZON)");
        }
        return new StreamSubscription(function, eventName,
                integer(properties.get("BatchSize"), DEFAULT_BATCH_SIZE, where + ".BatchSize"),
                filters, reportFailures, String.valueOf(start),
                integer(properties.get("MaximumRetryAttempts"), DEFAULT_MAXIMUM_RETRY_ATTEMPTS, where + ".MaximumRetryAttempts"));
    }

    /** {@code {"Fn::GetAtt": ["Table", "StreamArn"]}} or its one-string form {@code "Table.StreamArn"}. */
    private static boolean isStreamOf(Object stream, String tableLogicalId) {
        if (!(stream instanceof Map<?, ?> intrinsic) || intrinsic.size() != 1) {
            return false;
        }
        Object getAtt = intrinsic.get("Fn::GetAtt");
        if (getAtt instanceof List<?> parts) {
            return parts.equals(List.of(tableLogicalId, "StreamArn"));
        }
        return (tableLogicalId + ".StreamArn").equals(getAtt);
    }

    private static int integer(Object value, int fallback, String where) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a whole number, got " + value, e);
        }
    }
}
