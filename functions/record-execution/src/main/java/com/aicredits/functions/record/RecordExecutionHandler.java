package com.aicredits.functions.record;

import com.aicredits.aws.Production;
import com.aicredits.http.Caller;
import com.aicredits.http.HttpApi;
import com.aicredits.json.Json;
import com.aicredits.observability.DebitMetrics;
import com.aicredits.observability.Log;
import com.aicredits.service.DebitOutcome;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Set;

/**
 * {@code POST /v1/workspaces/{workspaceId}/executions}: 201 for a new record, 200 and the stored record for a replay;
 * and {@code POST .../executions:check}, the same request as a dry run.
 */
public final class RecordExecutionHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SCOPE = "credits/record";
    /** The dry run: same body, writes nothing. */
    static final String CHECK = "POST /v1/workspaces/{workspaceId}/executions:check";

    private final DebitService debits;

    public RecordExecutionHandler() {
        this(Production.debitService());
    }

    public RecordExecutionHandler(DebitService debits) {
        this.debits = debits;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.respond(event, context, () -> {
            Caller.from(event).requireScope(SCOPE);
            String workspaceId = HttpApi.pathParameter(event, "workspaceId");
            HttpApi.query(event, Set.of());
            RecordExecution request = Json.readObject(HttpApi.body(event), RecordExecution.class);
            Log.execution(request.executionId());
            if (CHECK.equals(event.getRouteKey())) {
                return HttpApi.json(200, debits.check(workspaceId, request));
            }
            DebitOutcome outcome = DebitMetrics.record(() -> debits.record(workspaceId, request));
            return HttpApi.json(outcome.created() ? 201 : 200, outcome.body());
        });
    }
}
