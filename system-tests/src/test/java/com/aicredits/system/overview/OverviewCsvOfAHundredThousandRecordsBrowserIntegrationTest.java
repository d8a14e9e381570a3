package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.app.Services;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.local.DevStack;
import com.aicredits.service.RecordExecution;
import com.aicredits.system.stack.HeadlessChromium;
import com.aicredits.system.stack.LaunchedStack;
import com.aicredits.testkit.ItemSeeder;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.RecordItems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * "Download CSV" of a month of 100,000 ledger lines, in Chromium against the local stack started as {@code make run}
 * starts it. The month is seeded as the usage bench seeds it (bench/UsageQueryCost): 10 real debits, then 99,990
 * copies of the last record written with testkit's ItemSeeder, each with its own sequence and running total, and the
 * balance as 100,000 one-credit runs leave it; written into the stack's data folder before the stack starts.
 */
@EnabledIfEnvironmentVariable(named = "AICREDITS_CSV_100K", matches = "1",
        disabledReason = "minutes long (the seeding alone): run once with AICREDITS_CSV_100K=1, see docs/overview-page.md")
class OverviewCsvOfAHundredThousandRecordsBrowserIntegrationTest {
    private static final int LINES = 100_000;
    private static final int DEBITS = 10;
    private static final String ORGANIZATION = "org-csv";
    private static final String WORKSPACE = "ws-csv-100k";

    @TempDir
    static Path diskData;
    @TempDir
    static Path browserProfile;
    @TempDir
    static Path downloads;

    private static Path data;
    private static LaunchedStack stack;
    private static ChromeDriver browser;
    private static double seedSeconds;

    @BeforeAll
    static void seedTheMonthThenStart() throws Exception {
        // On a RAM disk where there is one: the engine on disk forces every write to the disk (DynamoDB Local wrote some
        // 70 items a second there on a loaded machine).
        Path ramDisk = Path.of("/dev/shm");
        data = Files.isDirectory(ramDisk) && Files.isWritable(ramDisk) ? Files.createTempDirectory(ramDisk, "aicredits-csv-") : diskData;
        Files.createDirectories(data.resolve("dynamodb"));
        try (LocalDynamoDb dynamoDb = LocalDynamoDb.start("127.0.0.1", 0, data.resolve("dynamodb"));
             DynamoDbClient client = dynamoDb.client()) {
            DevStack.ensureTable(dynamoDb, DevStack.TABLE_NAME);
            Services services = Services.on(client, DevStack.TABLE_NAME, Clock.systemUTC());
            services.workspaces().put(WORKSPACE, new WorkspaceSpec(null, ORGANIZATION, "A hundred thousand", "M_PARTNER", null,
                    null, (long) LINES, null, null, null, null));
            for (int i = 1; i <= DEBITS; i++) {
                services.debits().record(WORKSPACE, new RecordExecution("csv-run-" + i, "task.execution", null));
            }
            seedSeconds = seed(client);
        }
        stack = LaunchedStack.start(data, LaunchedStack.freePort());
        browser = HeadlessChromium.start(browserProfile);
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    /** 99,990 copies of the last debit's record, line n with sequence n and n credits used so far; the balance to match. */
    private static double seed(DynamoDbClient client) {
        Map<String, AttributeValue> last = RecordItems.record(client, DevStack.TABLE_NAME, WORKSPACE, "csv-run-" + DEBITS);
        String body = last.get("body").s();
        double seconds = ItemSeeder.write(client, DevStack.TABLE_NAME, "CSV test: seed 99,990 usage records", LINES - DEBITS, 8, i -> {
            long sequence = DEBITS + 1 + i;
            String copyBody = body.replace("csv-run-" + DEBITS, "bulk-" + sequence)
                    .replaceFirst("\"creditsUsed\":-?[0-9]+", "\"creditsUsed\":" + sequence)
                    .replaceFirst("\"creditsRemaining\":-?[0-9]+", "\"creditsRemaining\":" + (LINES - sequence))
                    .replaceFirst("\"sequence\":[0-9]+", "\"sequence\":" + sequence);
            return List.of(ItemSeeder.recordCopy(last, WORKSPACE, "csv-run-" + DEBITS, "bulk-" + sequence,
                    Period.of(Instant.now()), sequence, Map.of("body", AttributeValue.fromS(copyBody))));
        });
        String period = YearMonth.now(ZoneOffset.UTC).toString();
        Map<String, AttributeValue> balance = new HashMap<>(client.getItem(b -> b.tableName(DevStack.TABLE_NAME).consistentRead(true).key(Map.of(
                "PK", AttributeValue.fromS("WS#" + WORKSPACE), "SK", AttributeValue.fromS("BALANCE#" + period)))).item());
        int day = Instant.now().atOffset(ZoneOffset.UTC).getDayOfMonth();
        // Credits in hundredths (LINES one-credit runs), counts as they are.
        AttributeValue total = AttributeValue.fromN(Integer.toString(LINES));
        AttributeValue credits = AttributeValue.fromN(Long.toString(LINES * 100L));
        for (String counter : List.of("sequence", "revision")) {
            balance.put(counter, total);
        }
        for (String counter : List.of("used", "feature_AI_TASK", String.format("day_%02d", day))) {
            balance.put(counter, credits);
        }
        client.putItem(b -> b.tableName(DevStack.TABLE_NAME).item(balance));
        return seconds;
    }

    @AfterAll
    static void stop() throws Exception {
        HeadlessChromium.quit(browser, stack);
        if (data != null && !data.equals(diskData)) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void aMonthOfAHundredThousandLinesDownloadsWholeInSequenceOrderWithProgress() throws Exception {
        OverviewHistoryBrowserIntegrationTest.signIn(browser, stack, stack.token("manager", ORGANIZATION));
        browser.get(stack.base() + "/?workspace=" + WORKSPACE);
        OverviewHistoryBrowserIntegrationTest.awaitReady(browser, "workspace");

        long started = System.nanoTime();
        browser.findElement(By.id("download-csv")).click();
        String[] progressSeen = {null};
        new WebDriverWait(browser, Duration.ofMinutes(10)).pollingEvery(Duration.ofMillis(200))
                .withMessage(() -> "the CSV never got ready: " + browser.findElement(By.id("csv-status")).getText())
                .until(d -> {
                    String status = d.findElement(By.id("csv-status")).getText();
                    if (status.startsWith("Read ") && status.endsWith(" of 100,000 lines…") && !status.startsWith("Read 100,000")) {
                        progressSeen[0] = status + " (progress max " + d.findElement(By.id("csv-progress")).getDomProperty("max") + ")";
                    }
                    return "ready".equals(d.findElement(By.tagName("body")).getDomAttribute("data-csv"));
                });
        String csv = OverviewHistoryBrowserIntegrationTest.awaitFile(
                downloads.resolve("aicredits-ledger-" + WORKSPACE + "-" + YearMonth.now(ZoneOffset.UTC) + ".csv"));
        double seconds = (System.nanoTime() - started) / 1e9;

        String[] lines = csv.split("\r\n", -1);
        assertThat(lines).hasSize(LINES + 2);
        assertThat(lines[0]).startsWith("sequence,entry,executionId,");
        assertThat(lines[LINES + 1]).isEmpty();
        for (int n = 1; n <= LINES; n++) {
            String line = lines[n];
            String executionId = n <= DEBITS ? "csv-run-" + n : "bulk-" + n;
            if (!line.startsWith(n + ",RECORD," + executionId + ",task.execution,AI_TASK,1," + n + "," + (LINES - n) + "," + LINES + ",")) {
                throw new AssertionError("line " + n + " is " + line);
            }
        }
        assertThat(progressSeen[0]).as("a progress status while reading").isNotNull().contains("progress max 100000");
        assertThat(browser.findElement(By.id("csv-status")).getText()).isEqualTo("Saved 100,000 ledger lines.");
        System.out.printf("bench: CSV of 100,000 ledger lines in Chromium: %.1f s from the click to the saved file (%d bytes);"
                + " seeding took %.1f s; last progress seen: %s%n", seconds, csv.length(), seedSeconds, progressSeen[0]);
    }

}
