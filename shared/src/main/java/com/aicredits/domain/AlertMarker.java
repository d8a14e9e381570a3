package com.aicredits.domain;

import java.time.Instant;

/** What the table knows of an alert: when it fired and whether its email and event went out. */
public record AlertMarker(Alert alert, Instant firedAt, boolean emailed, boolean published) {
    public boolean delivered() {
        return emailed && published;
    }
}
