package com.aicredits.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LocalDynamoDb;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The demo data of {@code make run}, written while the month turns: the calendar run (31 December, 23:50) found the
 * stack refusing its own previous month's runs as too old once its clock had passed midnight during the writing.
 */
class DemoDataIntegrationTest {
    private static final Instant LAST_SECOND_OF_DECEMBER = Instant.parse("2026-12-31T23:59:59.500Z");

    @Test
    void aMonthThatTurnsWhileTheDemoIsWrittenLosesNoneOfIt() {
        // The stack read its clock in December; by the time the runs are written, its clock says January.
        Clock january = Clock.fixed(Instant.parse("2027-01-01T00:00:02Z"), ZoneOffset.UTC);
        CreditsTable table = new CreditsTable(LocalDynamoDb.shared(), "demo-month-turns");

        DemoData.Written written = DemoData.write(table.services(january), LAST_SECOND_OF_DECEMBER, monthStart -> { });

        assertThat(written.previousMonthRuns()).isPositive();
        assertThat(written.thisMonthRuns()).isPositive();
        // Every run of November and of December is recorded.
        assertThat(table.records("ws-demo-soc", "demo-2026-11-")).isNotEmpty();
        assertThat(table.records("ws-demo-soc", "demo-2026-12-")).isNotEmpty();
    }
}
