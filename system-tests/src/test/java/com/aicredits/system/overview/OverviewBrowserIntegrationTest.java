package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.local.DemoData;
import com.aicredits.system.stack.HeadlessChromium;
import com.aicredits.system.stack.LaunchedStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The overview page in a real browser: Debian's headless Chromium, driven through its ChromeDriver by Selenium,
 * against the local stack started as {@code make run} starts it, with its demo data. Every expected number is read
 * from the usage API itself. Screenshots go to {@code system-tests/target/screenshots/} for a reviewer to look at. Run twice
 * (the subclasses): in the middle of a month ({@link OverviewMidMonthBrowserIntegrationTest}), and with the stack's and the
 * browser's clocks at 07:00 UTC on the 1st ({@link OverviewOnTheFirstBrowserIntegrationTest}).
 */
abstract class OverviewBrowserIntegrationTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String WORKSPACE = "ws-demo-lab";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    @TempDir
    static Path browserProfile;

    /** Selenium warns it has no DevTools bindings for this Chromium's version; we use none. */
    private static final Logger SELENIUM_CDP_WARNINGS = quiet("org.openqa.selenium");
    private static LaunchedStack stack;
    private static ChromeDriver browser;
    private static String managerToken;

    private static String shotPrefix;

    static void startTheStackAndTheBrowser(Instant clockStart, String screenshotPrefix) throws Exception {
        shotPrefix = screenshotPrefix;
        stack = LaunchedStack.start(data, LaunchedStack.freePort(), clockStart);
        managerToken = stack.token("manager", DemoData.ORGANIZATION);

        browser = HeadlessChromium.start(browserProfile);
        browser.manage().timeouts().scriptTimeout(WAIT);
        HeadlessChromium.moveClock(browser, clockStart);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopThem() throws Exception {
        HeadlessChromium.quit(browser, stack);
    }

    @BeforeEach
    void signedOutOnAWideScreen() {
        browser.manage().window().setSize(new Dimension(1280, 1200));
        browser.get(stack.base() + "/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(stack.base() + "/");
        awaitReady("sign-in");
        assertNoConsoleErrors("loading the page");
    }

    @Test
    void aWrongTokenShowsAClearSignInError() throws Exception {
        String[] parts = managerToken.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        String refused = signInExpectingError(forged);
        screenshot("sign-in-error");
        String notAJwt = signInExpectingError("hello");
        String notAManager = signInExpectingError(stack.token("admin", null));
        String adminInDisguise = signInExpectingError(forgedClaims());

        assertThat(refused).contains("The API refused this token (401 Unauthorized)").contains("sign in again");
        assertThat(notAJwt).contains("This is not a JWT");
        assertThat(notAManager).contains("no org_id claim");
        assertThat(adminInDisguise).contains("401");
        assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("organization")).isDisplayed()).isFalse();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void theOrganizationShowsEachWorkspaceAsUsedOfAllocatedAndOpensIt() throws Exception {
        JsonNode rows = api("/v1/organizations/" + DemoData.ORGANIZATION + "/usage").get("items");
        signIn();

        List<WebElement> tiles = browser.findElements(By.cssSelector("#tiles a.tile"));
        assertThat(tiles).hasSize(rows.size());
        for (JsonNode row : rows) {
            WebElement tile = browser.findElement(By.cssSelector("a.tile[data-workspace='" + row.get("workspaceId").asText() + "']"));
            assertThat(tile.getText())
                    .contains(row.get("name").asText())
                    .contains(row.get("tier").asText())
                    .contains(credits(row.get("creditsUsed")) + " / " + credits(row.get("creditsAllocated")))
                    .contains(String.format(Locale.ROOT, "%.1f%% used", row.get("percentUsed").asDouble()));
        }
        screenshot("organization");
        assertNoConsoleErrors("signing in");

        browser.findElement(By.cssSelector("a.tile[data-workspace='" + WORKSPACE + "']")).click();
        awaitReady("workspace");
        assertThat(browser.getCurrentUrl()).contains("workspace=" + WORKSPACE);
        assertThat(browser.findElement(By.id("workspace-title")).getText()).contains("Acme Lab").contains("DEV");
        browser.navigate().back();
        awaitReady("organization");
    }

    @Test
    void theBarsSegmentsSumToTheUsedTotalAndEachTellsItsFeature() throws Exception {
        JsonNode usage = api("/v1/workspaces/" + WORKSPACE + "/usage");
        signIn();
        openWorkspace();

        List<WebElement> segments = browser.findElements(By.cssSelector("#feature-bar .segment"));
        BigDecimal sum = segments.stream().map(s -> new BigDecimal(s.getDomAttribute("data-credits")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo(usage.get("creditsUsed").decimalValue());
        assertThat(browser.findElement(By.id("used-summary")).getText())
                .contains(credits(usage.get("creditsUsed")) + " / " + credits(usage.get("creditsAllocated")));
        assertThat(segments).isNotEmpty();
        for (WebElement segment : segments) {
            String feature = segment.getDomAttribute("data-feature");
            JsonNode featureCredits = usage.get("byFeature").get(feature);
            assertThat(new BigDecimal(segment.getDomAttribute("data-credits"))).isEqualByComparingTo(featureCredits.decimalValue());

            new Actions(browser).moveToElement(segment).perform();
            awaitTooltip(FEATURE_NAMES.get(feature) + ": " + credits(featureCredits) + " credits");
        }
        screenshot("workspace-bar-tooltip");

        // The keyboard reaches the same tooltip: Tab from the figures above lands on the first segment.
        new Actions(browser).moveToElement(browser.findElement(By.id("used-title"))).click().perform();
        new Actions(browser).sendKeys(Keys.TAB).perform();
        WebElement focused = browser.switchTo().activeElement();
        assertThat(focused.getDomAttribute("data-feature")).isEqualTo(segments.getFirst().getDomAttribute("data-feature"));
        awaitTooltip(FEATURE_NAMES.get(focused.getDomAttribute("data-feature")) + ": ");
    }

    @Test
    void aWorkspaceOnItsOwnModelShowsItsByosRunsPerFeatureAndInTheExecutions() throws Exception {
        // Last month, complete: the demo MSSP ran every third AI agent run on its own model.
        String byosWorkspace = DemoData.BYOS_WORKSPACE;
        String previous = com.aicredits.domain.Period.parse(api("/v1/workspaces/" + byosWorkspace + "/usage").get("period").asText())
                .previous().toString();
        JsonNode usage = api("/v1/workspaces/" + byosWorkspace + "/usage?period=" + previous);
        JsonNode executions = api("/v1/workspaces/" + byosWorkspace + "/executions?limit=100&period=" + previous);
        assertThat(usage.at("/byosExecutions/AI_AGENT").asLong()).as("the demo has BYOS runs").isPositive();
        signIn();
        browser.get(stack.base() + "/?workspace=" + byosWorkspace + "&period=" + previous);
        awaitReady("workspace");

        assertThat(browser.findElement(By.id("byos-heading")).isDisplayed()).isTrue();
        for (String feature : FEATURE_NAMES.keySet()) {
            WebElement cell = browser.findElement(By.cssSelector("#feature-legend tr[data-feature='" + feature + "'] td.byos-runs"));
            assertThat(Long.parseLong(cell.getDomAttribute("data-byos-runs"))).as(feature)
                    .isEqualTo(usage.at("/byosExecutions/" + feature).asLong());
        }
        assertThat(browser.findElement(By.id("free-note")).getText()).contains("runs on your own model (BYOS)");
        // About one run in nine is BYOS: "Show more" until the table holds one (at most 100 rows, the API page read).
        for (int page = 1; page < 5 && browser.findElements(By.cssSelector("#executions .own-model")).isEmpty(); page++) {
            int shown = browser.findElements(By.cssSelector("#executions tr[data-execution]")).size();
            browser.findElement(By.id("more-executions")).click();
            new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("#executions tr[data-execution]")).size() > shown);
        }
        Map<String, JsonNode> records = new java.util.HashMap<>();
        executions.get("items").forEach(record -> records.put(record.get("executionId").asText(), record));
        List<WebElement> rows = browser.findElements(By.cssSelector("#executions tr[data-execution]"));
        for (WebElement row : rows) {
            JsonNode record = records.get(row.getDomAttribute("data-execution"));
            assertThat(row.findElements(By.cssSelector(".own-model"))).as(String.valueOf(record))
                    .hasSize(record.path("model").asText().equals("BYOS") ? 1 : 0);
        }
        assertThat(browser.findElements(By.cssSelector("#executions .own-model"))).isNotEmpty();
        screenshot("workspace-byos");

        openWorkspace();
        assertThat(browser.findElement(By.id("byos-heading")).isDisplayed()).as("a workspace without BYOS runs").isFalse();
        assertNoConsoleErrors("showing BYOS runs");
    }

    @Test
    void theDailyChartsLastPointIsTheMonthsUsedTotal() throws Exception {
        JsonNode usage = api("/v1/workspaces/" + WORKSPACE + "/usage");
        JsonNode executions = api("/v1/workspaces/" + WORKSPACE + "/executions?limit=20");
        JsonNode daily = usage.get("daily");
        signIn();
        openWorkspace();

        List<WebElement> points = browser.findElements(By.cssSelector("#daily-chart circle.point"));
        assertThat(points).hasSize(daily.size());
        WebElement last = points.getLast();
        assertThat(new BigDecimal(last.getDomAttribute("data-cumulative"))).isEqualByComparingTo(usage.get("creditsUsed").decimalValue());

        List<WebElement> days = browser.findElements(By.cssSelector("#daily-chart rect.day-hit"));
        new Actions(browser).moveToElement(days.getLast()).perform();
        String lastDay = dayLabel(daily.get(daily.size() - 1).get("date").asText());
        awaitTooltip(lastDay + ": " + credits(usage.get("creditsUsed")) + " credits in total since the 1st");
        int middle = daily.size() / 2;
        new Actions(browser).moveToElement(days.get(middle)).perform();
        awaitTooltip(dayLabel(daily.get(middle).get("date").asText()) + ": "
                + credits(daily.get(middle).get("cumulative")) + " credits in total");
        screenshot("workspace");

        // Keyboard: focus the chart, End is the last day, ArrowLeft the one before.
        browser.findElement(By.cssSelector("#daily-chart svg")).sendKeys(Keys.END);
        awaitTooltip(lastDay + ": " + credits(usage.get("creditsUsed")) + " credits in total");
        if (daily.size() > 1) {
            browser.findElement(By.cssSelector("#daily-chart svg")).sendKeys(Keys.ARROW_LEFT);
            awaitTooltip(dayLabel(daily.get(daily.size() - 2).get("date").asText()) + ": "
                    + credits(daily.get(daily.size() - 2).get("cumulative")) + " credits in total");
        }

        List<WebElement> rows = browser.findElements(By.cssSelector("#executions tbody tr[data-execution]"));
        assertThat(rows).hasSize(executions.get("items").size());
        assertThat(rows.getFirst().getDomAttribute("data-execution")).isEqualTo(executions.get("items").get(0).get("executionId").asText());
        assertThat(browser.findElement(By.id("forecast")).getText()).startsWith("Forecast:");
        if (usage.get("forecast").get("tooEarly").asBoolean()) {
            assertThat(browser.findElement(By.id("forecast")).getText()).contains("too early to forecast");
            assertThat(browser.findElements(By.cssSelector("#daily-chart .forecast"))).isEmpty();
        } else if (browser.findElements(By.cssSelector("#daily-chart .forecast")).size() == 1) {
            // The forecast line ends where its label says, inside the chart, or says it leaves it.
            WebElement label = browser.findElement(By.cssSelector("#daily-chart .forecast text"));
            assertThat(label.getText()).startsWith("Forecast " + credits(usage.get("forecast").get("projectedUsed")));
        }
        assertThat(browser.findElement(By.id("thresholds")).getText()).isNotBlank();
        assertNoConsoleErrors("opening a workspace");
    }

    @Test
    void theDemoShowsLastMonthClosedAndThisMonthInTheOrderItHappened() throws Exception {
        JsonNode thisMonth = api("/v1/workspaces/" + WORKSPACE + "/usage");
        String previous = YearMonth.parse(thisMonth.get("period").asText()).minusMonths(1).toString();
        JsonNode lastMonth = api("/v1/workspaces/" + WORKSPACE + "/usage?period=" + previous);
        JsonNode executions = api("/v1/workspaces/" + WORKSPACE + "/executions?limit=500").get("items");

        // Newest first, in commit order: so occurredAt never rises down the list.
        for (int i = 1; i < executions.size(); i++) {
            assertThat(executions.get(i).get("occurredAt").asText()).isLessThanOrEqualTo(executions.get(i - 1).get("occurredAt").asText());
        }
        assertThat(executions.size()).isPositive();
        assertThat(lastMonth.get("creditsUsed").asLong()).isGreaterThan(lastMonth.get("creditsAllocated").asLong());
        assertThat(lastMonth.get("thresholdsReached").toString()).isEqualTo("[80,90,100,120]");
        assertThat(lastMonth.get("daily")).allSatisfy(day -> assertThat(day.get("cumulative").asLong()).isPositive());
        awaitEmails(emails -> emails.contains("Monthly AI credit summary for " + previous + " — Acme Lab")
                && emails.contains("Monthly AI credit summary for " + previous + " — Acme SOC")
                && emails.contains("Monthly AI credit summary for " + previous + " — Acme MSSP")
                && emails.contains("Usage alert: 120% of monthly AI credits used — Acme Lab"));

        signIn();
        browser.get(stack.base() + "/?workspace=" + WORKSPACE + "&period=" + previous);
        awaitReady("workspace");
        assertThat(browser.findElement(By.id("used-summary")).getText())
                .contains(credits(lastMonth.get("creditsUsed")) + " / " + credits(lastMonth.get("creditsAllocated")));
        assertThat(browser.findElement(By.id("thresholds")).getText()).contains("80%, 90%, 100%, 120%");
        screenshot("workspace-last-month");
        assertNoConsoleErrors("opening last month");
    }

    /** Waits until the subjects of the emails the stack sent satisfy {@code done}. */
    private static void awaitEmails(java.util.function.Predicate<String> done) throws Exception {
        String subjects = "";
        for (long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos(); System.nanoTime() < deadline; Thread.sleep(250)) {
            StringBuilder all = new StringBuilder();
            for (JsonNode email : Json.MAPPER.readTree(stack.send("GET", "/_local/emails", null, null).body()).get("emails")) {
                all.append(email.get("subject").asText()).append('\n');
            }
            subjects = all.toString();
            if (done.test(subjects)) {
                return;
            }
        }
        throw new AssertionError("the demo's emails are not all there; subjects sent:\n" + subjects);
    }

    private static void assertNoConsoleErrors(String during) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors while " + during).isEmpty();
    }

    @Test
    void aNarrowScreenNeedsNoSidewaysScrolling() throws Exception {
        signIn();
        browser.manage().window().setSize(new Dimension(390, 900));
        assertFitsTheWidth();
        fullPageScreenshot("organization-narrow");
        openWorkspace();
        assertFitsTheWidth();
        WebElement segment = browser.findElements(By.cssSelector("#feature-bar .segment")).getFirst();
        new Actions(browser).moveToElement(segment).perform();
        awaitTooltip(FEATURE_NAMES.get(segment.getDomAttribute("data-feature")) + ": ");
        fullPageScreenshot("workspace-narrow");
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private static final Map<String, String> FEATURE_NAMES = Map.of("CASE_INVESTIGATION", "Case investigations",
            "CASE_CONVERSATION", "Case conversations", "AI_AGENT", "AI agents", "AI_TASK", "AI tasks");

    private void signIn() {
        WebElement token = browser.findElement(By.id("token"));
        token.clear();
        token.sendKeys(managerToken);
        browser.findElement(By.id("sign-in-button")).click();
        awaitReady("organization");
    }

    private String signInExpectingError(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("sign-in-button")).click();
        WebElement error = browser.findElement(By.id("sign-in-error"));
        new WebDriverWait(browser, WAIT).until(d -> !error.getText().isBlank());
        return error.getText();
    }

    private void openWorkspace() {
        browser.get(stack.base() + "/?workspace=" + WORKSPACE);
        awaitReady("workspace");
    }

    private void awaitReady(String view) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "the page never showed " + view + "; status: "
                        + browser.findElement(By.id("status")).getText())
                .until(d -> view.equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    /** Waits for the tooltip to start with {@code expected}; fails with what it shows instead. */
    private void awaitTooltip(String expected) {
        WebElement tooltip = browser.findElement(By.id("tooltip"));
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the tooltip shows \"" + tooltip.getText() + "\" (displayed: " + tooltip.isDisplayed()
                        + "), not \"" + expected + "\"")
                .until(d -> tooltip.isDisplayed() && tooltip.getText().startsWith(expected));
    }

    private void assertFitsTheWidth() {
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).longValue()).as("pixels scrolled sideways").isLessThanOrEqualTo(0);
    }

    /** A token whose claims say manager of the demo organization but whose signature is someone else's. */
    private String forgedClaims() throws Exception {
        String[] admin = stack.token("admin", null).split("\\.");
        String[] manager = managerToken.split("\\.");
        return manager[0] + "." + manager[1] + "." + admin[2];
    }

    private JsonNode api(String path) throws Exception {
        var response = stack.send("GET", path, managerToken, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** Credits as the page writes them: grouped thousands, up to two decimals. */
    private static String credits(JsonNode value) {
        return new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.US)).format(value.decimalValue());
    }

    private static String dayLabel(String isoDate) {
        LocalDate date = LocalDate.parse(isoDate);
        return date.getDayOfMonth() + " " + date.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }

    /** What the window shows, tooltip included. */
    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(shotPrefix + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** The whole page: the window made as tall as the page for the shot (a new height alone keeps any tooltip). */
    private static void fullPageScreenshot(String name) throws IOException {
        Dimension window = browser.manage().window().getSize();
        long pageHeight = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).longValue();
        long viewportHeight = ((Number) browser.executeScript("return window.innerHeight")).longValue();
        browser.manage().window().setSize(new Dimension(window.width, (int) (pageHeight + window.height - viewportHeight)));
        screenshot(name);
        browser.manage().window().setSize(window);
    }
}
