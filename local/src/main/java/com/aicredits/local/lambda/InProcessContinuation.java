package com.aicredits.local.lambda;

import com.aicredits.app.InvocationContext;
import com.aicredits.functions.reset.Continuation;
import com.aicredits.observability.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The monthly reset's {@link Continuation} in the local stack (which has no Lambda service to invoke): the next
 * invocation runs in this JVM on a background thread, asynchronously like an {@code Event} invocation, with the budget
 * the current one had. A failure is logged, as Lambda would log it; there are no automatic retries here (fire the
 * schedule again: the reset is idempotent).
 */
final class InProcessContinuation implements Continuation {
    private final RequestHandler<ScheduledEvent, ?> handler;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .daemon().name("monthly-reset-continuation").unstarted(r));

    InProcessContinuation(RequestHandler<ScheduledEvent, ?> handler) {
        this.handler = handler;
    }

    @Override
    public void submit(ScheduledEvent next, Context current, Duration budget) {
        // Its own request id, like a new invocation of the same function and alias.
        Context context = new InvocationContext(UUID.randomUUID().toString(), current.getFunctionName(), current.getFunctionVersion(),
                current.getInvokedFunctionArn(), current.getMemoryLimitInMB(), current.getLogger(),
                System.currentTimeMillis() + budget.toMillis());
        runner.execute(() -> {
            try {
                handler.handleRequest(next, context);
            } catch (RuntimeException e) {
                Log.error("monthly reset continuation failed", e);
            }
        });
    }
}
