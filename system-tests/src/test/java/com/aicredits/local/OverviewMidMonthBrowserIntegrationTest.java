package com.aicredits.local;

import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;

/**
 * The overview page's browser tests in the middle of a month (10:00 UTC on the 17th of this month, whatever day the
 * suite runs): this month has half a month of runs and a forecast, last month is complete.
 */
class OverviewMidMonthBrowserIntegrationTest extends OverviewBrowserIntegrationTest {
    @BeforeAll
    static void start() throws Exception {
        startTheStackAndTheBrowser(YearMonth.now(ZoneOffset.UTC).atDay(17).atTime(10, 0).toInstant(ZoneOffset.UTC), "");
    }
}
