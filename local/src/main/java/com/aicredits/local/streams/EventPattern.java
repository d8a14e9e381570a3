package com.aicredits.local.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * One pattern of a Lambda event-source-mapping's {@code FilterCriteria}, matched against a JSON event by AWS's own
 * EventBridge pattern library, event-ruler. This class only narrows event-ruler's grammar to the operators Lambda
 * accepts in filters (so e.g. {@code cidr} is refused when parsed rather than working locally and failing on AWS)
 * and names the offending field when a pattern is refused.
 *
 * <p>The local stream poller drops the records a mapping's filters do not match, as Lambda does, so a function sees
 * locally exactly the records it will see on AWS.
 */
public final class EventPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE = "pattern";
    /** Lambda's filter operators (its "Filter rule syntax"); event-ruler knows more (cidr, ...), Lambda refuses them. */
    private static final List<String> LAMBDA_OPERATORS =
            List.of("prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "wildcard");

    private final JsonNode source;
    /** Null for the empty pattern, which matches every event. */
    private final Machine machine;

    private EventPattern(JsonNode source, Machine machine) {
        this.source = source;
        this.machine = machine;
    }

    /** Parses a pattern; IllegalArgumentException, naming the offending part, if it is not valid. */
    public static EventPattern parse(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event pattern is not valid JSON: " + e.getOriginalMessage() + " in " + json, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("event pattern must be a JSON object: " + json);
        }
        refuseWhatLambdaRefuses(tree, "");
        if (tree.isEmpty()) {
            return new EventPattern(tree, null); // event-ruler refuses an empty pattern; Lambda lets every record through
        }
        Machine machine = new Machine();
        try {
            machine.addRule(RULE, tree.toString());
        } catch (Exception e) { // event-ruler reports a bad pattern as IOException or IllegalArgumentException
            throw new IllegalArgumentException("event pattern " + json + " is not valid: " + e.getMessage(), e);
        }
        return new EventPattern(tree, machine);
    }

    /** Whether {@code event} matches this pattern. */
    public boolean matches(JsonNode event) {
        return machine == null || !machine.rulesForJSONEvent(event != null && event.isObject() ? event : JSON.createObjectNode()).isEmpty();
    }

    /** Whether any of {@code patterns} matches: how Lambda combines a mapping's filters. */
    public static boolean matchesAny(List<EventPattern> patterns, JsonNode event) {
        return patterns.stream().anyMatch(pattern -> pattern.matches(event));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventPattern that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** The pattern as JSON. */
    @Override
    public String toString() {
        return source.toString();
    }

    /**
     * What event-ruler would accept but Lambda refuses: operators outside Lambda's list, and a {@code $or} that is not
     * an array of patterns (event-ruler takes it for a field named "$or").
     */
    private static void refuseWhatLambdaRefuses(JsonNode pattern, String path) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            String where = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().equals("$or")) {
                if (!value.isArray() || value.isEmpty() || !value.valueStream().allMatch(JsonNode::isObject)) {
                    throw new IllegalArgumentException("event pattern field '" + where + "' must be a non-empty array of patterns: " + value);
                }
                value.forEach(alternative -> refuseWhatLambdaRefuses(alternative, path));
            } else if (value.isObject()) {
                refuseWhatLambdaRefuses(value, where);
            } else if (value.isArray()) {
                for (JsonNode filter : value) {
                    if (filter.isObject() && filter.size() == 1 && !LAMBDA_OPERATORS.contains(filter.fieldNames().next())) {
                        throw new IllegalArgumentException("event pattern field '" + where + "' unsupported filter operator '"
                                + filter.fieldNames().next() + "' (supported: " + String.join(", ", LAMBDA_OPERATORS)
                                + "): " + filter);
                    }
                }
            }
        }
    }
}
