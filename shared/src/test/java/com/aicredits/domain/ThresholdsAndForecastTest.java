package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsAndForecastTest {
    private static Balance balance(long allocated, long used) {
        Period period = Period.parse("2026-11");
        return new Balance("ws", "org", period, Credits.of(allocated), Credits.ZERO, 200, true, PricingModel.EXTEND,
                Credits.of(used), 1, 1, Map.of(), Collections.nCopies(period.lengthInDays(), Credits.ZERO), 0, 0);
    }

    @Test
    void aThresholdIsReachedExactlyAtItsPercentageWithoutRoundingError() {
        assertThat(Thresholds.reached(balance(333, 266), 80)).isFalse(); // 79.88%
        assertThat(Thresholds.reached(balance(333, 267), 80)).isTrue(); // 80.18%
        assertThat(Thresholds.reached(balance(500, 1_000), Workspace.DEFAULT_THRESHOLDS))
                .containsExactly(80, 90, 100, 120, 150, 200);
        assertThat(Thresholds.reached(balance(500, 399), Workspace.DEFAULT_THRESHOLDS)).isEmpty();
        assertThat(Thresholds.percentUsed(balance(2_000, 555))).isEqualTo(new java.math.BigDecimal("27.8"));
    }

    @Test
    void ninetyPercentOfAFractionalUsageIsReachedExactlyThere() {
        Period period = Period.parse("2026-11");
        // 100 credits (LEGACY PRO), 360 gemini-1-pro tasks of 0.25: exactly 90 credits, 90.0%.
        Balance ninety = new Balance("ws", "org", period, Credits.of(100), Credits.ZERO, 100, true, PricingModel.LEGACY,
                Credits.parse("90.00"), 360, 360, Map.of(), Collections.nCopies(period.lengthInDays(), Credits.ZERO), 0, 0);
        Balance justBelow = new Balance("ws", "org", period, Credits.of(100), Credits.ZERO, 100, true, PricingModel.LEGACY,
                Credits.parse("89.75"), 359, 359, Map.of(), Collections.nCopies(period.lengthInDays(), Credits.ZERO), 0, 0);

        assertThat(Thresholds.reached(ninety, Workspace.LEGACY_THRESHOLDS)).containsExactly(90);
        assertThat(Thresholds.reached(justBelow, Workspace.LEGACY_THRESHOLDS)).isEmpty();
        assertThat(Thresholds.percentUsed(justBelow)).isEqualTo(new java.math.BigDecimal("89.8"));
    }

    @Test
    void theForecastProjectsTheMonthToDateRate() {
        // 10 of 30 days gone, 400 of 1,000 used: 40 a day, 1,200 by the end, 1,000 reached on day 25.
        Forecast forecast = Forecast.of(balance(1_000, 400), Instant.parse("2026-11-11T00:00:00Z"));

        assertThat(forecast.projectedUsed()).isEqualTo(Credits.of(1_200));
        assertThat(forecast.runsOutOn()).isEqualTo(LocalDate.parse("2026-11-26"));
        assertThat(Forecast.runsOutBeforePeriodEnd(balance(1_000, 400), Instant.parse("2026-11-11T00:00:00Z"))).isTrue();
    }

    @Test
    void noForecastAlertOnASlowMonthAnAlreadyExhaustedPoolOrTheFirstHours() {
        assertThat(Forecast.of(balance(1_000, 300), Instant.parse("2026-11-11T00:00:00Z")).runsOutOn()).isNull();
        assertThat(Forecast.of(balance(1_000, 1_000), Instant.parse("2026-11-11T00:00:00Z")).runsOutOn()).isNull();
        assertThat(Forecast.runsOutBeforePeriodEnd(balance(1_000, 100), Instant.parse("2026-11-01T06:00:00Z"))).isFalse();
    }

    @Test
    void theFirstTwentyFourHoursOfAPeriodAreTooEarlyToForecast() {
        Period november = Period.parse("2026-11");

        assertThat(Forecast.tooEarly(november, Instant.parse("2026-11-01T07:00:00Z"))).isTrue();
        assertThat(Forecast.tooEarly(november, Instant.parse("2026-11-01T23:59:59.999Z"))).isTrue();
        assertThat(Forecast.tooEarly(november, Instant.parse("2026-11-02T00:00:00Z"))).isFalse();
    }
}
