package com.aicredits.functions.reset;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessContinuationTest {

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
        new InProcessContinuation(handler).submit(next, new FixedContext("current-request", FixedContext.ARN, 1_500),
                Duration.ofMinutes(5));

        Invocation invocation = ran.get(10, TimeUnit.SECONDS);
        assertThat(invocation.event()).isSameAs(next);
        assertThat(invocation.thread()).isEqualTo("monthly-reset-continuation").isNotEqualTo(Thread.currentThread().getName());
        assertThat(invocation.requestId()).isNotEqualTo("current-request");
        assertThat(invocation.arn()).isEqualTo(FixedContext.ARN);
        assertThat(invocation.remainingMillis()).isBetween(290_000, 300_000);
    }
}
