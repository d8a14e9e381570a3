package com.aicredits.functions.record;

import com.aicredits.app.InvocationContext;
import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.app.SnapStartPriming;
import com.aicredits.app.http.BatchBodies;
import com.aicredits.app.http.ExchangeObserver;
import com.aicredits.app.http.HttpApi;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.json.Json;
import com.aicredits.observability.Log;
import com.aicredits.service.DebitMetrics;
import com.aicredits.service.DebitOutcome;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/workspaces/{workspaceId}/executions}: 201 for a new record, 200 and the stored record for a replay;
 * {@code POST .../executions:check}, the same request as a dry run; {@code POST .../executions:batch}, up to 100 runs
 * answered one by one.
 */
public final class RecordExecutionHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SCOPE = "credits/record";
    /** The dry run: same body, writes nothing. */
    static final String CHECK = "POST /v1/workspaces/{workspaceId}/executions:check";
    /** Many runs in one call. */
    static final String BATCH = "POST /v1/workspaces/{workspaceId}/executions:batch";
    /** The priming dry run's workspace: normally none has this id (404); if one does, a dry run still writes nothing. */
    static final String PRIMING_WORKSPACE = "snapstart-priming";

    private final DebitService debits;
    private final TokenClaims tokenClaims;
    private final ExchangeObserver exchanges;

    public RecordExecutionHandler() {
        this(Production.services());
        SnapStartPriming.register(this::prime);
    }

    public RecordExecutionHandler(Services services) {
        this(services.debits(), services.tokenClaims(), services.exchanges());
    }

    public RecordExecutionHandler(DebitService debits, TokenClaims tokenClaims, ExchangeObserver exchanges) {
        this.debits = debits;
        this.tokenClaims = tokenClaims;
        this.exchanges = exchanges;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.respond(event, context, exchanges, () -> {
            HttpApi.caller(event, tokenClaims).requireScope(SCOPE);
            String workspaceId = HttpApi.pathParameter(event, "workspaceId");
            HttpApi.query(event, Set.of());
            Duration within = HttpApi.timeout(event);
            if (BATCH.equals(event.getRouteKey())) {
                BatchBodies.Items items = BatchBodies.read(HttpApi.body(event, HttpApi.MAX_BATCH_BODY_BYTES));
                List<DebitService.BatchAnswer> answers = DebitMetrics.recordBatch(
                        () -> debits.recordBatch(workspaceId, items.requests(), within));
                return HttpApi.json(200, BatchBodies.answer(answers, items.unreadable()));
            }
            RecordExecution request = Json.readObject(HttpApi.body(event), RecordExecution.class);
            Log.execution(request.executionId());
            if (CHECK.equals(event.getRouteKey())) {
                return HttpApi.json(200, debits.check(workspaceId, request));
            }
            DebitOutcome outcome = DebitMetrics.record(() -> debits.record(workspaceId, request, within));
            return HttpApi.json(outcome.created() ? 201 : 200, outcome.body());
        });
    }

    /**
     * SnapStart priming: a dry run of a debit through the whole request path (claims, JSON, validation, the price
     * catalog, one strongly consistent read, the response), for a workspace that does not exist. Writes nothing.
     */
    APIGatewayV2HTTPResponse prime() {
        String path = "/v1/workspaces/" + PRIMING_WORKSPACE + "/executions:check";
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(CHECK)
                .withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json"))
                .withPathParameters(Map.of("workspaceId", PRIMING_WORKSPACE))
                .withBody("{\"executionId\":\"snapstart-priming\",\"activity\":\"task.execution\"}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(CHECK)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("scope", SCOPE)).withScopes(List.of(SCOPE)).build())
                                .build())
                        .build())
                .build();
        return handleRequest(event, InvocationContext.of("RecordExecutionFunction", Duration.ofSeconds(15),
                InvocationContext.STANDARD_OUTPUT));
    }
}
