package com.aicredits.port;

import com.aicredits.observability.Log;
import java.util.Map;

/** Publishes a domain event (EventBridge in production) so customers can route it to Slack, webhooks, tickets. */
public interface EventPublisher {
    void publish(String detailType, Map<String, Object> detail);

    /** Where no bus is configured (the local stack): says what it would have published. */
    EventPublisher LOG_ONLY = (detailType, detail) -> Log.info("event not published (no bus configured)",
            "detailType", detailType, "detail", detail);
}
