package com.aicredits.app.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * Sees each exchange an HTTP handler answers, after it answered: the tests hand one in that checks every exchange
 * against openapi.yaml. Deployed functions have {@link #NONE}.
 */
@FunctionalInterface
public interface ExchangeObserver {
    ExchangeObserver NONE = (event, response) -> {
    };

    void exchanged(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response);
}
