package com.aicredits.functions.workspace;

import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.app.http.ExchangeObserver;
import com.aicredits.app.http.HttpApi;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.observability.Log;
import com.aicredits.service.AddonService;
import com.aicredits.service.AgentService;
import com.aicredits.service.RefundService;
import com.aicredits.service.WorkspaceService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Workspace administration for admins: the workspace ({@code PUT}, {@code GET}), its AI agent instances, add-on packages and refunds. */
public final class WorkspaceAdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SCOPE = "credits/admin";
    static final String PUT_WORKSPACE = "PUT /v1/workspaces/{workspaceId}";
    static final String GET_WORKSPACE = "GET /v1/workspaces/{workspaceId}";
    static final String REGISTER_AGENT = "PUT /v1/workspaces/{workspaceId}/agents/{agentId}";
    static final String RELEASE_AGENT = "DELETE /v1/workspaces/{workspaceId}/agents/{agentId}";
    static final String LIST_AGENTS = "GET /v1/workspaces/{workspaceId}/agents";
    static final String BUY_ADDON = "POST /v1/workspaces/{workspaceId}/addons";
    static final String LIST_ADDONS = "GET /v1/workspaces/{workspaceId}/addons";
    static final String REFUND_EXECUTION = "POST /v1/workspaces/{workspaceId}/executions/{executionId}/refund";
    private static final Set<String> TAKES_BODY = Set.of(PUT_WORKSPACE, BUY_ADDON, REFUND_EXECUTION);

    private final WorkspaceService workspaces;
    private final AgentService agents;
    private final AddonService addons;
    private final RefundService refunds;
    private final TokenClaims tokenClaims;
    private final ExchangeObserver exchanges;

    public WorkspaceAdminHandler() {
        this(Production.services());
    }

    public WorkspaceAdminHandler(Services services) {
        this(services.workspaces(), services.agents(), services.addons(), services.refunds(), services.tokenClaims(),
                services.exchanges());
    }

    public WorkspaceAdminHandler(WorkspaceService workspaces, AgentService agents, AddonService addons, RefundService refunds,
                                 TokenClaims tokenClaims, ExchangeObserver exchanges) {
        this.exchanges = exchanges;
        this.tokenClaims = tokenClaims;
        this.workspaces = workspaces;
        this.agents = agents;
        this.addons = addons;
        this.refunds = refunds;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.respond(event, context, exchanges, () -> {
            HttpApi.caller(event, tokenClaims).requireScope(SCOPE);
            String workspaceId = HttpApi.pathParameter(event, "workspaceId");
            HttpApi.query(event, Set.of());
            if (!TAKES_BODY.contains(String.valueOf(event.getRouteKey()))) {
                HttpApi.requireNoBody(event);
            }
            return switch (String.valueOf(event.getRouteKey())) {
                case PUT_WORKSPACE -> {
                    WorkspaceSpec spec = Json.readObject(HttpApi.body(event), WorkspaceSpec.class);
                    WorkspaceService.Saved saved = workspaces.put(workspaceId, spec);
                    yield HttpApi.json(saved.created() ? 201 : 200, saved.workspace());
                }
                case GET_WORKSPACE -> HttpApi.json(200, workspaces.get(workspaceId));
                case REGISTER_AGENT -> {
                    String agentId = HttpApi.pathParameter(event, "agentId");
                    boolean registered = agents.register(workspaceId, agentId);
                    yield HttpApi.json(registered ? 201 : 200, Map.of("workspaceId", workspaceId, "agentId", agentId));
                }
                case RELEASE_AGENT -> {
                    agents.release(workspaceId, HttpApi.pathParameter(event, "agentId"));
                    yield APIGatewayV2HTTPResponse.builder().withStatusCode(204).build();
                }
                case LIST_AGENTS -> HttpApi.json(200, agents.list(workspaceId));
                case BUY_ADDON -> {
                    AddonService.Purchase request = Json.readObject(HttpApi.body(event), AddonService.Purchase.class);
                    AddonService.Purchased purchased = addons.purchase(workspaceId, request);
                    yield HttpApi.json(purchased.created() ? 201 : 200, addonView(workspaceId, purchased.addon()));
                }
                case LIST_ADDONS -> HttpApi.json(200, Map.of("items",
                        addons.list(workspaceId).stream().map(addon -> addonView(workspaceId, addon)).toList()));
                case REFUND_EXECUTION -> {
                    String executionId = HttpApi.pathParameter(event, "executionId");
                    Log.execution(executionId);
                    RefundService.RefundRequest request = Json.readObject(HttpApi.body(event), RefundService.RefundRequest.class);
                    RefundService.Refunded refunded = refunds.refund(workspaceId, executionId, request);
                    if (refunded.refundedNow()) {
                        Log.info("execution refunded", "reason", request.reason());
                    }
                    yield HttpApi.json(200, refunded.body());
                }
                default -> throw new CreditsException(Refusal.UNKNOWN_ROUTE, "no route " + event.getRouteKey());
            };
        });
    }

    private static Map<String, Object> addonView(String workspaceId, AddonPackage addon) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("purchaseId", addon.purchaseId());
        view.put("workspaceId", workspaceId);
        view.put("monthlyCredits", addon.monthlyCredits());
        view.put("term", addon.term());
        view.put("startPeriod", addon.startPeriod());
        view.put("endPeriod", addon.endPeriod());
        view.put("totalCredits", addon.totalCredits());
        view.put("purchasedAt", addon.purchasedAt());
        return view;
    }
}
