package com.aicredits.functions.workspace;

import com.aicredits.agents.AgentService;
import com.aicredits.aws.Env;
import com.aicredits.aws.Production;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.http.Caller;
import com.aicredits.http.HttpApi;
import com.aicredits.json.Json;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.dynamodb.DynamoDbAgentStore;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.Map;

/** Workspace administration for admins: the workspace ({@code PUT}, {@code GET}) and its AI agent instances. */
public final class WorkspaceAdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SCOPE = "credits/admin";
    static final String PUT_WORKSPACE = "PUT /v1/workspaces/{workspaceId}";
    static final String GET_WORKSPACE = "GET /v1/workspaces/{workspaceId}";
    static final String REGISTER_AGENT = "PUT /v1/workspaces/{workspaceId}/agents/{agentId}";
    static final String RELEASE_AGENT = "DELETE /v1/workspaces/{workspaceId}/agents/{agentId}";
    static final String LIST_AGENTS = "GET /v1/workspaces/{workspaceId}/agents";

    private final WorkspaceService workspaces;
    private final AgentService agents;

    public WorkspaceAdminHandler() {
        this(Production.workspaceService(), new AgentService(Production.store(),
                new DynamoDbAgentStore(Production.dynamoDb(), Env.tableName()), Clock.systemUTC()));
    }

    public WorkspaceAdminHandler(WorkspaceService workspaces, AgentService agents) {
        this.workspaces = workspaces;
        this.agents = agents;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.respond(event, () -> {
            Caller.from(event).requireScope(SCOPE);
            String workspaceId = HttpApi.pathParameter(event, "workspaceId");
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
                default -> throw CreditsException.notFound("no route " + event.getRouteKey());
            };
        });
    }
}
