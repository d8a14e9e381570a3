package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.json.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CreditsTest {

    @Test
    void amountsAreWrittenWithTheFewestDigitsAndNoExponent() {
        assertThat(Credits.of(1).toString()).isEqualTo("1");
        assertThat(Credits.parse("0.25").toString()).isEqualTo("0.25");
        assertThat(Credits.parse("12.50").toString()).isEqualTo("12.5");
        assertThat(Credits.parse("-3.75").toString()).isEqualTo("-3.75");
        assertThat(Credits.of(1_200).toString()).isEqualTo("1200");
        assertThat(Credits.ZERO.toString()).isEqualTo("0");
        assertThat(Json.write(java.util.Map.of("c", Credits.of(100_000)))).isEqualTo("{\"c\":100000}");
        assertThat(Json.write(java.util.Map.of("c", Credits.parse("0.1")))).isEqualTo("{\"c\":0.1}");
    }

    @Test
    void fourQuarterRunsAreExactlyOneCreditAndTenThousandAreExactlyTwoThousandFiveHundred() {
        Credits quarter = Credits.parse("0.25");
        Credits sum = Credits.ZERO;
        for (int i = 0; i < 10_000; i++) {
            sum = sum.plus(quarter);
            if (i == 3) {
                assertThat(sum).isEqualTo(Credits.of(1));
            }
        }
        assertThat(sum).isEqualTo(Credits.of(2_500));
        assertThat(Credits.parse("0.1").plus(Credits.parse("0.2"))).isEqualTo(Credits.parse("0.3"));
    }

    @Test
    void anAmountFinerThanAHundredthIsRefusedNotRounded() {
        assertThatThrownBy(() -> Credits.parse("0.125")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Credits.of(new BigDecimal("1.50"))).isEqualTo(Credits.parse("1.5"));
        assertThat(Json.MAPPER.convertValue(new BigDecimal("0.25"), Credits.class)).isEqualTo(Credits.ofHundredths(25));
    }

    @Test
    void percentagesAndTheHardLimitRoundTheWayTheLedgerNeeds() {
        assertThat(Credits.of(333).percent(150)).isEqualTo(Credits.parse("499.5"));
        assertThat(Credits.parse("0.01").percent(150)).isEqualTo(Credits.ofHundredths(1));
        assertThat(Credits.parse("89.75").percentOf(Credits.of(100))).isEqualTo(new BigDecimal("89.8"));
        assertThat(Credits.of(5).percentOf(Credits.ZERO)).isEqualTo(new BigDecimal("0.0"));
    }
}
