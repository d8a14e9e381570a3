package com.aicredits.functions.workspace;

import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.app.http.ExchangeObserver;
import com.aicredits.app.http.HttpApi;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.observability.Log;
import com.aicredits.service.AddonService;
import com.aicredits.service.AgentService;
import com.aicredits.service.OrganizationService;
import com.aicredits.service.PoolAddonService;
import com.aicredits.service.RefundService;
import com.aicredits.service.WorkspaceService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Administration for admins: the workspace ({@code PUT}, {@code GET}), its AI agent instances, add-on packages and
 * refunds; the organization ({@code PUT}, {@code GET}) with its credit pool, and the pool's add-on packages.
 */
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
    static final String PUT_ORGANIZATION = "PUT /v1/organizations/{orgId}";
    static final String GET_ORGANIZATION = "GET /v1/organizations/{orgId}";
    static final String BUY_POOL_ADDON = "POST /v1/organizations/{orgId}/addons";
    static final String LIST_POOL_ADDONS = "GET /v1/organizations/{orgId}/addons";
    private static final Set<String> TAKES_BODY = Set.of(PUT_WORKSPACE, BUY_ADDON, REFUND_EXECUTION, PUT_ORGANIZATION,
            BUY_POOL_ADDON);
    private static final Set<String> ORGANIZATION_ROUTES = Set.of(PUT_ORGANIZATION, GET_ORGANIZATION, BUY_POOL_ADDON,
            LIST_POOL_ADDONS);

    private final WorkspaceService workspaces;
    private final AgentService agents;
    private final AddonService addons;
    private final RefundService refunds;
    private final OrganizationService organizations;
    private final PoolAddonService poolAddons;
    private final TokenClaims tokenClaims;
    private final ExchangeObserver exchanges;

    public WorkspaceAdminHandler() {
        this(Production.services());
    }

    public WorkspaceAdminHandler(Services services) {
        this(services.workspaces(), services.agents(), services.addons(), services.refunds(), services.organizations(),
                services.poolAddons(), services.tokenClaims(), services.exchanges());
    }

    public WorkspaceAdminHandler(WorkspaceService workspaces, AgentService agents, AddonService addons, RefundService refunds,
                                 OrganizationService organizations, PoolAddonService poolAddons, TokenClaims tokenClaims,
                                 ExchangeObserver exchanges) {
        this.exchanges = exchanges;
        this.tokenClaims = tokenClaims;
        this.workspaces = workspaces;
        this.agents = agents;
        this.addons = addons;
        this.refunds = refunds;
        this.organizations = organizations;
        this.poolAddons = poolAddons;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.respond(event, context, exchanges, () -> {
            HttpApi.caller(event, tokenClaims).requireScope(SCOPE);
            String route = String.valueOf(event.getRouteKey());
            boolean organizationRoute = ORGANIZATION_ROUTES.contains(route);
            String id = HttpApi.pathParameter(event, organizationRoute ? "orgId" : "workspaceId");
            HttpApi.query(event, Set.of());
            if (!TAKES_BODY.contains(route)) {
                HttpApi.requireNoBody(event);
            }
            return organizationRoute ? organizationRoute(route, id, event) : workspaceRoute(route, id, event);
        });
    }

    private APIGatewayV2HTTPResponse organizationRoute(String route, String organizationId, APIGatewayV2HTTPEvent event) {
        return switch (route) {
            case PUT_ORGANIZATION -> {
                OrganizationSpec spec = Json.readObject(HttpApi.body(event), OrganizationSpec.class);
                OrganizationService.Saved saved = organizations.put(organizationId, spec, HttpApi.timeout(event));
                yield HttpApi.json(saved.created() ? 201 : 200, saved.organization());
            }
            case GET_ORGANIZATION -> HttpApi.json(200, organizations.get(organizationId));
            case BUY_POOL_ADDON -> {
                AddonService.Purchase request = Json.readObject(HttpApi.body(event), AddonService.Purchase.class);
                AddonService.Purchased purchased = poolAddons.purchase(organizationId, request, HttpApi.timeout(event));
                yield HttpApi.json(purchased.created() ? 201 : 200, addonView("organizationId", organizationId, purchased.addon()));
            }
            case LIST_POOL_ADDONS -> HttpApi.json(200, Map.of("items", poolAddons.list(organizationId).stream()
                    .map(addon -> addonView("organizationId", organizationId, addon)).toList()));
            default -> throw new CreditsException(Refusal.UNKNOWN_ROUTE, "no route " + route);
        };
    }

    private APIGatewayV2HTTPResponse workspaceRoute(String route, String workspaceId, APIGatewayV2HTTPEvent event) {
        return switch (route) {
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
                yield HttpApi.json(purchased.created() ? 201 : 200, addonView("workspaceId", workspaceId, purchased.addon()));
            }
            case LIST_ADDONS -> HttpApi.json(200, Map.of("items",
                    addons.list(workspaceId).stream().map(addon -> addonView("workspaceId", workspaceId, addon)).toList()));
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
            default -> throw new CreditsException(Refusal.UNKNOWN_ROUTE, "no route " + route);
        };
    }

    /** A package as answered: its owner ({@code workspaceId} or {@code organizationId}) after its purchaseId. */
    private static Map<String, Object> addonView(String ownerField, String ownerId, AddonPackage addon) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("purchaseId", addon.purchaseId());
        view.put(ownerField, ownerId);
        view.put("monthlyCredits", addon.monthlyCredits());
        view.put("term", addon.term());
        view.put("startPeriod", addon.startPeriod());
        view.put("endPeriod", addon.endPeriod());
        view.put("totalCredits", addon.totalCredits());
        view.put("purchasedAt", addon.purchasedAt());
        return view;
    }
}
