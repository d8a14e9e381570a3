package com.aicredits.system.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium through its ChromeDriver, as every browser test starts it: both paths given, so Selenium
 * Manager never downloads anything; no background networking (this machine's network is closed); the browser's
 * console kept, so a test can assert that a page logs no error.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {
    }

    public static ChromeDriver start(Path profile) {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        assertThat(Files.isExecutable(chromium) && Files.isExecutable(chromedriver))
                .as("the browser tests need %s and %s: run local/install-chromium.sh (make test does)", chromium, chromedriver)
                .isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--force-device-scale-factor=1", "--lang=en-US", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Quits the browser, then stops the stack it was looking at; either may be null (a start that failed). */
    public static void quit(ChromeDriver browser, AutoCloseable stack) throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Moves the page's clock to run from {@code clockStart}, as the stack's was moved ({@code AICREDITS_CLOCK_START}):
     * the page reads "this month" from the browser's clock.
     */
    public static void moveClock(ChromeDriver browser, Instant clockStart) {
        long shift = clockStart.toEpochMilli() - System.currentTimeMillis();
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                (() => { const Real = Date, shift = %d;
                  class Shifted extends Real { constructor(...a) { if (a.length) super(...a); else super(Real.now() + shift); }
                    static now() { return Real.now() + shift; } }
                  window.Date = Shifted; })();""".formatted(shift)));
    }
}
