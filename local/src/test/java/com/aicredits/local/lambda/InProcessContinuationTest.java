package com.aicredits.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.app.InvocationContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessContinuationTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:MonthlyResetFunction";

    private record Invocation(ScheduledEvent event, String thread, String requestId, String arn, int remainingMillis) {
    }

    @Test
    void theNextInvocationRunsAsynchronouslyAsItsOwnRequestWithTheFullBudget() throws Exception {
        CompletableFuture<Invocation> ran = new CompletableFuture<>();
        RequestHandler<ScheduledEvent, Object> handler = (event, context) -> {
            ran.complete(new Invocation(event, Thread.currentThread().getName(), context.getAwsRequestId(),
                    context.getInvokedFunctionArn(), context.getRemainingTimeInMillis()));
            return null;
        };
        ScheduledEvent next = new ScheduledEvent();

        // The invocation handing on is nearly out of time.
        Context current = new InvocationContext("current-request", "MonthlyResetFunction", "$LATEST", ARN, 1024, null,
                System.currentTimeMillis() + 1_500);
        new InProcessContinuation(handler).submit(next, current, Duration.ofMinutes(5));

        Invocation invocation = ran.get(10, TimeUnit.SECONDS);
        assertThat(invocation.event()).isSameAs(next);
        assertThat(invocation.thread()).isEqualTo("monthly-reset-continuation").isNotEqualTo(Thread.currentThread().getName());
        assertThat(invocation.requestId()).isNotEqualTo("current-request");
        assertThat(invocation.arn()).isEqualTo(ARN);
        assertThat(invocation.remainingMillis()).isBetween(290_000, 300_000);
    }
}
