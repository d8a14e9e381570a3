package com.aicredits.testkit.memory;

import com.aicredits.port.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link EventPublisher} in memory: keeps what it published, in order; the next publishes fail as told. */
public final class InMemoryEventPublisher implements EventPublisher {
    /** One published event. */
    public record Published(String detailType, Map<String, Object> detail) {
    }

    private final List<Published> published = new ArrayList<>();
    private int failures;

    public synchronized InMemoryEventPublisher failNext(int publishes) {
        failures = publishes;
        return this;
    }

    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    @Override
    public synchronized void publish(String detailType, Map<String, Object> detail) {
        if (failures > 0) {
            failures--;
            throw new IllegalStateException("the bus is unavailable");
        }
        published.add(new Published(detailType, Map.copyOf(detail)));
    }
}
