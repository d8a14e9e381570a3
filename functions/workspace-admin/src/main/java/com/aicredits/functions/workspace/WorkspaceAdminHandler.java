package com.aicredits.functions.workspace;

import com.aicredits.aws.Production;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.http.Caller;
import com.aicredits.http.HttpApi;
import com.aicredits.json.Json;
import com.aicredits.service.WorkspaceService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** {@code PUT} (create 201 / update 200) and {@code GET /v1/workspaces/{workspaceId}}, for admins. */
public final class WorkspaceAdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SCOPE = "credits/admin";
    static final String PUT_WORKSPACE = "PUT /v1/workspaces/{workspaceId}";
    static final String GET_WORKSPACE = "GET /v1/workspaces/{workspaceId}";

    private final WorkspaceService workspaces;

    public WorkspaceAdminHandler() {
        this(Production.workspaceService());
    }

    public WorkspaceAdminHandler(WorkspaceService workspaces) {
        this.workspaces = workspaces;
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
                default -> throw CreditsException.notFound("no route " + event.getRouteKey());
            };
        });
    }
}
