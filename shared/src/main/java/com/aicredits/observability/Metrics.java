package com.aicredits.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON log line per event, which CloudWatch Logs turns into
 * metrics (no API call, no client, nothing to flush). Each line is also a log line of {@link Log}'s shape (level,
 * message, requestId, workspaceId, executionId), so a metric can be traced back to its request. Dimensions are kept
 * to a few values each (feature, reason, threshold): a workspace id as a dimension would make a metric per workspace.
 *
 * <p>Written with Jackson rather than the EMF library (aws-embedded-metrics, which Powertools' metrics build on):
 * the format is a documented JSON shape, and the library's first metric costs a cold start more (see README,
 * "Observability", and {@code make bench}).
 */
public final class Metrics {
    static final String DEFAULT_NAMESPACE = "aicredits";

    public static final String CREDITS_DEBITED = "CreditsDebited";
    public static final String DEBITS = "Debits";
    public static final String DEBITS_REFUSED = "DebitsRefused";
    public static final String DEBIT_REPLAYS = "DebitReplays";
    public static final String THRESHOLDS_FIRED = "ThresholdsFired";
    public static final String DEBIT_LATENCY = "DebitLatency";
    public static final String RESET_WORKSPACES = "ResetWorkspaces";
    public static final String RESET_POOLS = "ResetPools";
    public static final String EMAILS_PARKED = "EmailsParked";

    /**
     * Every metric the functions write, with the dimension sets it is written with: what template.yaml's alarms and
     * dashboard may name (a test reads the template and fails on anything else).
     */
    public static final Map<String, List<Set<String>>> CATALOG = Map.of(
            CREDITS_DEBITED, List.of(Set.of("Feature"), Set.of(), Set.of("Model")),
            DEBITS, List.of(Set.of("Feature"), Set.of(), Set.of("Model")),
            DEBIT_LATENCY, List.of(Set.of("Feature"), Set.of(), Set.of("Model")),
            DEBITS_REFUSED, List.of(Set.of("Reason")),
            DEBIT_REPLAYS, List.of(Set.of()),
            THRESHOLDS_FIRED, List.of(Set.of("Threshold")),
            RESET_WORKSPACES, List.of(Set.of("Outcome")),
            RESET_POOLS, List.of(Set.of("Outcome")),
            EMAILS_PARKED, List.of(Set.of()));

    private static final JsonFactory JSON = new JsonFactory();
    /** Set once by the composition root from the function's configuration (the metrics are written from static calls). */
    private static volatile String namespace = DEFAULT_NAMESPACE;

    private Metrics() {
    }

    /**
     * A new debit: its credits (0 for a free activity), one debit, and how long recording it took; by feature and
     * for all features together (a percentile cannot be summed across features afterwards).
     */
    public static void debited(String feature, BigDecimal credits, long latencyMillis) {
        debited(feature, "PLATFORM", credits, latencyMillis);
    }

    /** A new debit on {@code model} (PLATFORM or BYOS): as above, and by model too, on the same line. */
    public static void debited(String feature, String model, BigDecimal credits, long latencyMillis) {
        emit("debit recorded", List.of(List.of("Feature"), List.of(), List.of("Model")), Map.of("Feature", feature, "Model", model),
                Map.<String, Number>of(CREDITS_DEBITED, credits, DEBITS, 1L, DEBIT_LATENCY, latencyMillis));
    }

    /**
     * What one invocation of the monthly reset did: workspaces by outcome (opened, summary sent, failed, ...), and
     * organizations' credit pools by outcome (a pool's opening and its summary each count).
     */
    public static void resetProgress(String period, Map<String, Long> workspacesByOutcome, Map<String, Long> poolsByOutcome) {
        resetCounts(RESET_WORKSPACES, period, workspacesByOutcome);
        resetCounts(RESET_POOLS, period, poolsByOutcome);
    }

    private static void resetCounts(String metric, String period, Map<String, Long> byOutcome) {
        for (Map.Entry<String, Long> outcome : byOutcome.entrySet()) {
            if (outcome.getValue() > 0) {
                emit("reset progress", Map.of("Outcome", outcome.getKey()), false, Map.of(metric, outcome.getValue()), "period", period);
            }
        }
    }

    /** A debit refused for a reason the caller cannot fix by retrying at once (the hard limit, Cases disabled). */
    public static void refused(String reason) {
        emit("debit refused", Map.of("Reason", reason), false, Map.of(DEBITS_REFUSED, 1L));
    }

    /** An executionId recorded before, answered with its stored record. */
    public static void replayed() {
        emit("debit replayed", Map.of(), false, Map.of(DEBIT_REPLAYS, 1L));
    }

    /** An alert fired (once per workspace, period and threshold): {@code threshold} is "80", ... or "forecast". */
    public static void thresholdFired(String threshold, String period) {
        emit("alert fired", Map.of("Threshold", threshold), false, Map.of(THRESHOLDS_FIRED, 1L), "period", period);
    }

    /**
     * An email SES refuses for good (an address it will never take), parked instead of retried: {@code email} is
     * "alert" or "summary". No dimension: one alarm watches them all, the log line says which.
     */
    public static void emailParked(String email, String period, String reason) {
        emit("email parked", Map.of(), false, Map.of(EMAILS_PARKED, 1L), "email", email, "period", period, "reason", reason);
    }

    static String namespace() {
        return namespace;
    }

    /** The namespace every metric goes to from now on (the stack's, {@code METRICS_NAMESPACE}); null or blank: the default. */
    public static void useNamespace(String configured) {
        namespace = configured == null || configured.isBlank() ? DEFAULT_NAMESPACE : configured;
    }

    /**
     * One EMF line: one dimension set (possibly empty), and with {@code rollup} the empty set too; every metric a
     * Count but the latency (milliseconds).
     */
    static void emit(String message, Map<String, String> dimensions, boolean rollup, Map<String, ? extends Number> values,
                     Object... fields) {
        List<List<String>> sets = rollup && !dimensions.isEmpty()
                ? List.of(List.copyOf(dimensions.keySet()), List.of()) : List.of(List.copyOf(dimensions.keySet()));
        emit(message, sets, dimensions, values, fields);
    }

    /** One EMF line with these dimension sets, each naming keys of {@code dimensions}. */
    static void emit(String message, List<List<String>> dimensionSets, Map<String, String> dimensions,
                     Map<String, ? extends Number> values, Object... fields) {
        long now = System.currentTimeMillis();
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", now);
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", namespace());
            json.writeArrayFieldStart("Dimensions");
            for (List<String> set : dimensionSets) {
                json.writeStartArray();
                for (String dimension : set) {
                    json.writeString(dimension);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Metrics");
            for (String metric : values.keySet()) {
                json.writeStartObject();
                json.writeStringField("Name", metric);
                json.writeStringField("Unit", metric.equals(DEBIT_LATENCY) ? "Milliseconds" : "Count");
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(now).toString());
            json.writeStringField("level", Log.Level.INFO.name());
            json.writeStringField("message", message);
            Log.writeKeys(json, fields);
            for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
                json.writeStringField(dimension.getKey(), dimension.getValue());
            }
            for (Map.Entry<String, ? extends Number> value : values.entrySet()) {
                if (value.getValue() instanceof BigDecimal decimal) {
                    json.writeNumberField(value.getKey(), decimal); // credits: 0.25, or 12 as before fractions
                } else {
                    json.writeNumberField(value.getKey(), value.getValue().longValue());
                }
            }
            Log.writeFields(json, fields);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Log.emit(text.toString());
    }
}
