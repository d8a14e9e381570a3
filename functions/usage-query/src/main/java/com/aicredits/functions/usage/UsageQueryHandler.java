package com.aicredits.functions.usage;

import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.app.http.ExchangeObserver;
import com.aicredits.app.http.HttpApi;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.domain.Caller;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.Refusal;
import com.aicredits.json.Json;
import com.aicredits.port.UsageStore;
import com.aicredits.service.UsageService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The read side: workspace and organization usage, a workspace's history and the executions list for managers; the pricing for anyone. */
public final class UsageQueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String WORKSPACE_USAGE = "GET /v1/workspaces/{workspaceId}/usage";
    static final String EXECUTIONS = "GET /v1/workspaces/{workspaceId}/executions";
    static final String USAGE_HISTORY = "GET /v1/workspaces/{workspaceId}/usage/history";
    static final String ORGANIZATION_USAGE = "GET /v1/organizations/{orgId}/usage";
    static final String PRICING = "GET /v1/pricing";
    private static final Map<String, Set<String>> QUERY_PARAMETERS = Map.of(
            WORKSPACE_USAGE, Set.of("period"),
            EXECUTIONS, Set.of("period", "limit", "cursor"),
            USAGE_HISTORY, Set.of("from", "to"),
            ORGANIZATION_USAGE, Set.of("period", "limit", "cursor"));

    private final UsageService usage;
    private final PriceCatalog catalog;
    private final Clock clock;
    private final TokenClaims tokenClaims;
    private final ExchangeObserver exchanges;

    public UsageQueryHandler() {
        this(Production.services());
    }

    public UsageQueryHandler(Services services) {
        this(services.usage(), services.catalog(), services.clock(), services.tokenClaims(), services.exchanges());
    }

    public UsageQueryHandler(UsageService usage, PriceCatalog catalog, Clock clock, TokenClaims tokenClaims,
                             ExchangeObserver exchanges) {
        this.exchanges = exchanges;
        this.tokenClaims = tokenClaims;
        this.usage = usage;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.respond(event, context, exchanges, () -> {
            Caller caller = HttpApi.caller(event, tokenClaims);
            String route = String.valueOf(event.getRouteKey());
            Map<String, String> query = HttpApi.query(event, QUERY_PARAMETERS.getOrDefault(route, Set.of()));
            HttpApi.requireNoBody(event);
            return switch (route) {
                case WORKSPACE_USAGE -> HttpApi.json(200, usage.workspaceUsage(caller,
                        HttpApi.pathParameter(event, "workspaceId"), query.get("period")));
                case USAGE_HISTORY -> HttpApi.json(200, usage.usageHistory(caller,
                        HttpApi.pathParameter(event, "workspaceId"), query.get("from"), query.get("to")));
                case EXECUTIONS -> page(usage.executions(caller, HttpApi.pathParameter(event, "workspaceId"),
                        query.get("period"), query.get("limit"), query.get("cursor")));
                case ORGANIZATION_USAGE -> HttpApi.json(200, usage.organizationUsage(caller,
                        HttpApi.pathParameter(event, "orgId"), query.get("period"), query.get("limit"), query.get("cursor")));
                case PRICING -> HttpApi.json(200, pricing());
                default -> throw new CreditsException(Refusal.UNKNOWN_ROUTE, "no route " + event.getRouteKey());
            };
        });
    }

    /** Records go out exactly as the debit returned them (their stored bodies). */
    private static APIGatewayV2HTTPResponse page(UsageStore.Page<String> page) {
        StringBuilder body = new StringBuilder("{\"items\":[").append(String.join(",", page.items())).append(']');
        if (page.nextCursor() != null) {
            body.append(",\"nextCursor\":").append(Json.write(page.nextCursor()));
        }
        return HttpApi.json(200, body.append('}').toString());
    }

    /** The version in force and, when one is scheduled, the next with the time it takes over. */
    private Map<String, Object> pricing() {
        Instant now = clock.instant();
        Map<String, Object> body = versionView(catalog.versionAt(now));
        catalog.nextAfter(now).ifPresent(next -> body.put("next", versionView(next)));
        return body;
    }

    private static Map<String, Object> versionView(PriceCatalog.Version version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version.version());
        body.put("effectiveFrom", version.effectiveFrom().toString());
        body.put("activities", version.activities().values().stream().map(a -> {
            Map<String, Object> activity = new LinkedHashMap<>();
            activity.put("activity", a.key());
            activity.put("feature", a.feature());
            activity.put("description", a.description());
            activity.put("credits", a.credits());
            activity.put("byosCredits", a.byosCredits());
            if (!a.llmModelCredits().isEmpty()) {
                activity.put("llmModelCredits", a.llmModelCredits());
            }
            return activity;
        }).toList());
        return body;
    }
}
