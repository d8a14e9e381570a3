package com.aicredits.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.app.http.ExchangeObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The stack's clock start (AICREDITS_CLOCK_START): the local stack applies it itself and hands its clock on. */
class DevStackSettingsTest {
    private static final Path ROOT = Path.of(".");

    @Test
    void withoutAClockStartTheStackRunsOnTheSystemClock() {
        assertThat(DevStack.Settings.clockStart(null)).isNull();
        assertThat(DevStack.Settings.clockStart(" ")).isNull();
        Instant now = new DevStack.Settings(ROOT, ROOT, 0, false).clock().instant();
        assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClockStartMovesTheStacksClockThereTickingFromIt() {
        Instant start = Instant.parse("2026-12-01T07:00:00Z");
        DevStack.Settings settings = new DevStack.Settings(ROOT, ROOT, 0, false, 1, DevStack.Settings.clockStart("2026-12-01T07:00:00Z"),
                ExchangeObserver.NONE);

        Instant first = settings.clock().instant();
        assertThat(Duration.between(start, first)).isBetween(Duration.ZERO, Duration.ofSeconds(5));
    }

    @Test
    void aClockStartThatIsNoInstantIsRefusedSayingWhatItMustBe() {
        assertThatThrownBy(() -> DevStack.Settings.clockStart("2026-12-01"))
                .hasMessage("AICREDITS_CLOCK_START must be an ISO-8601 instant such as 2026-12-01T07:00:00Z; got '2026-12-01'");
    }
}
