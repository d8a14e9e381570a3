package com.aicredits.domain;

import java.time.Duration;
import java.time.Instant;

/** What the table knows of an alert: when it fired and whether its email and event went out. */
public record AlertMarker(Alert alert, Instant firedAt, boolean emailed, boolean published) {
    /** How long after its period's end a marker is kept (the table's TTL then deletes it). */
    public static final Duration KEPT_AFTER_PERIOD = Duration.ofDays(400);

    public boolean delivered() {
        return emailed && published;
    }
}
