package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.app.http.Refusals;
import com.aicredits.domain.Refusal;
import org.junit.jupiter.api.Test;

class DebitMetricsTest {
    /** template.yaml's alarm and dashboard name the Reason dimension by the API's error codes. */
    @Test
    void aRefusedDebitIsCountedUnderItsErrorCodeAndInputErrorsAreNot() {
        for (Refusal refusal : new Refusal[] {Refusal.HARD_LIMIT, Refusal.CASES_DISABLED, Refusal.BYOS_NOT_ENABLED}) {
            assertThat(DebitMetrics.metricReason(refusal)).isEqualTo(Refusals.code(refusal));
        }
        assertThat(DebitMetrics.metricReason(Refusal.INVALID_INPUT)).isNull();
        assertThat(DebitMetrics.metricReason(Refusal.UNKNOWN_WORKSPACE)).isNull();
        assertThat(DebitMetrics.metricReason(Refusal.CONTENTION)).isNull();
    }
}
