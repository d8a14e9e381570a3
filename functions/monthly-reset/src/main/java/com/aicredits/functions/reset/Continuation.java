package com.aicredits.functions.reset;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;

/**
 * How a reset that ran out of time goes on: the next invocation receives {@code next} (the same scheduled event, its
 * cursor in {@code detail}), asynchronously. On AWS the function invokes itself ({@link LambdaSelfInvocation});
 * whatever runs the handler elsewhere hands in its own.
 */
public interface Continuation {
    /**
     * @param current the invocation asking
     * @param budget  how long the current invocation had (a continuation that runs the next one itself gives it as long)
     */
    void submit(ScheduledEvent next, Context current, Duration budget);
}
