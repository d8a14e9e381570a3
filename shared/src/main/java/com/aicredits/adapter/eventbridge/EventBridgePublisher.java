package com.aicredits.adapter.eventbridge;

import com.aicredits.adapter.AwsClients;
import com.aicredits.json.Json;
import com.aicredits.port.EventPublisher;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** {@link EventPublisher} on an EventBridge bus (eventbridge is optional in shared; the alerting function declares it). */
public final class EventBridgePublisher implements EventPublisher {
    public static final String SOURCE = "aicredits";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    /** The bus named {@code bus}; without one (null or blank), events are only logged. */
    public static EventPublisher onBus(String bus, Region region, AwsClients.CredentialsSource credentials) {
        if (bus == null || bus.isBlank()) {
            return LOG_ONLY;
        }
        return new EventBridgePublisher(AwsClients.configure(EventBridgeClient.builder(), region, credentials).build(), bus);
    }

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        PutEventsResponse response = events.putEvents(b -> b.entries(e -> e.eventBusName(busName).source(SOURCE)
                .detailType(detailType).detail(Json.write(detail))));
        if (response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused " + detailType + ": " + response.entries().getFirst().errorMessage());
        }
    }
}
