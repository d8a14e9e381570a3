package com.aicredits.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What the table knows of an alert: when it fired, whether its email and event went out, the recipients its email is
 * done for (sent, or parked because the provider refuses the address for good), and when a send whose outcome is
 * unknown last went out (null: none).
 */
public record AlertMarker(Alert alert, Instant firedAt, boolean emailed, boolean published, Set<String> recipientsDone,
                          Instant lastUncertainSendAt) {
    /** How long after its period's end a marker is kept (the table's TTL then deletes it). */
    public static final Duration KEPT_AFTER_PERIOD = Duration.ofDays(400);

    public AlertMarker {
        recipientsDone = Set.copyOf(recipientsDone);
    }

    /** A marker just claimed: nothing delivered (the forecast has no event to publish). */
    public AlertMarker(Alert alert, Instant firedAt, boolean emailed, boolean published) {
        this(alert, firedAt, emailed, published, Set.of(), null);
    }

    public boolean delivered() {
        return emailed && published;
    }
}
