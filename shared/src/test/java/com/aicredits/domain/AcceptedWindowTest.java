package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ledger's one accepted-window rule, which a debit's occurredAt and the monthly reset's event time share. */
class AcceptedWindowTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:30Z");

    @Test
    void fromTheStartOfThePreviousPeriodToFiveMinutesAhead() {
        assertThat(Period.earliestAccepted(NOW)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(Period.accepted(Instant.parse("2026-11-01T00:00:00Z"), NOW)).isEqualTo(Period.Window.ACCEPTED);
        assertThat(Period.accepted(Instant.parse("2026-10-31T23:59:59.999Z"), NOW)).isEqualTo(Period.Window.TOO_OLD);
        assertThat(Period.accepted(NOW.plus(Period.MAX_FUTURE_SKEW), NOW)).isEqualTo(Period.Window.ACCEPTED);
        assertThat(Period.accepted(NOW.plus(Period.MAX_FUTURE_SKEW).plusMillis(1), NOW)).isEqualTo(Period.Window.AHEAD);
    }
}
