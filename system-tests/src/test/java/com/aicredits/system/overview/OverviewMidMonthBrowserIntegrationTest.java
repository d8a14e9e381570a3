package com.aicredits.system.overview;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;

/**
 * The overview page's browser tests in the middle of a month, whatever day the suite runs: 10:00 UTC on the 17th of
 * last month, so the stack's clock is never ahead of the machine's (the dev tokens it hands out would look expired to
 * the page). That month has half a month of runs and a forecast, the one before it is complete.
 */
class OverviewMidMonthBrowserIntegrationTest extends OverviewBrowserIntegrationTest {
    static final Instant CLOCK_START = YearMonth.now(ZoneOffset.UTC).minusMonths(1).atDay(17).atTime(10, 0).toInstant(ZoneOffset.UTC);

    @BeforeAll
    static void start() throws Exception {
        startTheStackAndTheBrowser(CLOCK_START, "");
    }
}
