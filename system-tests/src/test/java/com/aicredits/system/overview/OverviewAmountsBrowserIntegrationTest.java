package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.local.http.StaticFiles;
import com.aicredits.system.stack.HeadlessChromium;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Issue 33: the page's credit amounts to the hundredth, in Chromium. Sums and differences are done in integers of
 * hundredths (never 0.1 + 0.2 as doubles), amounts are written without trailing zeros and grouped as the page groups
 * numbers (12.5, 0.25, -3.75, 1,234.75), the CSV writes the API's numbers with the digits they came with, and the
 * executions list and the CSV show {@code llmModel}.
 *
 * <p>No stack: the page's own files on a loopback server (index.html without its entry script, so nothing signs in or
 * calls an API), its modules imported into it and given the API's answers as this test writes them (JSON text, parsed
 * as the page parses answers). The full page against the real API is {@link OverviewBrowserIntegrationTest}'s.
 */
class OverviewAmountsBrowserIntegrationTest {
    private static final Path OVERVIEW = CloudFormationTemplate.find().toAbsolutePath().getParent().resolve("overview");
    private static final String ENTRY = "<script type=\"module\" src=\"js/main.js\"></script>";

    @TempDir
    static Path browserProfile;

    private static HttpServer server;
    private static ChromeDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        StaticFiles files = new StaticFiles(OVERVIEW);
        String page = Files.readString(OVERVIEW.resolve("index.html"));
        assertThat(page).as("index.html's entry script").contains(ENTRY);
        byte[] inert = page.replace(ENTRY, "").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath();
                var file = path.equals("/") ? java.util.Optional.of(new StaticFiles.File("text/html; charset=utf-8", inert))
                        : files.find(path);
                if (file.isEmpty()) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("content-type", file.get().contentType());
                exchange.sendResponseHeaders(200, file.get().content().length);
                exchange.getResponseBody().write(file.get().content());
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        browser = HeadlessChromium.start(browserProfile);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        HeadlessChromium.quit(browser, server == null ? null : () -> server.stop(0));
    }

    @BeforeEach
    void freshPage() {
        browser.get(base + "/");
    }

    @AfterEach
    void noConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }

    /** Runs {@code body} (an async function's body that returns a value) in the page; a failure fails the test. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> inPage(String body) {
        Object result = browser.executeAsyncScript("const done = arguments[arguments.length - 1];\n(async () => {\n" + body
                + "\n})().then(done, (e) => done({ error: String(e && e.stack || e) }));");
        assertThat(result).isInstanceOf(Map.class);
        assertThat(((Map<String, Object>) result).get("error")).as("the page's script failed").isNull();
        return (Map<String, Object>) result;
    }

    @Test
    void theHelpersCountInHundredthsAndWriteNoTrailingZeros() {
        Map<String, Object> result = inPage("""
                const c = await import("./js/credits.js");
                const f = await import("./js/format.js");
                return {
                  naive: String(0.1 + 0.2),
                  formatted: [0.25, 12.5, -3.75, 1234.75, 1234567.5, 12, 0, 0.1 + 0.2, 1000.15 - 999.9, "7.5", -0.001, 500]
                    .map(f.formatCredits),
                  plain: [1234.75, -3.75, 0.07, 12].map((v) => c.creditsText(v, false)),
                  sums: [c.sumCredits(0.1, 0.2), c.sumCredits(Array(100).fill(0.01)), c.sumCredits(12.5, 0.25, -3.75),
                    c.sumCredits([0.29, 0.01]), c.subtractCredits(1000.15, 999.9), c.subtractCredits(0.3, 0.1),
                    c.subtractCredits(1000, 1000.15)].map(String),
                  hundredths: [12.5, -3.75, 0.07, 0.29, 1.005 - 0.005].map(c.toHundredths).map(String),
                  rounded: [1.5 * 0.25, 2.5 * 0.75, 1.2 * 0.25].map(c.roundCredits).map(String),
                };""");
        assertThat(result.get("naive")).as("what a double makes of it").isEqualTo("0.30000000000000004");
        assertThat(result.get("formatted")).isEqualTo(List.of("0.25", "12.5", "-3.75", "1,234.75", "1,234,567.5", "12", "0", "0.3",
                "0.25", "7.5", "0", "500"));
        assertThat(result.get("plain")).isEqualTo(List.of("1234.75", "-3.75", "0.07", "12"));
        assertThat(result.get("sums")).isEqualTo(List.of("0.3", "1", "9", "0.3", "0.25", "0.2", "-0.15"));
        assertThat(result.get("hundredths")).isEqualTo(List.of("1250", "-375", "7", "29", "100"));
        assertThat(result.get("rounded")).isEqualTo(List.of("0.38", "1.88", "0.3"));
    }

    @Test
    void theCsvWritesTheApisNumbersAsTheyCameAndTheLlmModelLast() {
        // A page of GET …/executions as the API writes it, newest first: a refund line, a run on an LLM model, an agent run.
        Map<String, Object> result = inPage("""
                const m = await import("./js/ledger-csv.js");
                // The amounts go into the JSON text as text: the page reads them as it reads the API's answers.
                const line = (sequence, entry, id, activity, feature, consumed, used, remaining, more) => `{"sequence":${sequence},`
                  + `${entry ? `"entry":"${entry}",` : ""}"executionId":"${id}","workspaceId":"ws-1","activity":"${activity}",`
                  + `"feature":"${feature}","creditsConsumed":${consumed},"creditsUsed":${used},"creditsRemaining":${remaining},`
                  + `"creditsAllocated":500,"period":"2026-12","occurredAt":"2026-12-03T10:00:0${sequence}.000Z",`
                  + `"recordedAt":"2026-12-03T10:00:0${sequence}.120Z","priceVersion":"2026-12-01","renewsAt":"2027-01-01T00:00:00Z"${more}}`;
                const text = `{"items":[`
                  + line(3, "REFUND", "agent-1", "agent.execution", "AI_AGENT", "-3.75", "8.75", "491.25", `,"refundReason":"duplicate"`) + ","
                  + line(2, null, "task-1", "task.execution", "AI_TASK", "0.25", "12.5", "487.5", `,"llmModel":"gemini-1-pro"`) + ","
                  + line(1, null, "agent-1", "agent.execution", "AI_AGENT", "12.25", "12.25", "487.75",
                    `,"refundedAt":"2026-12-03T11:00:00.000Z","refundReason":"duplicate"`)
                  + `]}`;
                const csv = await m.ledgerCsv(async () => JSON.parse(text));
                return {
                  lines: csv.split("\\r\\n"),
                  fields: ["0.25", "12.5", "-3.75", "1234.75", "0.07", "0.1", "99999999999.99", "0", "-12"].map((v) => JSON.parse(v))
                    .map(m.csvField),
                  columns: m.LEDGER_COLUMNS,
                };""");
        assertThat(result.get("columns")).isEqualTo(List.of("sequence", "entry", "executionId", "activity", "feature", "creditsConsumed",
                "creditsUsed", "creditsRemaining", "creditsAllocated", "period", "occurredAt", "recordedAt", "priceVersion", "refundedAt",
                "refundReason", "workspaceId", "llmModel"));
        assertThat(result.get("lines")).isEqualTo(List.of(
                "sequence,entry,executionId,activity,feature,creditsConsumed,creditsUsed,creditsRemaining,creditsAllocated,period,"
                        + "occurredAt,recordedAt,priceVersion,refundedAt,refundReason,workspaceId,llmModel",
                "1,RECORD,agent-1,agent.execution,AI_AGENT,12.25,12.25,487.75,500,2026-12,2026-12-03T10:00:01.000Z,"
                        + "2026-12-03T10:00:01.120Z,2026-12-01,2026-12-03T11:00:00.000Z,duplicate,ws-1,",
                "2,RECORD,task-1,task.execution,AI_TASK,0.25,12.5,487.5,500,2026-12,2026-12-03T10:00:02.000Z,"
                        + "2026-12-03T10:00:02.120Z,2026-12-01,,,ws-1,gemini-1-pro",
                "3,REFUND,agent-1,agent.execution,AI_AGENT,-3.75,8.75,491.25,500,2026-12,2026-12-03T10:00:03.000Z,"
                        + "2026-12-03T10:00:03.120Z,2026-12-01,,duplicate,ws-1,",
                ""));
        assertThat(result.get("fields")).isEqualTo(List.of("0.25", "12.5", "-3.75", "1234.75", "0.07", "0.1", "99999999999.99", "0", "-12"));
    }

    @Test
    void theViewsShowHundredths() {
        Map<String, Object> result = inPage("""
                const { renderUsedThisMonth } = await import("./js/used-bar.js");
                const { renderDaily } = await import("./js/daily-chart.js");
                const { renderExecutions } = await import("./js/executions.js");
                const { monthSummary } = await import("./js/history-chart.js");
                const text = (id) => document.getElementById(id).textContent;
                const cells = (row) => [...row.cells].map((cell) => cell.textContent);

                renderUsedThisMonth(JSON.parse(`{"workspaceId":"ws-1","period":"2026-11","creditsAllocated":1000,"creditsUsed":1000.15,
                  "creditsRemaining":-0.15,"percentUsed":100,"hardLimitCredits":2000,"byFeature":{"CASE_INVESTIGATION":0,
                  "CASE_CONVERSATION":12.5,"AI_AGENT":987.4,"AI_TASK":0.25},"freeExecutions":0,"casesCounted":0}`));
                const legend = [...document.querySelectorAll("#feature-legend tbody tr")].map((row) => cells(row).slice(0, 2).join(" "));
                const segments = [...document.querySelectorAll("#feature-bar .segment")].map((s) => s.getAttribute("aria-label"));

                document.getElementById("workspace").hidden = false;
                renderDaily(JSON.parse(`{"period":"2026-11","creditsAllocated":1.5,"creditsUsed":1.3,"daily":[
                  {"date":"2026-11-01","credits":0.25,"cumulative":0.25},{"date":"2026-11-02","credits":1.05,"cumulative":1.3}],
                  "forecast":null}`));
                const daily = [...document.querySelectorAll("#daily-table tbody tr")].map((row) => cells(row).join(" | "));
                const tickTexts = [...document.querySelectorAll("#daily-chart .grid text")].filter((t) => /^[0-9.,]+$/.test(t.textContent));
                const ticks = tickTexts.map((t) => t.textContent);
                // Where each label stands, read back as credits on the scale from the first (0) to the last (1.5).
                const at = tickTexts.map((t) => Number(t.getAttribute("y")));
                const ticksAt = at.map((y) => String(Math.round((1.5 * (at[0] - y)) / (at[0] - at[at.length - 1]) * 1e6) / 1e6));
                const allocation = document.querySelector("#daily-chart .allocation text").textContent;

                renderExecutions("ws-1", "2026-12", JSON.parse(`{"items":[
                  {"executionId":"agent-1","workspaceId":"ws-1","activity":"agent.execution","feature":"AI_AGENT","creditsConsumed":-3.75,
                   "creditsUsed":8.75,"creditsRemaining":491.25,"creditsAllocated":500,"sequence":3,"period":"2026-12",
                   "occurredAt":"2026-12-03T10:00:03.000Z","recordedAt":"2026-12-03T10:00:03.000Z","priceVersion":"2026-12-01",
                   "renewsAt":"2027-01-01T00:00:00Z","model":"PLATFORM"},
                  {"executionId":"task-1","workspaceId":"ws-1","activity":"task.execution","feature":"AI_TASK","creditsConsumed":0.25,
                   "creditsUsed":1234.75,"creditsRemaining":-734.75,"creditsAllocated":500,"sequence":2,"period":"2026-12",
                   "occurredAt":"2026-12-03T10:00:02.000Z","recordedAt":"2026-12-03T10:00:02.000Z","priceVersion":"2026-12-01",
                   "renewsAt":"2027-01-01T00:00:00Z","model":"PLATFORM","llmModel":"gemini-1-pro"}]}`), false);
                const executions = [...document.querySelectorAll("#executions tbody tr")].map((row) => cells(row).slice(1, 5).join(" | "));
                const llmModels = [...document.querySelectorAll("#executions tbody tr")].map((row) => row.querySelectorAll(".llm-model").length);

                const summary = monthSummary(JSON.parse(`{"period":"2026-11","creditsAllocated":1000,"creditsUsed":1234.75,"percentUsed":123.5,
                  "byFeature":{"CASE_INVESTIGATION":0,"CASE_CONVERSATION":0,"AI_AGENT":1234.5,"AI_TASK":0.25},"thresholdsReached":[80,90,100,120]}`));
                return { total: text("used-total"), summary: text("used-summary"), legend, segments, daily, ticks, ticksAt, allocation, executions,
                  llmModels: llmModels.map(String), month: summary };""");
        assertThat(result.get("total")).isEqualTo("1,000.15 / 1,000");
        assertThat((String) result.get("summary")).contains("0.15 over the allocation").contains("hard limit 2,000");
        assertThat(result.get("legend")).isEqualTo(List.of("Case investigations 0", "Case conversations 12.5", "AI agents 987.4",
                "AI tasks 0.25"));
        assertThat(result.get("segments")).isEqualTo(List.of("Case conversations: 12.5 credits (1.2% of used)",
                "AI agents: 987.4 credits (98.7% of used)", "AI tasks: 0.25 credits (0.0% of used)"));
        assertThat(result.get("daily")).isEqualTo(List.of("1 Nov | 0.25 | 0.25", "2 Nov | 1.05 | 1.3"));
        // A scale of 1.5: its lines at hundredths, each where its label says (0.38, not 0.375 labelled 0.38).
        assertThat(result.get("ticks")).isEqualTo(List.of("0", "0.38", "0.75", "1.13", "1.5"));
        assertThat(result.get("ticksAt")).isEqualTo(result.get("ticks"));
        assertThat(result.get("allocation")).isEqualTo("Allocation 1.5");
        assertThat(result.get("executions")).isEqualTo(List.of("agent.execution | AI agents | -3.75 | 8.75",
                "task.execution on gemini-1-pro | AI tasks | 0.25 | 1,234.75"));
        assertThat(result.get("llmModels")).isEqualTo(List.of("0", "1"));
        assertThat(result.get("month")).isEqualTo("November 2026: 1,234.75 / 1,000 credits (123.5%)\n"
                + "Case investigations 0 · Case conversations 0 · AI agents 1,234.5 · AI tasks 0.25\n"
                + "Thresholds reached: 80%, 90%, 100%, 120%");
    }
}
