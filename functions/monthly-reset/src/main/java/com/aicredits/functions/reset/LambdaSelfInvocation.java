package com.aicredits.functions.reset;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.Configuration;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Continues on AWS: invokes the very function and alias that is running ({@code invokedFunctionArn}) with invocation
 * type {@code Event}. Lambda queues the event and retries it on failure; after its retries it lands in the function's
 * on-failure destination, like the schedule's own event.
 */
final class LambdaSelfInvocation implements Continuation {
    private final LambdaClient lambda;

    LambdaSelfInvocation(LambdaClient lambda) {
        this.lambda = lambda;
    }

    static LambdaSelfInvocation on(Configuration configuration) {
        return new LambdaSelfInvocation(AwsClients.configure(LambdaClient.builder(), configuration.region(),
                configuration.credentials()).build());
    }

    @Override
    public void submit(ScheduledEvent next, Context current, Duration budget) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(current.getInvokedFunctionArn())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(ScheduledEvents.toJson(next))));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Lambda did not queue the reset's continuation: status " + response.statusCode());
        }
    }
}
