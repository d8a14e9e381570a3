package com.aicredits.local;

import org.junit.jupiter.api.BeforeAll;

/** The overview page's browser tests at today's time, as the machine's clock says. */
class OverviewTodayBrowserIntegrationTest extends OverviewBrowserIntegrationTest {
    @BeforeAll
    static void start() throws Exception {
        startTheStackAndTheBrowser(null, "");
    }
}
