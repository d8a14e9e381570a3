package com.aicredits.testkit;

import com.aicredits.observability.Log;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The log lines the code under test writes (instead of standard output) while open, parsed; and the check of an
 * Embedded Metric Format line against the format's specification (the {@code _aws} metadata, every dimension and
 * metric present as a top-level member of the right type).
 */
public final class LogLines implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AutoCloseable capture;

    private LogLines() {
        this.capture = Log.capture(lines::add);
    }

    public static LogLines capture() {
        return new LogLines();
    }

    /** Every line so far, each parsed as the one JSON object it must be. */
    public List<JsonNode> all() {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            if (line.contains("\n")) {
                throw new AssertionError("a log line must be one line (one CloudWatch event): " + line);
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (!node.isObject()) {
                    throw new AssertionError("not a JSON object: " + line);
                }
                parsed.add(node);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return parsed;
    }

    /** The EMF lines that publish {@code metric}, each checked against the format. */
    public List<JsonNode> metric(String metric) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode line : all()) {
            if (line.has("_aws")) {
                checkEmf(line);
                for (JsonNode directive : line.get("_aws").get("CloudWatchMetrics")) {
                    for (JsonNode definition : directive.get("Metrics")) {
                        if (definition.get("Name").asText().equals(metric)) {
                            found.add(line);
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * Checks one line against the Embedded Metric Format specification: {@code _aws.Timestamp} (epoch milliseconds),
     * {@code _aws.CloudWatchMetrics} directives, each with a Namespace, Dimensions (arrays of at most 30 member names,
     * each a top-level string) and Metrics (Name and Unit, each a top-level number).
     */
    public static void checkEmf(JsonNode line) {
        JsonNode aws = line.get("_aws");
        require(aws != null && aws.isObject(), "_aws is an object", line);
        require(aws.path("Timestamp").isIntegralNumber(), "_aws.Timestamp is epoch milliseconds", line);
        JsonNode directives = aws.path("CloudWatchMetrics");
        require(directives.isArray() && !directives.isEmpty(), "_aws.CloudWatchMetrics is a non-empty array", line);
        for (JsonNode directive : directives) {
            require(directive.path("Namespace").isTextual() && !directive.path("Namespace").asText().isBlank(),
                    "each directive has a Namespace", line);
            require(directive.path("Dimensions").isArray(), "each directive has Dimensions", line);
            for (JsonNode set : directive.get("Dimensions")) {
                require(set.isArray() && set.size() <= 30, "a dimension set is an array of at most 30 names", line);
                for (JsonNode name : set) {
                    require(line.path(name.asText()).isTextual(), "dimension " + name + " is a top-level string", line);
                }
            }
            require(directive.path("Metrics").isArray() && !directive.get("Metrics").isEmpty(), "each directive has Metrics", line);
            for (JsonNode metric : directive.get("Metrics")) {
                String name = metric.path("Name").asText();
                require(!name.isEmpty(), "each metric has a Name", line);
                require(Set.of("Count", "Seconds", "Milliseconds", "Bytes", "None").contains(metric.path("Unit").asText("None")),
                        "metric " + name + " has a known Unit", line);
                require(line.path(name).isNumber(), "metric " + name + " is a top-level number", line);
            }
        }
    }

    private static void require(boolean condition, String what, JsonNode line) {
        if (!condition) {
            throw new AssertionError("not an EMF line (" + what + "): " + line);
        }
    }

    @Override
    public void close() {
        try {
            capture.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
