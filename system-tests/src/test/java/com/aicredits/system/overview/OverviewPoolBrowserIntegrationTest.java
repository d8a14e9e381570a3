package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.local.DemoData;
import com.aicredits.system.stack.HeadlessChromium;
import com.aicredits.system.stack.LaunchedStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The organization view of an organization pooling its credits, in Chromium, against the local stack started as
 * {@code make run} starts it with its demo data ({@link DemoData#POOL_ORGANIZATION}: three workspaces drawing from one
 * pool, last month complete and this month so far): the pool's bar stacked by workspace, its cumulative daily chart,
 * its thresholds, and each workspace's tile marked as drawing from it. Every expected number is read from the API.
 */
class OverviewPoolBrowserIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    @TempDir
    static Path browserProfile;

    private static LaunchedStack stack;
    private static ChromeDriver browser;
    private static String poolManagerToken;

    @BeforeAll
    static void start() throws Exception {
        // Mid-month, as the other browser tests: the 17th of last month, never ahead of the machine's clock.
        Instant clockStart = OverviewMidMonthBrowserIntegrationTest.CLOCK_START;
        stack = LaunchedStack.start(data, LaunchedStack.freePort(), clockStart);
        poolManagerToken = stack.token("manager", DemoData.POOL_ORGANIZATION);
        browser = HeadlessChromium.start(browserProfile);
        HeadlessChromium.moveClock(browser, clockStart);
        browser.manage().timeouts().scriptTimeout(WAIT);
    }

    @AfterAll
    static void stop() throws Exception {
        HeadlessChromium.quit(browser, stack);
    }

    @BeforeEach
    void signedOutOnAWideScreen() {
        browser.manage().window().setSize(new Dimension(1280, 1200));
        browser.get(stack.base() + "/");
        browser.executeScript("sessionStorage.clear()");
    }

    @Test
    void theDemosPoolAddsUpItsWorkspacesThroughTheStack() throws Exception {
        JsonNode usage = api("/v1/organizations/" + DemoData.POOL_ORGANIZATION + "/usage");
        JsonNode pool = usage.get("pool");
        BigDecimal byWorkspace = BigDecimal.ZERO;
        for (JsonNode credits : pool.get("byWorkspace")) {
            byWorkspace = byWorkspace.add(credits.decimalValue());
        }
        assertThat(byWorkspace).isEqualByComparingTo(pool.get("used").decimalValue());
        assertThat(pool.get("byWorkspace").size()).isEqualTo(3);
        assertThat(pool.get("used").decimalValue()).isPositive();
        for (JsonNode row : usage.get("items")) {
            assertThat(row.get("pool").asText()).isEqualTo("organization");
            JsonNode own = api("/v1/workspaces/" + row.get("workspaceId").asText() + "/usage");
            assertThat(own.get("pool").asText()).isEqualTo("organization");
            assertThat(own.get("creditsUsed").decimalValue()).as("what the workspace used")
                    .isEqualByComparingTo(pool.get("byWorkspace").get(row.get("workspaceId").asText()).decimalValue());
        }
        // Last month, complete, was pooled too; the per-workspace demo organization has no pool.
        String previous = YearMonth.parse(currentPeriod()).minusMonths(1).toString();
        assertThat(api("/v1/organizations/" + DemoData.POOL_ORGANIZATION + "/usage?period=" + previous).get("pool")).isNotNull();
        var perWorkspace = stack.send("GET", "/v1/organizations/" + DemoData.ORGANIZATION + "/usage",
                stack.token("manager", DemoData.ORGANIZATION), null);
        assertThat(Json.MAPPER.readTree(perWorkspace.body()).has("pool")).isFalse();
    }

    @Test
    void thePoolsBarIsSplitByWorkspaceAndEachSegmentTellsItsWorkspacesNameAndCredits() throws Exception {
        JsonNode usage = api("/v1/organizations/" + DemoData.POOL_ORGANIZATION + "/usage");
        JsonNode pool = usage.get("pool");
        Map<String, String> names = names(usage);
        signIn(poolManagerToken);

        assertThat(browser.findElement(By.id("pool")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pool-summary")).getText())
                .contains(credits(pool.get("used")) + " / " + credits(pool.get("allocated")))
                .contains(String.format(Locale.ROOT, "(%.1f%%)", pool.get("percentUsed").asDouble()));
        List<WebElement> segments = browser.findElements(By.cssSelector("#pool-bar .segment"));
        assertThat(segments).isNotEmpty();
        BigDecimal sum = BigDecimal.ZERO;
        for (WebElement segment : segments) {
            String workspace = segment.getDomAttribute("data-workspace");
            BigDecimal segmentCredits = new BigDecimal(segment.getDomAttribute("data-credits"));
            assertThat(segmentCredits).as(workspace).isEqualByComparingTo(pool.get("byWorkspace").get(workspace).decimalValue());
            sum = sum.add(segmentCredits);
            new Actions(browser).moveToElement(segment).perform();
            awaitTooltip(names.get(workspace) + ": " + credits(pool.get("byWorkspace").get(workspace)) + " credits");
        }
        assertThat(sum).isEqualByComparingTo(pool.get("used").decimalValue());
        screenshot("pool-bar-tooltip");
        for (String workspace : names.keySet()) {
            WebElement legendRow = browser.findElement(By.cssSelector("#pool-legend tr[data-workspace='" + workspace + "']"));
            assertThat(legendRow.getText()).contains(names.get(workspace)).contains(credits(pool.get("byWorkspace").get(workspace)));
        }

        // The keyboard reaches the same tooltips: Tab from the pool's heading lands on the first segment.
        new Actions(browser).moveToElement(browser.findElement(By.id("pool-title"))).click().perform();
        new Actions(browser).sendKeys(Keys.TAB).perform();
        WebElement focused = browser.switchTo().activeElement();
        assertThat(focused.getDomAttribute("data-workspace")).isEqualTo(segments.getFirst().getDomAttribute("data-workspace"));
        awaitTooltip(names.get(focused.getDomAttribute("data-workspace")) + ": ");
        assertNoConsoleErrors("showing the pool's bar");
    }

    @Test
    void thePoolsDailyChartEndsAtItsUsedAndItsThresholdsAndTilesShow() throws Exception {
        JsonNode usage = api("/v1/organizations/" + DemoData.POOL_ORGANIZATION + "/usage");
        JsonNode pool = usage.get("pool");
        JsonNode daily = pool.get("daily");
        signIn(poolManagerToken);

        List<WebElement> points = browser.findElements(By.cssSelector("#pool-daily-chart circle.point"));
        assertThat(points).hasSize(daily.size());
        assertThat(new BigDecimal(points.getLast().getDomAttribute("data-cumulative"))).isEqualByComparingTo(pool.get("used").decimalValue());
        List<WebElement> days = browser.findElements(By.cssSelector("#pool-daily-chart rect.day-hit"));
        new Actions(browser).moveToElement(days.getLast()).perform();
        awaitTooltip(dayLabel(daily.get(daily.size() - 1).get("date").asText()) + ": " + credits(pool.get("used"))
                + " credits in total since the 1st");
        assertThat(browser.findElements(By.cssSelector("#pool-daily-table tbody tr"))).hasSize(daily.size());

        List<String> reached = new ArrayList<>();
        pool.get("thresholdsReached").forEach(t -> reached.add(t.asText() + "%"));
        String thresholds = browser.findElement(By.id("pool-thresholds")).getText();
        if (reached.isEmpty()) {
            assertThat(thresholds).isEqualTo("No alert threshold of the pool reached this month.");
        } else {
            assertThat(thresholds).isEqualTo("Thresholds reached: " + String.join(", ", reached));
        }

        List<WebElement> tiles = browser.findElements(By.cssSelector("#tiles a.tile"));
        assertThat(tiles).hasSize(usage.get("items").size());
        for (JsonNode row : usage.get("items")) {
            WebElement tile = browser.findElement(By.cssSelector("a.tile[data-workspace='" + row.get("workspaceId").asText() + "']"));
            assertThat(tile.getDomAttribute("data-pool")).isEqualTo("organization");
            assertThat(tile.getDomAttribute("class")).contains("pooled");
            assertThat(tile.getText()).contains(row.get("name").asText())
                    .contains("Draws from the organization's credit pool")
                    .contains(credits(row.get("creditsUsed")) + "\ncredits used");
        }
        screenshot("pool-organization");
        assertNoConsoleErrors("showing the pool");
    }

    @Test
    void aPooledWorkspaceSaysItDrawsFromThePoolAndAnOrganizationWithoutOneShowsNone() throws Exception {
        JsonNode usage = api("/v1/organizations/" + DemoData.POOL_ORGANIZATION + "/usage");
        String workspace = usage.get("items").get(0).get("workspaceId").asText();
        signIn(poolManagerToken);
        browser.findElement(By.cssSelector("a.tile[data-workspace='" + workspace + "']")).click();
        awaitReady("workspace");
        assertThat(browser.findElement(By.id("workspace-pool-note")).isDisplayed()).isTrue();
        JsonNode own = api("/v1/workspaces/" + workspace + "/usage");
        assertThat(browser.findElement(By.id("used-summary")).getText()).contains(credits(own.get("creditsUsed")));

        // Last month: the pool of that month.
        String previous = YearMonth.parse(currentPeriod()).minusMonths(1).toString();
        JsonNode lastMonth = api("/v1/organizations/" + DemoData.POOL_ORGANIZATION + "/usage?period=" + previous).get("pool");
        browser.get(stack.base() + "/?period=" + previous);
        awaitReady("organization");
        assertThat(browser.findElement(By.id("pool-summary")).getText())
                .contains(credits(lastMonth.get("used")) + " / " + credits(lastMonth.get("allocated")));

        browser.executeScript("sessionStorage.clear()");
        signIn(stack.token("manager", DemoData.ORGANIZATION));
        assertThat(browser.findElement(By.id("pool")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#tiles a.tile.pooled"))).isEmpty();
        browser.findElement(By.cssSelector("#tiles a.tile")).click();
        awaitReady("workspace");
        assertThat(browser.findElement(By.id("workspace-pool-note")).isDisplayed()).isFalse();
        assertNoConsoleErrors("switching organizations");
    }

    @Test
    void aNarrowScreenNeedsNoSidewaysScrollingForThePool() throws Exception {
        signIn(poolManagerToken);
        browser.manage().window().setSize(new Dimension(390, 900));
        Object overflow = browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).longValue()).as("pixels scrolled sideways").isLessThanOrEqualTo(0);
        // Redrawn at the new width: the chart fits the narrower panel.
        new WebDriverWait(browser, WAIT).until(d -> ((Number) browser.executeScript(
                "return document.querySelector('#pool-daily-chart svg').viewBox.baseVal.width")).doubleValue() < 500);
        screenshot("pool-narrow");
    }

    private void signIn(String token) {
        browser.get(stack.base() + "/");
        awaitReady("sign-in");
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("sign-in-button")).click();
        awaitReady("organization");
    }

    private void awaitReady(String view) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "the page never showed " + view + "; status: "
                        + browser.findElement(By.id("status")).getText())
                .until(d -> view.equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    private void awaitTooltip(String expected) {
        WebElement tooltip = browser.findElement(By.id("tooltip"));
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the tooltip shows \"" + tooltip.getText() + "\", not \"" + expected + "\"")
                .until(d -> tooltip.isDisplayed() && tooltip.getText().startsWith(expected));
    }

    private static void assertNoConsoleErrors(String during) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors while " + during).isEmpty();
    }

    private static Map<String, String> names(JsonNode usage) {
        Map<String, String> names = new HashMap<>();
        usage.get("items").forEach(row -> names.put(row.get("workspaceId").asText(), row.get("name").asText()));
        return names;
    }

    private JsonNode api(String path) throws Exception {
        var response = stack.send("GET", path, poolManagerToken, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** The stack's month (its clock stands in the middle of last month). */
    private static String currentPeriod() {
        return YearMonth.from(OverviewMidMonthBrowserIntegrationTest.CLOCK_START.atOffset(ZoneOffset.UTC)).toString();
    }

    private static String credits(JsonNode value) {
        return new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.US)).format(value.decimalValue());
    }

    private static String dayLabel(String isoDate) {
        LocalDate date = LocalDate.parse(isoDate);
        return date.getDayOfMonth() + " " + date.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }

    /** What the window shows, to system-tests/target/screenshots/ as the other browser tests do. */
    private static void screenshot(String name) throws java.io.IOException {
        Path folder = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(folder.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
