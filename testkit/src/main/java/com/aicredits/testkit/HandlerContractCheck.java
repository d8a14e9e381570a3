package com.aicredits.testkit;

import com.aicredits.app.http.ExchangeObserver;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/**
 * Checks each exchange of an HTTP handler against openapi.yaml: the tests' {@code Services} carry it
 * ({@link CreditsTable#services}, the in-process local stack), so a handler change that breaks the contract fails the
 * test that made the call, in its thread. Events for a route the document does not have (a handler's own "no route"
 * test) are left alone: API Gateway never routes them, and OpenApiDocumentTest holds the document and template.yaml's
 * routes equal.
 */
public final class HandlerContractCheck implements ExchangeObserver {
    public static final HandlerContractCheck OPENAPI = new HandlerContractCheck();

    private HandlerContractCheck() {
    }

    @Override
    public void exchanged(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
        check(event, response);
    }

    static void check(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
        String routeKey = event.getRouteKey();
        if (routeKey == null || !routeKey.contains(" ")) {
            return;
        }
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String template = routeKey.substring(routeKey.indexOf(' ') + 1);
        OpenApiContract contract = OpenApiContract.load();
        if (!contract.hasOperation(method, template)) {
            return;
        }
        contract.check(new OpenApiContract.Exchange(method, template, event.getPathParameters(),
                event.getQueryStringParameters(), event.getHeaders(),
                OpenApiContract.text(event.getBody(), event.getIsBase64Encoded()), false, response.getStatusCode(),
                response.getHeaders() == null ? Map.of() : response.getHeaders(),
                OpenApiContract.text(response.getBody(), response.getIsBase64Encoded())));
    }
}
