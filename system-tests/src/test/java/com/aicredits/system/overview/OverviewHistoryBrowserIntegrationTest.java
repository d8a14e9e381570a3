package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.local.DemoData;
import com.aicredits.system.stack.HeadlessChromium;
import com.aicredits.system.stack.LaunchedStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The overview page's month-over-month history, the organization's trends and the ledger's CSV export in Chromium,
 * against the local stack started as {@code make run} starts it, with its demo data (last month complete, this month
 * so far). Every expected number is read from the API itself; the CSV is read from the file the browser saved.
 */
class OverviewHistoryBrowserIntegrationTest {
    private static final String WORKSPACE = "ws-demo-lab";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    @TempDir
    static Path browserProfile;
    @TempDir
    static Path downloads;

    private static LaunchedStack stack;
    private static ChromeDriver browser;
    private static String managerToken;

    @BeforeAll
    static void start() throws Exception {
        // Mid-month, whatever day the suite runs: the month before complete, this one half done. The 17th of last month,
        // so the stack's clock is never ahead of the machine's (the dev tokens it hands out would look expired).
        Instant clockStart = OverviewMidMonthBrowserIntegrationTest.CLOCK_START;
        stack = LaunchedStack.start(data, LaunchedStack.freePort(), clockStart);
        managerToken = stack.token("manager", DemoData.ORGANIZATION);
        browser = HeadlessChromium.start(browserProfile);
        HeadlessChromium.moveClock(browser, clockStart);
        browser.manage().timeouts().scriptTimeout(WAIT);
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        HeadlessChromium.quit(browser, stack);
    }

    @BeforeEach
    void signedIn() {
        browser.manage().window().setSize(new Dimension(1280, 1200));
        browser.get(stack.base() + "/");
        browser.executeScript("sessionStorage.clear()");
        signIn(browser, stack, managerToken);
    }

    /** Signs in with a pasted token and waits for the organization view. */
    static void signIn(ChromeDriver browser, LaunchedStack stack, String token) {
        browser.get(stack.base() + "/");
        awaitReady(browser, "sign-in");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in-button")).click();
        awaitReady(browser, "organization");
    }

    @Test
    void theBarsAndTheTableShowTheLastTwelveMonthsAndAMonthOpensItsView() throws Exception {
        JsonNode months = api("/v1/workspaces/" + WORKSPACE + "/usage/history").get("months");
        assertThat(months).hasSize(12);
        String previous = months.get(10).get("period").asText();
        openWorkspace(null);

        List<WebElement> bars = browser.findElements(By.cssSelector("#history-chart a.month-bar"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#history-table tbody tr"));
        assertThat(bars).hasSize(12);
        assertThat(rows).hasSize(12);
        for (int i = 0; i < 12; i++) {
            JsonNode month = months.get(i);
            assertThat(bars.get(i).getDomAttribute("data-period")).isEqualTo(month.get("period").asText());
            assertThat(bars.get(i).getDomAttribute("data-used")).isEqualTo(month.get("creditsUsed").asText());
            assertThat(bars.get(i).getDomAttribute("data-allocated")).isEqualTo(month.get("creditsAllocated").asText());
            assertThat(rows.get(i).getDomAttribute("data-period")).isEqualTo(month.get("period").asText());
            assertThat(rows.get(i).getAttribute("textContent")).contains(label(month.get("period").asText()))
                    .contains(credits(month.get("creditsUsed")));
        }
        // The demo data: last month over its allocation with four thresholds fired, this month so far.
        assertThat(months.get(10).get("creditsUsed").asLong()).isGreaterThan(months.get(10).get("creditsAllocated").asLong());
        assertThat(rows.get(10).getAttribute("textContent")).contains("80%, 90%, 100%, 120%");
        assertThat(bars.get(11).getDomAttribute("aria-current")).isEqualTo("page");

        new Actions(browser).moveToElement(bars.get(10)).perform();
        awaitTooltip(label(previous) + ": " + credits(months.get(10).get("creditsUsed")) + " / "
                + credits(months.get(10).get("creditsAllocated")) + " credits");
        assertThat(browser.findElement(By.id("tooltip")).getText()).contains("Thresholds reached: 80%, 90%, 100%, 120%");
        screenshot("workspace-history");

        bars.get(10).click();
        awaitUrl("period=" + previous);
        awaitReady("workspace");
        JsonNode lastMonth = api("/v1/workspaces/" + WORKSPACE + "/usage?period=" + previous);
        assertThat(browser.findElement(By.id("used-summary")).getText())
                .contains(credits(lastMonth.get("creditsUsed")) + " / " + credits(lastMonth.get("creditsAllocated")));
        assertThat(browser.findElements(By.cssSelector("#history-chart a.month-bar")).get(10).getDomAttribute("aria-current"))
                .isEqualTo("page");
        browser.navigate().back();
        awaitReady("workspace");
        assertThat(browser.getCurrentUrl()).doesNotContain("period=" + previous);
    }

    @Test
    void theKeyboardReachesEveryBarAndOpensOne() {
        openWorkspace(null);
        List<WebElement> bars = browser.findElements(By.cssSelector("#history-chart a.month-bar"));

        // Tab from the panel's heading lands on the first bar; the arrow keys and End move along; Enter opens.
        new Actions(browser).moveToElement(browser.findElement(By.id("history-title"))).click().perform();
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(focused().getDomAttribute("data-period")).isEqualTo(bars.getFirst().getDomAttribute("data-period"));
        awaitTooltip(label(bars.getFirst().getDomAttribute("data-period")) + ": ");
        focused().sendKeys(Keys.ARROW_RIGHT);
        assertThat(focused().getDomAttribute("data-period")).isEqualTo(bars.get(1).getDomAttribute("data-period"));
        awaitTooltip(label(bars.get(1).getDomAttribute("data-period")) + ": ");
        focused().sendKeys(Keys.END);
        assertThat(focused().getDomAttribute("data-period")).isEqualTo(bars.getLast().getDomAttribute("data-period"));
        focused().sendKeys(Keys.ARROW_LEFT);
        String opened = bars.get(10).getDomAttribute("data-period");
        assertThat(focused().getDomAttribute("data-period")).isEqualTo(opened);
        focused().sendKeys(Keys.ENTER);
        awaitUrl("period=" + opened);
        awaitReady("workspace");
    }

    @Test
    void eachTileShowsItsWorkspacesLastSixMonths() throws Exception {
        JsonNode rows = api("/v1/organizations/" + DemoData.ORGANIZATION + "/usage").get("items");
        for (JsonNode row : rows) {
            String id = row.get("workspaceId").asText();
            JsonNode months = api("/v1/workspaces/" + id + "/usage/history?from="
                    + YearMonth.parse(currentPeriod()).minusMonths(5)).get("months");
            WebElement trend = browser.findElement(By.cssSelector("a.tile[data-workspace='" + id + "'] .trend"));
            List<WebElement> bars = trend.findElements(By.cssSelector(".trend-bar"));
            assertThat(bars).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertThat(bars.get(i).getDomAttribute("data-period")).isEqualTo(months.get(i).get("period").asText());
                assertThat(bars.get(i).getDomAttribute("data-used")).isEqualTo(months.get(i).get("creditsUsed").asText());
            }
            assertThat(bars.getLast().getDomAttribute("data-used")).isEqualTo(row.get("creditsUsed").asText());
            assertThat(trend.getDomAttribute("aria-label")).startsWith("Last 6 months, used of allocated: ")
                    .contains(label(currentPeriod()) + " " + String.format(Locale.ROOT, "%.1f%%", row.get("percentUsed").asDouble()));
        }
        screenshot("organization-trends");
    }

    @Test
    void theCsvIsTheWholeLedgerInSequenceOrderWithItsTextEscaped() throws Exception {
        // A refund whose reason a spreadsheet would run as a formula, with a quote, a comma and a line break.
        String reason = "=HYPERLINK(\"http://evil.example\",\"click\"), then\nmore";
        JsonNode newest = api("/v1/workspaces/" + WORKSPACE + "/executions?limit=1").get("items").get(0);
        var refund = stack.send("POST", "/v1/workspaces/" + WORKSPACE + "/executions/" + newest.get("executionId").asText() + "/refund",
                stack.token("admin", null), Json.write(Map.of("reason", reason)));
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(200);
        List<JsonNode> ledger = new ArrayList<>();
        api("/v1/workspaces/" + WORKSPACE + "/executions?limit=500").get("items").forEach(ledger::add);
        assertThat(ledger.size()).isLessThan(500);
        openWorkspace(null);

        browser.findElement(By.id("download-csv")).click();
        awaitCsv();
        Path file = downloads.resolve("aicredits-ledger-" + WORKSPACE + "-" + currentPeriod() + ".csv");
        String csv = awaitFile(file);

        List<String> lines = List.of(csv.split("\r\n", -1));
        assertThat(lines.getFirst()).isEqualTo("sequence,entry,executionId,activity,feature,creditsConsumed,creditsUsed,"
                + "creditsRemaining,creditsAllocated,period,occurredAt,recordedAt,priceVersion,refundedAt,refundReason,workspaceId,llmModel");
        assertThat(lines.getLast()).as("the file ends with a line break").isEmpty();
        String escapedReason = "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\"), then\nmore\"";
        // The refund line is the newest; its record, earlier, carries the same reason: both escaped.
        assertThat(csv).contains(",REFUND," + newest.get("executionId").asText() + ",");
        assertThat(csv.split(java.util.regex.Pattern.quote(escapedReason), -1)).hasSize(3);
        // Every line once, oldest first, as the API lists them newest first (a quoted reason spans two lines).
        List<String> sequences = new ArrayList<>();
        for (String line : csv.replace(escapedReason, "REASON").split("\r\n")) {
            sequences.add(line.substring(0, line.indexOf(',')));
        }
        List<String> expected = new ArrayList<>(List.of("sequence"));
        for (JsonNode line : ledger.reversed()) {
            expected.add(line.get("sequence").asText());
        }
        assertThat(sequences).isEqualTo(expected);
        JsonNode first = ledger.getLast();
        assertThat(csv).contains("\r\n" + first.get("sequence").asText() + ",RECORD," + first.get("executionId").asText() + ","
                + first.get("activity").asText() + "," + first.get("feature").asText() + "," + first.get("creditsConsumed").asText() + ",");
        assertThat(browser.findElement(By.id("csv-status")).getText()).isEqualTo("Saved " + ledger.size() + " ledger lines.");
    }

    @Test
    void theCsvBuilderEscapesAndPagesAsPureLogic() {
        Object result = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import("./js/ledger-csv.js").then(async (m) => {
                  const fields = ["=1+2", "+1", "-x", "@SUM(A1)", "\\tTab", "plain", "a,b", "say \\"hi\\"", "two\\nlines", -12, 0, null]
                    .map(m.csvField);
                  const pages = [{ items: [{ sequence: 3, executionId: "c" }, { sequence: 2, executionId: "b" }], nextCursor: "p2" },
                                 { items: [{ sequence: 1, executionId: "a", entry: "REFUND" }] }];
                  const cursors = [], progress = [];
                  const csv = await m.ledgerCsv(async (cursor) => { cursors.push(cursor); return pages[cursors.length - 1]; },
                    (read, total) => progress.push(read + "/" + total));
                  done({ fields, cursors: cursors.map(String), progress, lines: csv.split("\\r\\n").map((l) => l.split(",").slice(0, 3).join(",")) });
                }).catch((e) => done({ error: String(e) }));""");

        assertThat(result.toString()).doesNotContain("error");
        @SuppressWarnings("unchecked")
        Map<String, List<String>> checks = (Map<String, List<String>>) result;
        assertThat(checks.get("fields")).containsExactly("'=1+2", "'+1", "'-x", "'@SUM(A1)", "'\tTab", "plain", "\"a,b\"",
                "\"say \"\"hi\"\"\"", "\"two\nlines\"", "-12", "0", "");
        assertThat(checks.get("cursors")).containsExactly("null", "p2");
        assertThat(checks.get("progress")).containsExactly("2/3", "3/3");
        assertThat(checks.get("lines")).containsExactly("sequence,entry,executionId", "1,REFUND,a", "2,RECORD,b", "3,RECORD,c", "");
    }

    /** What the window shows, tooltip included, to system-tests/target/screenshots/ as the other browser tests do. */
    private static void screenshot(String name) throws java.io.IOException {
        Path folder = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(folder.resolve(name + ".png"), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    private void openWorkspace(String period) {
        browser.get(stack.base() + "/?workspace=" + WORKSPACE + (period == null ? "" : "&period=" + period));
        awaitReady("workspace");
    }

    private WebElement focused() {
        return browser.switchTo().activeElement();
    }

    private void awaitReady(String view) {
        awaitReady(browser, view);
    }

    static void awaitReady(ChromeDriver browser, String view) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "the page never showed " + view + "; status: "
                        + browser.findElement(By.id("status")).getText())
                .until(d -> view.equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    private void awaitUrl(String part) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "the address " + browser.getCurrentUrl() + " never had " + part)
                .until(d -> d.getCurrentUrl().contains(part));
    }

    private void awaitCsv() {
        new WebDriverWait(browser, Duration.ofSeconds(60)).withMessage(() -> "the CSV never got ready: "
                        + browser.findElement(By.id("csv-status")).getText())
                .until(d -> "ready".equals(d.findElement(By.tagName("body")).getDomAttribute("data-csv")));
    }

    static String awaitFile(Path file) throws Exception {
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); System.nanoTime() < deadline; Thread.sleep(100)) {
            if (Files.isRegularFile(file) && !Files.exists(file.resolveSibling(file.getFileName() + ".crdownload"))) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
        }
        try (var listing = Files.list(file.getParent())) {
            throw new AssertionError("the browser saved no " + file.getFileName() + "; the folder has " + listing.toList());
        }
    }

    private void awaitTooltip(String expected) {
        WebElement tooltip = browser.findElement(By.id("tooltip"));
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the tooltip shows \"" + tooltip.getText() + "\", not \"" + expected + "\"")
                .until(d -> tooltip.isDisplayed() && tooltip.getText().startsWith(expected));
    }

    private JsonNode api(String path) throws Exception {
        var response = stack.send("GET", path, managerToken, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    /** The stack's month (its clock stands in the middle of last month). */
    private static String currentPeriod() {
        return YearMonth.from(OverviewMidMonthBrowserIntegrationTest.CLOCK_START.atOffset(ZoneOffset.UTC)).toString();
    }

    /** A month as the page names it: "November 2026". */
    private static String label(String period) {
        YearMonth month = YearMonth.parse(period);
        return month.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + month.getYear();
    }

    private static String credits(JsonNode value) {
        return new java.text.DecimalFormat("#,##0.##", java.text.DecimalFormatSymbols.getInstance(Locale.US)).format(value.decimalValue());
    }
}
