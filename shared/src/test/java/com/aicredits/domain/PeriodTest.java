package com.aicredits.domain;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeriodTest {
    @Test
    void theLastMillisecondOfAMonthAndTheFirstOfTheNextAreDifferentPeriods() {
        assertThat(Period.of(Instant.parse("2026-11-30T23:59:59.999Z"))).hasToString("2026-11");
        assertThat(Period.of(Instant.parse("2026-12-01T00:00:00Z"))).hasToString("2026-12");
    }

    @Test
    void periodsAreUtcCalendarMonths() {
        Period february = Period.parse("2028-02");
        assertThat(february.start()).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
        assertThat(february.end()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(february.lengthInDays()).isEqualTo(29);
        assertThat(Period.parse("2027-01").previous()).hasToString("2026-12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13", "2026-1", "26-11", "2026/11", "", "2026-11-01", "november"})
    void malformedPeriodsAreBadRequests(String text) {
        assertThatThrownBy(() -> Period.parse(text)).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(Refusals.status(e)).isEqualTo(400));
    }
}
