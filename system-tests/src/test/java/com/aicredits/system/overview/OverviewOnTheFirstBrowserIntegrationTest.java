package com.aicredits.system.overview;

import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;

/**
 * The overview page's browser tests seven hours into a month (07:00 UTC on the 1st of this month): this month has a
 * few runs, last month is complete, and it is too early to forecast.
 */
class OverviewOnTheFirstBrowserIntegrationTest extends OverviewBrowserIntegrationTest {
    @BeforeAll
    static void start() throws Exception {
        startTheStackAndTheBrowser(YearMonth.now(ZoneOffset.UTC).atDay(1).atTime(7, 0).toInstant(ZoneOffset.UTC), "first-");
    }
}
