package com.aicredits.system.template;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.app.Configuration;
import com.aicredits.domain.Feature;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.json.Json;
import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.observability.Metrics;
import com.aicredits.service.ResetProgress;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's alarms and dashboard name only metrics that exist: ours as the code writes them (namespace,
 * metric, dimension set and values, from {@link Metrics#CATALOG}), or AWS's own for a resource of this template
 * (the resource must exist and be of the right type). Every alarm notifies the alarm topic, says what to do first, and
 * chooses how missing data counts; docs/operations.md's alarm table lists exactly the template's alarms.
 */
class TemplateOperationsTest {
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(CloudFormationTemplate.find());
    private static final String OUR_NAMESPACE = "aicredits/${Stage}";

    /** AWS's metrics we may name, by namespace: metric names, and each dimension with the resource type it names. */
    private static final Map<String, Set<String>> AWS_METRICS = Map.of(
            "AWS/Lambda", Set.of("Errors", "Duration", "IteratorAge", "Invocations", "Throttles"),
            "AWS/DynamoDB", Set.of("ReadThrottleEvents", "WriteThrottleEvents", "TransactionConflict",
                    "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"),
            "AWS/SQS", Set.of("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"),
            "AWS/SES", Set.of("Reputation.BounceRate", "Reputation.ComplaintRate"),
            "AWS/ApiGateway", Set.of("Count", "4xx", "5xx", "Latency", "IntegrationLatency"));
    private static final Map<String, List<Set<String>>> AWS_DIMENSION_SETS = Map.of(
            "AWS/Lambda", List.of(Set.of("FunctionName")),
            "AWS/DynamoDB", List.of(Set.of("TableName"), Set.of("TableName", "GlobalSecondaryIndexName")),
            "AWS/SQS", List.of(Set.of("QueueName")),
            "AWS/SES", List.of(Set.of()),
            "AWS/ApiGateway", List.of(Set.of("ApiId"), Set.of("ApiId", "Stage"), Set.of("ApiId", "Stage", "Route")));

    /** A metric as an alarm or a widget names it; dimension values as the template writes them (a Ref, a string). */
    private record MetricUse(String where, Object namespace, String name, Map<String, Object> dimensions) {
    }

    @Test
    void everyAlarmAndWidgetNamesAMetricThatIsWrittenForAResourceThatExists() throws Exception {
        List<MetricUse> uses = new ArrayList<>();
        TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm").keySet().forEach(id -> uses.addAll(alarmMetrics(id)));
        uses.addAll(dashboardMetrics());

        assertThat(uses).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        for (MetricUse use : uses) {
            problems.addAll(check(use));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyAlarmNotifiesTheTopicSaysWhatToDoFirstAndChoosesMissingData() {
        Map<String, Map<String, Object>> alarms = TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSizeGreaterThanOrEqualTo(12);
        for (Map.Entry<String, Map<String, Object>> alarm : alarms.entrySet()) {
            Map<String, Object> properties = TEMPLATE.effectiveProperties(alarm.getKey());
            assertThat(properties.get("AlarmActions")).as(alarm.getKey()).isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
            assertThat(String.valueOf(properties.get("AlarmDescription"))).as(alarm.getKey()).contains("First:");
            assertThat(properties.get("TreatMissingData")).as(alarm.getKey()).isIn("notBreaching", "breaching", "ignore", "missing");
        }
        assertThat(TEMPLATE.resource("AlarmTopic").get("Type")).isEqualTo("AWS::SNS::Topic");
        assertThat(TEMPLATE.resource("AlarmEmailSubscription").get("Condition")).isEqualTo("HasAlarmEmail");
    }

    @Test
    void theOperationsDocsAlarmTableListsExactlyTheTemplatesAlarms() throws Exception {
        String readme = Files.readString(TEMPLATE.path().orElseThrow().getParent().resolve("docs").resolve("operations.md"));
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+Alarm)` \\|").matcher(readme);
        Set<String> listed = new HashSet<>();
        while (row.find()) {
            listed.add(row.group(1));
        }
        assertThat(listed).isEqualTo(TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm").keySet());
    }

    /**
     * Issue 28: contention is retried within a budget of time, which must end well before the function's timeout (the
     * last DynamoDB call and the answer need their time: 5 s at least), so a busy workspace answers 503 rather than
     * time out with the work in doubt.
     */
    @Test
    void everyFunctionsRetryBudgetEndsWellBeforeItsTimeout() {
        for (String function : TEMPLATE.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Map<String, Object> properties = TEMPLATE.effectiveProperties(function);
            long timeoutMillis = ((Number) properties.get("Timeout")).longValue() * 1_000;
            Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) properties.get("Environment")).get("Variables");
            long budget = Long.parseLong(String.valueOf(variables.get(Configuration.RETRY_BUDGET)));
            assertThat(budget).as(function).isPositive().isLessThanOrEqualTo(timeoutMillis - 5_000);
        }
    }

    @Test
    void theApiThrottlesAtTheEdgeAndFunctionsAreTraced() {
        @SuppressWarnings("unchecked")
        Map<String, Object> routeSettings = (Map<String, Object>) TEMPLATE.effectiveProperties("HttpApi").get("DefaultRouteSettings");
        assertThat(routeSettings).containsEntry("ThrottlingRateLimit", Map.of("Ref", "ApiThrottlingRateLimit"))
                .containsEntry("ThrottlingBurstLimit", Map.of("Ref", "ApiThrottlingBurstLimit"))
                .containsEntry("DetailedMetricsEnabled", true);
        for (String function : TEMPLATE.resourcesOfType("AWS::Serverless::Function").keySet()) {
            assertThat(TEMPLATE.effectiveProperties(function).get("Tracing")).as(function).isEqualTo("Active");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<MetricUse> alarmMetrics(String alarmId) {
        Map<String, Object> properties = TEMPLATE.effectiveProperties(alarmId);
        List<MetricUse> uses = new ArrayList<>();
        if (properties.containsKey("MetricName")) {
            uses.add(new MetricUse(alarmId, properties.get("Namespace"), (String) properties.get("MetricName"),
                    dimensions((List<Map<String, Object>>) properties.getOrDefault("Dimensions", List.of()))));
        }
        for (Map<String, Object> query : (List<Map<String, Object>>) properties.getOrDefault("Metrics", List.of())) {
            if (query.get("MetricStat") instanceof Map<?, ?> stat) {
                Map<String, Object> metric = (Map<String, Object>) stat.get("Metric");
                uses.add(new MetricUse(alarmId + "." + query.get("Id"), metric.get("Namespace"), (String) metric.get("MetricName"),
                        dimensions((List<Map<String, Object>>) metric.getOrDefault("Dimensions", List.of()))));
            }
        }
        assertThat(uses).as(alarmId + " names a metric").isNotEmpty();
        return uses;
    }

    private static Map<String, Object> dimensions(List<Map<String, Object>> list) {
        Map<String, Object> dimensions = new LinkedHashMap<>();
        list.forEach(d -> dimensions.put((String) d.get("Name"), d.get("Value")));
        return dimensions;
    }

    /** The dashboard body's metrics: {@code ${Resource}} of its Fn::Sub read back as a Ref to that resource. */
    @SuppressWarnings("unchecked")
    private static List<MetricUse> dashboardMetrics() throws Exception {
        Map<String, Object> body = (Map<String, Object>) TEMPLATE.effectiveProperties("OperationsDashboard").get("DashboardBody");
        String text = (String) body.get("Fn::Sub");
        JsonNode dashboard = Json.MAPPER.readTree(text);
        List<MetricUse> uses = new ArrayList<>();
        for (JsonNode widget : dashboard.get("widgets")) {
            String title = widget.at("/properties/title").asText();
            assertThat(widget.at("/properties/region").asText()).isEqualTo("${AWS::Region}");
            for (JsonNode metric : widget.at("/properties/metrics")) {
                Map<String, Object> dims = new LinkedHashMap<>();
                int end = metric.get(metric.size() - 1).isObject() ? metric.size() - 1 : metric.size();
                assertThat((end - 2) % 2).as(title + ": dimension names and values come in pairs: " + metric).isZero();
                for (int i = 2; i < end; i += 2) {
                    String value = metric.get(i + 1).asText();
                    Matcher reference = Pattern.compile("^\\$\\{([A-Za-z0-9]+)}$").matcher(value);
                    dims.put(metric.get(i).asText(), reference.matches() ? Map.of("Ref", reference.group(1)) : value);
                }
                String namespace = metric.get(0).asText();
                uses.add(new MetricUse("dashboard: " + title, namespace.equals(OUR_NAMESPACE) ? Map.of("Fn::Sub", OUR_NAMESPACE) : namespace,
                        metric.get(1).asText(), dims));
            }
        }
        return uses;
    }

    private static List<String> check(MetricUse use) {
        List<String> problems = new ArrayList<>();
        if (Map.of("Fn::Sub", OUR_NAMESPACE).equals(use.namespace())) {
            List<Set<String>> sets = Metrics.CATALOG.get(use.name());
            if (sets == null) {
                return List.of(use.where() + ": the code writes no metric " + use.name() + " (written: " + Metrics.CATALOG.keySet() + ")");
            }
            if (!sets.contains(use.dimensions().keySet())) {
                problems.add(use.where() + ": " + use.name() + " is written with dimensions " + sets + ", not " + use.dimensions().keySet());
            }
            use.dimensions().forEach((name, value) -> {
                if (!ourDimensionValues(name).contains(value)) {
                    problems.add(use.where() + ": the code never writes " + name + "=" + value + " (it writes " + ourDimensionValues(name) + ")");
                }
            });
            return problems;
        }
        if (!(use.namespace() instanceof String namespace) || !AWS_METRICS.containsKey(namespace)) {
            return List.of(use.where() + ": unknown namespace " + use.namespace());
        }
        if (!AWS_METRICS.get(namespace).contains(use.name())) {
            problems.add(use.where() + ": " + namespace + " publishes no " + use.name() + " we know of");
        }
        if (!AWS_DIMENSION_SETS.get(namespace).contains(use.dimensions().keySet())) {
            problems.add(use.where() + ": " + namespace + " has no dimension set " + use.dimensions().keySet());
        }
        use.dimensions().forEach((name, value) -> {
            String problem = checkResource(namespace, name, value);
            if (problem != null) {
                problems.add(use.where() + ": " + problem);
            }
        });
        return problems;
    }

    private static Set<Object> ourDimensionValues(String dimension) {
        return switch (dimension) {
            case "Feature" -> Arrays.stream(Feature.values()).map(Enum::name).collect(Collectors.toSet());
            case "Reason" -> Set.of("hard_limit_exceeded", "cases_disabled");
            case "Threshold" -> Set.of("80", "90", "100", "120", "150", "200", "forecast");
            case "Outcome" -> Arrays.stream(ResetProgress.Outcome.values()).map(Enum::name).collect(Collectors.toSet());
            default -> Set.of();
        };
    }

    /** The resource a dimension names exists in the template with the type the namespace's metric is about. */
    @SuppressWarnings("unchecked")
    private static String checkResource(String namespace, String dimension, Object value) {
        return switch (dimension) {
            case "FunctionName" -> expectType(value, "Ref", "AWS::Serverless::Function");
            case "TableName" -> expectType(value, "Ref", "AWS::DynamoDB::Table");
            case "ApiId" -> expectType(value, "Ref", "AWS::Serverless::HttpApi");
            case "QueueName" -> {
                if (value instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> att && att.get(1).equals("QueueName")) {
                    String id = (String) att.getFirst();
                    yield TEMPLATE.resourcesOfType("AWS::SQS::Queue").containsKey(id) || scheduleDeadLetterQueues().contains(id)
                            ? null : "no queue " + id + " in the template";
                }
                yield "QueueName must be !GetAtt <Queue>.QueueName, not " + value;
            }
            case "GlobalSecondaryIndexName" -> {
                List<Map<String, Object>> indexes = (List<Map<String, Object>>) TEMPLATE.effectiveProperties("CreditsTable").get("GlobalSecondaryIndexes");
                yield indexes.stream().anyMatch(index -> index.get("IndexName").equals(value)) ? null : "no index " + value;
            }
            case "Stage" -> "$default".equals(value) ? null : "the HTTP API has only the $default stage, not " + value;
            case "Route" -> HttpApiRoutes.fromTemplate(TEMPLATE).routes().stream().anyMatch(r -> r.routeKey().equals(value))
                    ? null : "no route " + value + " in the template";
            default -> "no check for dimension " + dimension + " of " + namespace;
        };
    }

    private static String expectType(Object value, String intrinsic, String type) {
        if (!(value instanceof Map<?, ?> map) || !(map.get(intrinsic) instanceof String id)) {
            return "expected !" + intrinsic + " of a " + type + ", got " + value;
        }
        Map<String, Object> resource = TEMPLATE.resource(id);
        return resource != null && type.equals(resource.get("Type")) ? null : id + " is not a " + type + " of the template";
    }

    /** The queues SAM creates for a schedule's DeadLetterConfig (QueueLogicalId names them). */
    @SuppressWarnings("unchecked")
    private static Set<String> scheduleDeadLetterQueues() {
        Set<String> queues = new HashSet<>();
        for (String function : TEMPLATE.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Object events = TEMPLATE.effectiveProperties(function).get("Events");
            if (events instanceof Map<?, ?> map) {
                for (Object event : map.values()) {
                    Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) event).getOrDefault("Properties", Map.of());
                    if (properties.get("DeadLetterConfig") instanceof Map<?, ?> deadLetter && deadLetter.get("QueueLogicalId") != null) {
                        queues.add((String) deadLetter.get("QueueLogicalId"));
                    }
                }
            }
        }
        return queues;
    }
}
