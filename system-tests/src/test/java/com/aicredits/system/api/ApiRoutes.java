package com.aicredits.system.api;

import com.aicredits.domain.Period;
import com.aicredits.domain.Timestamps;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.system.stack.ReliabilityStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every route of template.yaml's HTTP API as the reliability tests see it, in one place: who may call it, what its
 * path parameters, query parameters and body fields take, and a valid request for it on the fixture organization.
 * The fuzz, the token tests and the cross-organization tests iterate the template's routes and take each one's entry
 * here, so a route added to the template without an entry fails them, naming the route.
 */
final class ApiRoutes {
    static final String ORGANIZATION = "org-rel-a";
    static final String WORKSPACE = "ws-rel-a";
    static final String WORKSPACE_NAME = "Reliability A, confidential";
    static final String EXECUTION = "rel-run-1";
    static final String AGENT = "rel-agent-1";
    static final String PURCHASE = "rel-po-1";
    static final String ORGANIZATION_NAME = "Reliability A group";
    /** The fixture organization's pool: off, so that the other tests' debits of the fixture workspace stay its own. */
    static final String CREDIT_POOL = "{\"enabled\":false,\"notificationEmails\":[\"finance@rel-a.example\"]}";

    /** Who the route is for: a scope the authorizer checks, or the manager (or viewer) role the handler checks, or anyone. */
    enum Caller {
        SERVICE("service"), ADMIN("admin"), MANAGER("manager"), ANYONE("service");

        final String tokenRole;

        Caller(String tokenRole) {
            this.tokenRole = tokenRole;
        }
    }

    /** The values a parameter or field takes; the fuzz sends only values outside them. */
    enum Kind {
        RESOURCE_ID, EXECUTION_ID, ACTIVITY, TIMESTAMP, NAME, TIER, PRICING_MODEL, TERM, BOOLEAN, HARD_LIMIT_PERCENT,
        AGENT_LIMIT, ADDON_CREDITS, EMAILS, THRESHOLDS, TEXT, PERIOD, LIMIT, CURSOR, MODEL, BYOS, EXECUTIONS, LLM_MODEL,
        CREDIT_POOL
    }

    /** A path or query parameter; {@code value} is the valid one, null to leave a query parameter out. */
    record Param(String name, Kind kind, String value) {
    }

    /** A body field; {@code json} is a valid value as JSON text. */
    record Field(String name, Kind kind, String json, boolean required) {
    }

    /** A route's entry; {@code body} is null for a route that takes none. */
    record Spec(Caller caller, List<Param> path, List<Param> query, List<Field> body) {
        boolean takesBody() {
            return body != null;
        }
    }

    /** A request as sent: method, encoded path and query, content type and body (null for none). */
    record Request(String method, String pathAndQuery, String contentType, String body) {
    }

    private static final String CURRENT_PERIOD = Period.of(Instant.now()).toString();
    private static final String OCCURRED_AT = Timestamps.format(Instant.now().minus(Duration.ofMinutes(1)));

    private static final List<Param> WORKSPACE_PATH = List.of(new Param("workspaceId", Kind.RESOURCE_ID, WORKSPACE));
    private static final List<Param> ORGANIZATION_PATH = List.of(new Param("orgId", Kind.RESOURCE_ID, ORGANIZATION));
    private static final List<Field> EXECUTION_BODY = List.of(
            new Field("executionId", Kind.EXECUTION_ID, "\"rel-fuzz-new-run\"", true),
            new Field("activity", Kind.ACTIVITY, "\"task.execution\"", true),
            new Field("occurredAt", Kind.TIMESTAMP, "\"" + OCCURRED_AT + "\"", false),
            new Field("model", Kind.MODEL, "\"PLATFORM\"", false),
            new Field("llmModel", Kind.LLM_MODEL, "\"gemini-1-pro\"", false));
    private static final List<Param> PAGING = List.of(new Param("period", Kind.PERIOD, CURRENT_PERIOD),
            new Param("limit", Kind.LIMIT, "10"), new Param("cursor", Kind.CURSOR, null));

    /** One entry per route key of template.yaml. Add the entry of a new route here. */
    static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("POST /v1/workspaces/{workspaceId}/executions",
                    new Spec(Caller.SERVICE, WORKSPACE_PATH, List.of(), EXECUTION_BODY)),
            Map.entry("POST /v1/workspaces/{workspaceId}/executions:check",
                    new Spec(Caller.SERVICE, WORKSPACE_PATH, List.of(), EXECUTION_BODY)),
            Map.entry("POST /v1/workspaces/{workspaceId}/executions:batch",
                    new Spec(Caller.SERVICE, WORKSPACE_PATH, List.of(), List.of(new Field("executions", Kind.EXECUTIONS,
                            "[{\"executionId\":\"rel-fuzz-batch-run\",\"activity\":\"task.execution\"}]", true)))),
            Map.entry("POST /v1/workspaces/{workspaceId}/executions/{executionId}/refund",
                    new Spec(Caller.ADMIN, List.of(WORKSPACE_PATH.getFirst(), new Param("executionId", Kind.EXECUTION_ID, EXECUTION)),
                            List.of(), List.of(new Field("reason", Kind.TEXT, "\"recorded twice by the caller\"", true)))),
            Map.entry("PUT /v1/workspaces/{workspaceId}",
                    new Spec(Caller.ADMIN, WORKSPACE_PATH, List.of(), List.of(
                            new Field("organizationId", Kind.RESOURCE_ID, "\"" + ORGANIZATION + "\"", true),
                            new Field("name", Kind.NAME, "\"" + WORKSPACE_NAME + "\"", true),
                            new Field("tier", Kind.TIER, "\"PRO\"", true),
                            new Field("pricingModel", Kind.PRICING_MODEL, "\"EXTEND\"", false),
                            new Field("casesEnabled", Kind.BOOLEAN, "true", false),
                            new Field("agentInstanceLimit", Kind.AGENT_LIMIT, "30", false),
                            new Field("notificationEmails", Kind.EMAILS, "[\"secops@rel-a.example\"]", false),
                            new Field("thresholds", Kind.THRESHOLDS, "[80,100]", false),
                            new Field("hardLimitPercent", Kind.HARD_LIMIT_PERCENT, "200", false),
                            new Field("byos", Kind.BYOS, "{\"enabled\":false,\"features\":[]}", false)))),
            Map.entry("GET /v1/workspaces/{workspaceId}", new Spec(Caller.ADMIN, WORKSPACE_PATH, List.of(), null)),
            Map.entry("POST /v1/workspaces/{workspaceId}/addons",
                    new Spec(Caller.ADMIN, WORKSPACE_PATH, List.of(), List.of(
                            new Field("purchaseId", Kind.EXECUTION_ID, "\"rel-fuzz-new-po\"", true),
                            new Field("monthlyCredits", Kind.ADDON_CREDITS, "10000", true),
                            new Field("term", Kind.TERM, "\"MONTHLY\"", true)))),
            Map.entry("GET /v1/workspaces/{workspaceId}/addons", new Spec(Caller.ADMIN, WORKSPACE_PATH, List.of(), null)),
            Map.entry("PUT /v1/organizations/{orgId}",
                    new Spec(Caller.ADMIN, ORGANIZATION_PATH, List.of(), List.of(
                            new Field("organizationId", Kind.RESOURCE_ID, "\"" + ORGANIZATION + "\"", false),
                            new Field("name", Kind.NAME, "\"" + ORGANIZATION_NAME + "\"", true),
                            new Field("creditPool", Kind.CREDIT_POOL, CREDIT_POOL, false)))),
            Map.entry("GET /v1/organizations/{orgId}", new Spec(Caller.ADMIN, ORGANIZATION_PATH, List.of(), null)),
            Map.entry("POST /v1/organizations/{orgId}/addons",
                    new Spec(Caller.ADMIN, ORGANIZATION_PATH, List.of(), List.of(
                            new Field("purchaseId", Kind.EXECUTION_ID, "\"rel-fuzz-new-pool-po\"", true),
                            new Field("monthlyCredits", Kind.ADDON_CREDITS, "25000", true),
                            new Field("term", Kind.TERM, "\"ANNUAL\"", true)))),
            Map.entry("GET /v1/organizations/{orgId}/addons", new Spec(Caller.ADMIN, ORGANIZATION_PATH, List.of(), null)),
            Map.entry("PUT /v1/workspaces/{workspaceId}/agents/{agentId}",
                    new Spec(Caller.ADMIN, List.of(WORKSPACE_PATH.getFirst(), new Param("agentId", Kind.EXECUTION_ID, "rel-fuzz-new-agent")),
                            List.of(), null)),
            Map.entry("DELETE /v1/workspaces/{workspaceId}/agents/{agentId}",
                    new Spec(Caller.ADMIN, List.of(WORKSPACE_PATH.getFirst(), new Param("agentId", Kind.EXECUTION_ID, AGENT)),
                            List.of(), null)),
            Map.entry("GET /v1/workspaces/{workspaceId}/agents", new Spec(Caller.ADMIN, WORKSPACE_PATH, List.of(), null)),
            Map.entry("GET /v1/workspaces/{workspaceId}/usage",
                    new Spec(Caller.MANAGER, WORKSPACE_PATH, List.of(new Param("period", Kind.PERIOD, CURRENT_PERIOD)), null)),
            Map.entry("GET /v1/workspaces/{workspaceId}/usage/history", new Spec(Caller.MANAGER, WORKSPACE_PATH,
                    List.of(new Param("from", Kind.PERIOD, CURRENT_PERIOD), new Param("to", Kind.PERIOD, CURRENT_PERIOD)), null)),
            Map.entry("GET /v1/workspaces/{workspaceId}/executions", new Spec(Caller.MANAGER, WORKSPACE_PATH, PAGING, null)),
            Map.entry("GET /v1/organizations/{orgId}/usage",
                    new Spec(Caller.MANAGER, List.of(new Param("orgId", Kind.RESOURCE_ID, ORGANIZATION)), PAGING, null)),
            Map.entry("GET /v1/pricing", new Spec(Caller.ANYONE, List.of(), List.of(), null)));

    private ApiRoutes() {
    }

    static String currentPeriod() {
        return CURRENT_PERIOD;
    }

    static List<HttpApiRoutes.Route> fromTemplate() {
        return HttpApiRoutes.fromTemplate(CloudFormationTemplate.load(CloudFormationTemplate.find())).routes();
    }

    /** The entry of {@code route}; a route without one is a test failure that says what to add. */
    static Spec spec(HttpApiRoutes.Route route) {
        Spec spec = SPECS.get(route.routeKey());
        if (spec == null) {
            throw new AssertionError("template.yaml has the route '" + route.routeKey() + "' but ApiRoutes.SPECS has no entry"
                    + " for it: add who may call it and a valid request (its parameters and body fields with their kinds), so"
                    + " that the fuzz, the token and the cross-organization tests cover it");
        }
        List<String> declared = spec.path().stream().map(Param::name).toList();
        if (!declared.equals(route.parameterNames())) {
            throw new AssertionError("ApiRoutes.SPECS['" + route.routeKey() + "'] declares path parameters " + declared
                    + " but the template's path has " + route.parameterNames());
        }
        return spec;
    }

    /** The valid request of {@code route}, with the path parameters and query of the caller's choosing. */
    static Request request(HttpApiRoutes.Route route, Map<String, String> pathValues, Map<String, String> query, String body) {
        return new Request(route.method(), path(route, pathValues) + queryString(query),
                body == null ? null : "application/json", body);
    }

    /** The valid request of {@code route} on the fixture organization. */
    static Request validRequest(HttpApiRoutes.Route route) {
        Spec spec = spec(route);
        return request(route, validPath(spec), validQuery(spec), spec.takesBody() ? object(validFields(spec)) : null);
    }

    static Map<String, String> validPath(Spec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        spec.path().forEach(p -> values.put(p.name(), p.value()));
        return values;
    }

    static Map<String, String> validQuery(Spec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        spec.query().stream().filter(p -> p.value() != null).forEach(p -> values.put(p.name(), p.value()));
        return values;
    }

    /** The body's fields as (name, JSON text) pairs, in order; a list, so that a key can appear twice. */
    static List<Map.Entry<String, String>> validFields(Spec spec) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        spec.body().forEach(f -> fields.add(Map.entry(f.name(), f.json())));
        return fields;
    }

    static String object(List<Map.Entry<String, String>> fields) {
        return fields.stream().map(f -> jsonString(f.getKey()) + ":" + f.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    static String path(HttpApiRoutes.Route route, Map<String, String> values) {
        String path = route.path();
        for (Map.Entry<String, String> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", encode(value.getValue()));
        }
        return path;
    }

    /** {@code ?a=1&b=2}; a value holding {@code \u0001} between two parts repeats the parameter once per part. */
    static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        query.forEach((name, value) -> {
            for (String part : value.split("\u0001", -1)) {
                pairs.add(encode(name) + "=" + encode(part));
            }
        });
        return "?" + String.join("&", pairs);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String jsonString(String value) {
        return com.aicredits.json.Json.write(value);
    }

    /**
     * The fixture organization: a workspace with one recorded execution, one registered agent and one add-on, and the
     * organization itself (its pool off) with one add-on for its pool, so that each route's valid request finds what it
     * names (and a request that slipped through would change it).
     */
    static synchronized void prepare(ReliabilityStack api) {
        String admin = api.token("admin", null);
        expect(api.send("PUT", "/v1/workspaces/" + WORKSPACE, admin, "{\"organizationId\":\"" + ORGANIZATION + "\",\"name\":\""
                + WORKSPACE_NAME + "\",\"tier\":\"PRO\",\"notificationEmails\":[\"secops@rel-a.example\"]}"), 200, 201);
        expect(api.send("POST", "/v1/workspaces/" + WORKSPACE + "/executions", api.token("service", null),
                "{\"executionId\":\"" + EXECUTION + "\",\"activity\":\"agent.execution\"}"), 200, 201);
        expect(api.send("PUT", "/v1/workspaces/" + WORKSPACE + "/agents/" + AGENT, admin, null), 200, 201);
        expect(api.send("POST", "/v1/workspaces/" + WORKSPACE + "/addons", admin,
                "{\"purchaseId\":\"" + PURCHASE + "\",\"monthlyCredits\":10000,\"term\":\"MONTHLY\"}"), 200, 201);
        expect(api.send("PUT", "/v1/organizations/" + ORGANIZATION, admin, "{\"name\":\"" + ORGANIZATION_NAME
                + "\",\"creditPool\":" + CREDIT_POOL + "}"), 200, 201);
        expect(api.send("POST", "/v1/organizations/" + ORGANIZATION + "/addons", admin,
                "{\"purchaseId\":\"" + PURCHASE + "\",\"monthlyCredits\":10000,\"term\":\"MONTHLY\"}"), 200, 201);
    }

    private static void expect(ReliabilityStack.Reply reply, int... statuses) {
        for (int status : statuses) {
            if (reply.status() == status) {
                return;
            }
        }
        throw new AssertionError("preparing the fixture organization: " + reply.status() + " " + reply.body());
    }
}
