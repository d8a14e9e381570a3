package com.aicredits.system.emails;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.SummaryHistory;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.Json;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.mail.AlertEmails;
import com.aicredits.mail.Email;
import com.aicredits.mail.EmailText;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.system.reset.ResetFixture;
import com.aicredits.system.stack.HeadlessChromium;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The alert and summary emails as their recipients get them: each kind built by the real {@link AlertEmails} and
 * {@link SummaryEmails}, sent through the real {@link SesMailer} to the SES emulator, and read back as
 * {@code /_local/emails} serves them ({@link SesEmulator#emailsJson()}). Their HTML is validated by the Nu Html
 * Checker (npm's vnu-jar, pinned by local/ses/package-lock.json) and rendered in Debian's headless Chromium at 320 and
 * 600 px; screenshots go to {@code system-tests/target/screenshots/email-*.png}.
 */
class EmailsBrowserIntegrationTest {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path PAGES = Path.of("target", "emails");
    private static final String OVERVIEW = "https://credits.acme.example";
    private static final String SETTINGS = "https://platform.acme.example/workspaces/{workspaceId}/settings#notifications";
    private static final String REPLY_TO = "secops-team@acme.example";
    private static final Instant IN_DECEMBER = Instant.parse("2026-12-18T09:00:00Z");
    private static final Period DECEMBER = Period.parse("2026-12");
    private static final Period NOVEMBER = Period.parse("2026-11");
    /** Angle brackets, an ampersand, both quotes and Arabic (right-to-left) letters. */
    private static final String HOSTILE_NAME = "R&D <lab> \"Blue\" 'Team' مختبر الأمن";
    private static final int[] WIDTHS = {320, 600};

    @TempDir
    static Path browserProfile;
    private static final Logger SELENIUM_CDP_WARNINGS = quiet("org.openqa.selenium");
    private static ChromeDriver browser;
    /** Each kind of email: what was built, and what the emulator stored. */
    private static final Map<String, Sent> SENT = new LinkedHashMap<>();

    private record Sent(Email built, Balance balance, JsonNode stored, Path page) {
        String html() {
            return stored.at("/body/html").asText();
        }

        String text() {
            return stored.at("/body/text").asText();
        }
    }

    @BeforeAll
    static void sendEveryKindAndStartTheBrowser() throws Exception {
        SesEmulator ses = SesEmulator.shared();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        AlertEmails alerts = new AlertEmails(OVERVIEW, SETTINGS);
        SummaryEmails summaries = new SummaryEmails(OVERVIEW, SETTINGS);
        Map<String, Email> built = new LinkedHashMap<>();
        Map<String, Balance> balances = new LinkedHashMap<>();

        Workspace lab = workspace("ws-acme-lab", "Acme Lab", PricingModel.EXTEND, tag);
        Balance early = balance(lab, DECEMBER, 0, 120, 60, 80, 3, 0);
        put(built, balances, "alert-below-80", alerts.threshold(lab, early, 50, IN_DECEMBER), early);
        Balance eighty = balance(lab, DECEMBER, 0, 168, 96, 150, 9, 0);
        put(built, balances, "alert-80", alerts.threshold(lab, eighty, 80, IN_DECEMBER), eighty);
        Balance over = balance(lab, DECEMBER, 0, 240, 120, 250, 9, 0);
        put(built, balances, "alert-over-100", alerts.threshold(lab, over, 120, IN_DECEMBER), over);
        Balance atLimit = balance(lab, DECEMBER, 0, 480, 200, 320, 12, 0);
        put(built, balances, "alert-hard-limit", alerts.threshold(lab, atLimit, 200, IN_DECEMBER), atLimit);
        Workspace legacy = workspace("ws-acme-legacy", "Acme Legacy SOC", PricingModel.LEGACY, tag);
        Balance legacyBalance = balance(legacy, DECEMBER, 0, 0, 0, 460, 4, 37);
        put(built, balances, "alert-legacy", alerts.threshold(legacy, legacyBalance, 90, IN_DECEMBER), legacyBalance);
        // LEGACY DEV: 50 credits a month, AI tasks priced by their LLM model in hundredths (gemini-1-pro 0.25).
        Balance quarters = new Balance(legacy.workspaceId(), legacy.organizationId(), DECEMBER, legacy.baseMonthlyCredits(),
                Credits.ZERO, 100, true, PricingModel.LEGACY, Credits.parse("45.25"), 70, 70,
                Map.of(Feature.AI_AGENT, Credits.of(30), Feature.AI_TASK, Credits.parse("15.25")),
                java.util.Collections.nCopies(DECEMBER.lengthInDays(), Credits.ZERO), 0, 2);
        put(built, balances, "alert-legacy-fractions", alerts.threshold(legacy, quarters, 90, IN_DECEMBER), quarters);
        Forecast forecast = Forecast.of(eighty, IN_DECEMBER);
        put(built, balances, "forecast", alerts.forecast(lab, eighty, forecast), eighty);
        Workspace hostile = workspace("ws-hostile", HOSTILE_NAME, PricingModel.EXTEND, tag);
        Balance hostileBalance = balance(hostile, DECEMBER, 0, 168, 96, 150, 0, 0);
        put(built, balances, "alert-escaping", alerts.threshold(hostile, hostileBalance, 80, IN_DECEMBER), hostileBalance);

        Workspace pro = new Workspace("ws-acme-prod", "org-acme", "Acme Production", Tier.PRO, PricingModel.EXTEND, true,
                null, null, List.of(tag + "-prod@acme.example"), null, 200, List.of(), 3);
        Balance closed = balance(pro, NOVEMBER, 0, 1_200, 640, 1_572, 41, 0);
        Balance october = balance(pro, Period.parse("2026-10"), 0, 960, 480, 1_460, 30, 0);
        Balance opened = balance(pro, DECEMBER, 0, 0, 0, 0, 0, 0);
        put(built, balances, "summary", summaries.summary(pro, closed, opened, new SummaryHistory(october, List.of(80, 90))), closed);
        put(built, balances, "summary-first-month", summaries.summary(pro, closed, opened, SummaryHistory.none()), closed);
        Balance hostileClosed = balance(hostile, NOVEMBER, 0, 24, 8, 30, 0, 0);
        put(built, balances, "summary-escaping", summaries.summary(hostile, hostileClosed, null, SummaryHistory.none()), hostileClosed);

        SesMailer mailer = new SesMailer(ResetFixture.sesClient(ses.endpoint()), "aicredits@acme.example", REPLY_TO);
        Map<String, String> messageIds = new LinkedHashMap<>();
        built.forEach((name, email) -> messageIds.put(name, mailer.send(email)));
        Files.createDirectories(PAGES);
        Files.createDirectories(SCREENSHOTS);
        JsonNode stored = Json.MAPPER.readTree(ses.emailsJson()).get("emails");
        for (var entry : built.entrySet()) {
            JsonNode email = null;
            for (JsonNode candidate : stored) {
                if (candidate.get("messageId").asText().equals(messageIds.get(entry.getKey()))) {
                    email = candidate;
                }
            }
            assertThat(email).as("the emulator stored %s", entry.getKey()).isNotNull();
            Path page = PAGES.resolve(entry.getKey() + ".html").toAbsolutePath();
            Files.writeString(page, email.at("/body/html").asText(), StandardCharsets.UTF_8);
            SENT.put(entry.getKey(), new Sent(entry.getValue(), balances.get(entry.getKey()), email, page));
        }
        browser = startBrowser();
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theHtmlOfEveryKindIsValidForTheNuHtmlChecker() throws Exception {
        Path jar = SesEmulator.defaultDirectory().resolve("node_modules/vnu-jar/build/dist/vnu.jar");
        assertThat(jar).as("vnu.jar, installed with the SES emulator's packages (npm ci in local/ses)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), "--format", "json", "--stdout"));
        SENT.values().forEach(sent -> command.add(sent.page().toString()));
        Path stderr = PAGES.resolve("vnu-stderr.txt");
        Process vnu = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        vnu.getOutputStream().close();
        String output = new String(vnu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(vnu.waitFor(120, TimeUnit.SECONDS)).as("vnu finished").isTrue();
        assertThat(output).as("vnu's answer (its errors: %s)", Files.readString(stderr)).startsWith("{");

        JsonNode messages = Json.MAPPER.readTree(output).get("messages");
        List<String> problems = new ArrayList<>();
        messages.forEach(m -> problems.add(m.path("url").asText().replaceAll(".*/", "") + ":" + m.path("lastLine").asText()
                + " " + m.path("type").asText() + "/" + m.path("subType").asText("") + ": " + m.path("message").asText()));
        // Not even a warning (an obsolete attribute, a missing lang): every message fails.
        assertThat(problems).as("what the Nu Html Checker says").isEmpty();
        assertThat(vnu.exitValue()).isZero();
    }

    @Test
    void theEmulatorKeptTheSubjectTheRecipientsAndTheReplyTo() {
        SENT.forEach((name, sent) -> {
            assertThat(sent.stored().get("subject").asText()).as(name).isEqualTo(sent.built().subject());
            assertThat(sent.stored().get("replyTo").toString()).as(name).contains(REPLY_TO);
            assertThat(sent.stored().at("/destination/to").toString()).as(name).contains(sent.built().to().getFirst());
            assertThat(sent.html()).as(name).isEqualTo(sent.built().html());
            assertThat(sent.text()).as(name).isEqualTo(sent.built().text());
        });
    }

    @Test
    void eachRendersWithoutSidewaysScrollingItsBarIsTheFeatureCreditsAndItsButtonOpensTheUsage() throws Exception {
        for (var entry : SENT.entrySet()) {
            Sent sent = entry.getValue();
            Balance balance = sent.balance();
            for (int width : WIDTHS) {
                String where = entry.getKey() + " at " + width + " px";
                open(sent, width);
                Number overflow = (Number) browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(overflow.longValue()).as("%s: pixels scrolled sideways", where).isLessThanOrEqualTo(0);

                WebElement bar = browser.findElement(By.cssSelector("#feature-bar table"));
                double barWidth = bar.getRect().getWidth();
                double scale = Credits.max(balance.used(), balance.allocated()).hundredths();
                Map<String, Credits> segments = new LinkedHashMap<>();
                for (WebElement segment : bar.findElements(By.cssSelector("td[data-feature]"))) {
                    Credits credits = Credits.parse(segment.getDomAttribute("data-credits"));
                    segments.put(segment.getDomAttribute("data-feature"), credits);
                    assertThat((double) segment.getRect().getWidth()).as("%s: the %s segment's width", where, segment.getDomAttribute("data-feature"))
                            .isCloseTo(barWidth * credits.hundredths() / scale, org.assertj.core.data.Offset.offset(1.5));
                }
                Map<String, Credits> expected = new LinkedHashMap<>();
                for (Feature feature : Feature.CHARGEABLE) {
                    if (balance.usedByFeature().get(feature).isPositive()) {
                        expected.put(feature.name(), balance.usedByFeature().get(feature));
                    }
                }
                assertThat(segments).as("%s: the bar's segments", where).containsExactlyEntriesOf(expected);
                assertThat(segments.values().stream().reduce(Credits.ZERO, Credits::plus)).isEqualTo(balance.used());

                WebElement button = browser.findElement(By.id("usage-overview"));
                assertThat(button.getDomProperty("href")).as(where)
                        .isEqualTo(EmailText.usageLink(OVERVIEW, balance.workspaceId(), balance.period()));
                assertThat(button.isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("notification-settings")).getDomProperty("href"))
                        .isEqualTo(EmailText.settingsLink(SETTINGS, balance.workspaceId()));
                assertThat(browser.getTitle()).isEqualTo(sent.built().subject());
                screenshot("email-" + entry.getKey() + "-" + width);
            }
        }
    }

    @Test
    void theTextPartCarriesTheHtmlsFactsInTheSameOrderAndNoHtml() throws Exception {
        for (var entry : SENT.entrySet()) {
            Sent sent = entry.getValue();
            open(sent, 600);
            String text = sent.text().replace("\u2068", "").replace("\u2069", "");
            int from = 0;
            List<WebElement> facts = browser.findElements(By.cssSelector("[data-fact]"));
            assertThat(facts).hasSizeGreaterThan(20);
            for (WebElement fact : facts) {
                String shown = fact.getDomProperty("innerText").strip();
                int at = text.indexOf(shown, from);
                assertThat(at).as("%s: the text part has \"%s\" after position %d:\n%s", entry.getKey(), shown, from, text)
                        .isGreaterThanOrEqualTo(0);
                from = at + shown.length();
            }
            assertThat(sent.text()).as(entry.getKey())
                    .doesNotContain("</", "<td", "<p", "<a ", "&amp;", "&lt;", "&gt;", "&quot;", "&#")
                    .contains(EmailText.usageLink(OVERVIEW, sent.balance().workspaceId(), sent.balance().period()));
        }
    }

    @Test
    void aNameWithMarkupQuotesAndRightToLeftLettersIsShownAsWrittenAndIsolated() throws Exception {
        for (String name : List.of("alert-escaping", "summary-escaping")) {
            Sent sent = SENT.get(name);
            assertThat(sent.html()).as(name).doesNotContain("<lab>").contains("R&amp;D &lt;lab&gt; &quot;Blue&quot; &#39;Team&#39;");
            open(sent, 320);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(name).startsWith(HOSTILE_NAME + " ");
            assertThat(browser.findElement(By.cssSelector("h1 span[dir=auto]")).getText()).isEqualTo(HOSTILE_NAME);
            assertThat(browser.getTitle()).isEqualTo(sent.built().subject());
            assertThat(sent.text()).as(name).contains("Workspace: \u2068" + HOSTILE_NAME + "\u2069 (ws-hostile)");
            screenshot("email-" + name + "-rtl");
        }
        // A name in plain Latin letters is written as it is.
        assertThat(SENT.get("alert-80").text()).contains("Workspace: Acme Lab (ws-acme-lab)");
    }

    @Test
    void fromEightyPercentTheAlertGivesThePaceTheAddOnsAndTheHardLimit() {
        assertThat(SENT.get("alert-below-80").text()).doesNotContain("At this pace", "Add-on packages")
                .contains("hard limit of 1,000 credits");
        assertThat(SENT.get("alert-80").text()).contains("At this pace the allocation runs out on ").contains("Add-on packages")
                .contains("Hard limit: 1,000 credits (200% of the allocation)");
        assertThat(SENT.get("alert-over-100").text()).contains("The allocation is used up. Runs go on up to the hard limit of"
                + " 1,000 credits, 390 credits from now").doesNotContain("At this pace");
        assertThat(SENT.get("alert-hard-limit").text()).contains("The hard limit of 1,000 credits is reached: runs that cost"
                + " credits are refused (HTTP 402)");
        assertThat(SENT.get("alert-legacy").text()).contains("Cases counted (LEGACY pricing): 37").contains("Under LEGACY pricing");
        assertThat(SENT.get("alert-legacy-fractions").text()).contains("Used: 45.25 / 50 credits (90.5%)")
                .contains("AI tasks: 15.25 credits (33.7%)").contains("Left: 4.75 credits unused")
                .contains("A run that would take usage past 50 credits (100% of the allocation) is refused: 4.75 credits are left");
        assertThat(SENT.get("alert-legacy-fractions").html()).contains("data-credits=\"15.25\"");
        assertThat(SENT.get("summary").text()).contains("Month before (October 2026): 2,900 of 5,000 credits used; change in used: +17.7%")
                .contains("Thresholds reached: 80%, 90%");
        assertThat(SENT.get("summary-first-month").text()).contains("Month before (October 2026): no usage recorded")
                .contains("Thresholds reached: none");
    }

    private static void put(Map<String, Email> built, Map<String, Balance> balances, String name, Email email, Balance balance) {
        built.put(name, email);
        balances.put(name, balance);
    }

    private static Workspace workspace(String id, String name, PricingModel model, String tag) {
        return new Workspace(id, "org-acme", name, Tier.DEV, model, true, null, null, List.of(tag + "-" + id + "@acme.example"),
                null, 200, List.of(), 1);
    }

    /** A balance with these credits by feature (investigations, conversations, agents, tasks), free runs and cases. */
    private static Balance balance(Workspace workspace, Period period, long addons, long investigations, long conversations,
                                   long agents, long free, long cases) {
        long tasks = 0;
        Map<Feature, Credits> byFeature = Map.of(Feature.CASE_INVESTIGATION, Credits.of(investigations),
                Feature.CASE_CONVERSATION, Credits.of(conversations), Feature.AI_AGENT, Credits.of(agents), Feature.AI_TASK, Credits.of(tasks));
        long used = investigations + conversations + agents + tasks;
        return new Balance(workspace.workspaceId(), workspace.organizationId(), period, workspace.baseMonthlyCredits(),
                Credits.of(addons), workspace.hardLimitPercent(), true, workspace.pricingModel(), Credits.of(used), 10, 10, byFeature,
                Collections.nCopies(period.lengthInDays(), Credits.ZERO), free, cases);
    }

    private static void open(Sent sent, int width) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < 500));
        browser.get(sent.page().toUri().toString());
    }

    private static void screenshot(String name) throws Exception {
        Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
        Number width = (Number) browser.executeScript("return window.innerWidth");
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width.intValue(), "height", height.intValue(), "deviceScaleFactor", 1, "mobile", width.intValue() < 500));
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static ChromeDriver startBrowser() {
        return HeadlessChromium.start(browserProfile);
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }
}
