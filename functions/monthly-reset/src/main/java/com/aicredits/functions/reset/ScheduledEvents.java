package com.aicredits.functions.reset;

import com.aicredits.json.Json;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/** The EventBridge scheduled event: its time, a copy with another detail, and its JSON as EventBridge sends it. */
final class ScheduledEvents {
    private ScheduledEvents() {
    }

    static Instant time(ScheduledEvent event) {
        return event.getTime() == null ? null : Instant.ofEpochMilli(event.getTime().getMillis());
    }

    /** The same event (same time, rule and source) carrying {@code detail}. */
    static ScheduledEvent withDetail(ScheduledEvent event, Map<String, Object> detail) {
        ScheduledEvent copy = new ScheduledEvent();
        copy.setVersion(event.getVersion());
        copy.setId(event.getId());
        copy.setDetailType(event.getDetailType());
        copy.setSource(event.getSource());
        copy.setAccount(event.getAccount());
        copy.setTime(new DateTime(event.getTime().getMillis(), DateTimeZone.UTC));
        copy.setRegion(event.getRegion());
        copy.setResources(event.getResources() == null ? null : List.copyOf(event.getResources()));
        copy.setDetail(detail);
        return copy;
    }

    /** The JSON EventBridge delivers (the field names the Lambda runtime reads back into a ScheduledEvent). */
    static String toJson(ScheduledEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", event.getVersion());
        json.put("id", event.getId());
        json.put("detail-type", event.getDetailType());
        json.put("source", event.getSource());
        json.put("account", event.getAccount());
        json.put("time", time(event).toString());
        json.put("region", event.getRegion());
        json.put("resources", event.getResources());
        json.put("detail", event.getDetail());
        return Json.write(json);
    }
}
