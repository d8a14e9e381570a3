package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.local.DemoData;
import com.aicredits.local.identity.LocalIdentityProvider;
import com.aicredits.system.stack.HeadlessChromium;
import com.aicredits.system.stack.LaunchedStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in to the overview page with the issuer the local stack plays (Authorization Code + PKCE, oauth4webapi in the
 * page), in Chromium, and the issuer's own refusals over plain HTTP. The stack's tokens live {@link #TOKEN_SECONDS}
 * seconds here, so a session outlives its first token and the page must renew it.
 */
class SignInBrowserIntegrationTest {
    private static final int TOKEN_SECONDS = 12;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Logger SELENIUM_CDP_WARNINGS = Logger.getLogger("org.openqa.selenium");

    @TempDir
    static Path data;
    @TempDir
    static Path browserProfile;

    private static LaunchedStack stack;
    private static ChromeDriver browser;

    @BeforeAll
    static void startTheStackAndTheBrowser() throws Exception {
        SELENIUM_CDP_WARNINGS.setLevel(Level.SEVERE);
        stack = LaunchedStack.start(data, LaunchedStack.freePort(), null,
                Map.of(LocalIdentityProvider.TOKEN_SECONDS, Integer.toString(TOKEN_SECONDS)));
        browser = HeadlessChromium.start(browserProfile);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopThem() throws Exception {
        HeadlessChromium.quit(browser, stack);
    }

    @BeforeEach
    void signedOut() {
        browser.get(stack.base() + "/");
        browser.executeScript("sessionStorage.clear()");
        browser.get(stack.base() + "/");
        awaitReady("sign-in");
    }

    @Test
    void aManagerSignsInWithTheIssuerAndSeesTheOrganization() throws Exception {
        browser.get(stack.base() + "/?workspace=ws-demo-lab");
        awaitReady("sign-in");
        Files.write(SCREENSHOTS.resolve("sign-in.png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.id("issuer-sign-in-button")).click();
        awaitIssuerPage();
        Files.write(SCREENSHOTS.resolve("sign-in-issuer.png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.id("user-manager")).click();

        awaitReady("workspace"); // back where the sign-in started
        assertThat(browser.getCurrentUrl()).isEqualTo(stack.base() + "/?workspace=ws-demo-lab")
                .doesNotContain("code=").doesNotContain("state=");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Organization " + DemoData.ORGANIZATION);
        assertThat(browser.executeScript("return localStorage.length")).isEqualTo(0L);
        assertThat((String) browser.executeScript("return JSON.stringify(history.state) + location.href")).doesNotContain("code");

        browser.findElement(By.id("back")).click();
        awaitReady("organization");
        assertThat(browser.findElements(By.cssSelector("#tiles > li"))).hasSize(4);
    }

    @Test
    void aUserWithoutTheManagerRoleGetsAClearRefusal() {
        signInAs("member");
        awaitReady("sign-in");
        assertThat(signInError()).contains("not as an organization manager or viewer")
                .contains("only organization managers and viewers see usage");
        assertThat(browser.findElement(By.id("organization")).isDisplayed()).isFalse();
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    /**
     * Issue 33: the demo viewer of org-demo signs in through the issuer and sees exactly what the demo manager sees (the
     * organization's tiles; a workspace's usage, history, facts and executions; its CSV export), and the page asks the
     * API for nothing but reads while it does.
     */
    @Test
    void aViewerSignsInWithTheIssuerAndSeesTheOrganizationsUsageReadOnly() {
        Map<String, String> asManager = whatTheOrganizationAndAWorkspaceShow("manager");
        browser.executeScript("sessionStorage.clear()");
        browser.get(stack.base() + "/");
        awaitReady("sign-in");

        Map<String, String> asViewer = whatTheOrganizationAndAWorkspaceShow("viewer");
        assertThat(asViewer.get("who")).isEqualTo("Organization " + DemoData.ORGANIZATION);
        assertThat(asViewer.get("tiles")).contains("Acme Lab");
        assertThat(asViewer.get("executions")).isNotBlank();
        assertThat(asViewer.get("csv")).startsWith("Saved ").endsWith(" ledger lines.");
        assertThat(asViewer).isEqualTo(asManager);
        assertThat(asViewer.get("methods")).isEqualTo("GET");
    }

    /** Signs in as {@code user}, opens the organization, then ws-demo-lab and its CSV export: what each shows. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> whatTheOrganizationAndAWorkspaceShow(String user) {
        signInAs(user);
        awaitReady("organization");
        // Every request the page sends from here on, by method (the views are drawn in this same document).
        browser.executeScript("""
                window.methodsSent = new Set();
                const fetched = window.fetch;
                window.fetch = (input, init) => {
                  window.methodsSent.add(((init && init.method) || (input instanceof Request ? input.method : 'GET')).toUpperCase());
                  return fetched(input, init);
                };""");
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        shown.put("who", browser.findElement(By.id("who")).getText());
        shown.put("tiles", browser.findElement(By.id("tiles")).getText());
        browser.findElement(By.cssSelector("a.tile[data-workspace='ws-demo-lab']")).click();
        awaitReady("workspace");
        for (String id : List.of("workspace-title", "used-summary", "feature-legend", "history-table", "facts", "executions")) {
            shown.put(id, browser.findElement(By.id(id)).getText());
        }
        browser.findElement(By.id("download-csv")).click();
        new WebDriverWait(browser, WAIT).withMessage(() -> "the CSV never got ready: " + browser.findElement(By.id("csv-status")).getText())
                .until(d -> "ready".equals(d.findElement(By.tagName("body")).getDomAttribute("data-csv")));
        shown.put("csv", browser.findElement(By.id("csv-status")).getText());
        shown.put("methods", String.join(",", (List<String>) browser.executeScript("return [...window.methodsSent].sort()")));
        return shown;
    }

    @Test
    void aManagerOfAnotherOrganizationSeesOnlyTheirs() {
        signInAs("other-manager");
        awaitReady("organization");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Organization org-elsewhere");
        assertThat(browser.findElements(By.cssSelector("#tiles > li .tile-name"))).isEmpty();
    }

    @Test
    void anAnswerWhoseStateWasTamperedWithIsRefused() {
        browser.findElement(By.id("issuer-sign-in-button")).click();
        awaitIssuerPage();
        browser.executeScript("document.querySelector('input[name=state]').value = 'tampered'");
        browser.findElement(By.id("user-manager")).click();

        awaitReady("sign-in");
        assertThat(signInError()).contains("state differs");
        assertThat(browser.getCurrentUrl()).doesNotContain("code=");
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aTokenThatExpiresMidSessionIsRenewedUnseen() throws Exception {
        signInAs("manager");
        awaitReady("organization");
        String first = (String) browser.executeScript("return sessionStorage.getItem('aicredits.overview.token')");
        // Record any moment the sign-in shows from now on.
        browser.executeScript("""
                window.signInShown = false;
                new MutationObserver(() => { if (document.body.dataset.view === 'sign-in') window.signInShown = true; })
                  .observe(document.body, { attributes: true });""");

        Thread.sleep(Duration.ofSeconds(TOKEN_SECONDS + 3));
        String renewed = (String) browser.executeScript("return sessionStorage.getItem('aicredits.overview.token')");
        assertThat(renewed).isNotEqualTo(first);
        assertThat(stack.send("GET", "/v1/organizations/" + DemoData.ORGANIZATION + "/usage", first, null).statusCode())
                .as("the first token has expired").isEqualTo(401);

        browser.findElement(By.cssSelector("#tiles a")).click();
        awaitReady("workspace");
        assertThat(browser.executeScript("return window.signInShown")).isEqualTo(false);
    }

    @Test
    void aRenewalTheIssuerRefusesSendsThePageBackToSignInSayingSo() {
        signInAs("manager");
        awaitReady("organization");
        browser.executeScript("""
                const session = JSON.parse(sessionStorage.getItem('aicredits.overview.session'));
                session.refreshToken = 'revoked-at-the-issuer';
                sessionStorage.setItem('aicredits.overview.session', JSON.stringify(session));""");

        awaitReady("sign-in"); // at the renewal, before the token expires
        assertThat(signInError()).contains("has expired and could not be renewed")
                .contains("the refresh token is unknown or used already").contains("Sign in again");
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.findElements(By.cssSelector("#tiles > li"))).isEmpty();
    }

    @Test
    void signingOutForgetsEverythingAndTheBackButtonShowsNoData() {
        signInAs("manager");
        awaitReady("organization");
        browser.findElement(By.cssSelector("#tiles a")).click();
        awaitReady("workspace");

        browser.findElement(By.id("sign-out")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().equals(stack.base() + "/"));
        awaitReady("sign-in");
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);

        for (int i = 0; i < 3; i++) {
            browser.navigate().back();
            new WebDriverWait(browser, WAIT).until(d -> "complete".equals(browser.executeScript("return document.readyState")));
            if (browser.getCurrentUrl().startsWith(stack.base() + "/?")) {
                break;
            }
        }
        awaitReady("sign-in");
        assertThat(browser.findElement(By.id("workspace")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#tiles > li, #executions tbody tr, #feature-bar .segment"))).isEmpty();
    }

    @Test
    void theIssuerRefusesAReusedCodeAndAWrongVerifier() throws Exception {
        String verifier = "verifier-" + "x".repeat(43);
        String code = code(verifier);
        HttpResponse<String> first = exchange(code, verifier);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode tokens = Json.MAPPER.readTree(first.body());
        assertThat(stack.send("GET", "/v1/organizations/" + DemoData.ORGANIZATION + "/usage", tokens.get("access_token").asText(),
                null).statusCode()).isEqualTo(200);

        HttpResponse<String> reused = exchange(code, verifier);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(reused.body()).get("error").asText()).isEqualTo("invalid_grant");

        HttpResponse<String> wrongVerifier = exchange(code(verifier), verifier + "-not-it");
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(wrongVerifier.body()).contains("invalid_grant").contains("code_verifier");

        String refresh = tokens.get("refresh_token").asText();
        assertThat(post("/_local/token", "grant_type=refresh_token&client_id=aicredits-overview&refresh_token=" + refresh)
                .statusCode()).isEqualTo(200);
        assertThat(post("/_local/token", "grant_type=refresh_token&client_id=aicredits-overview&refresh_token=" + refresh)
                .statusCode()).as("a refresh token is single-use").isEqualTo(400);

        HttpResponse<String> noPkce = HTTP.send(HttpRequest.newBuilder(URI.create(stack.base()
                + "/_local/authorize?response_type=code&client_id=aicredits-overview&state=s&redirect_uri="
                + encode(stack.base() + "/"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noPkce.statusCode()).isEqualTo(302);
        assertThat(noPkce.headers().firstValue("location").orElseThrow()).contains("error=invalid_request").contains("state=s");
    }

    /** A code for the demo manager, asked for as the page would, with {@code verifier}'s S256 challenge. */
    private static String code(String verifier) throws Exception {
        HttpResponse<String> chosen = post("/_local/authorize", "response_type=code&client_id=aicredits-overview&state=s1&user=manager"
                + "&redirect_uri=" + encode(stack.base() + "/") + "&code_challenge_method=S256&code_challenge="
                + LocalIdentityProvider.challengeOf(verifier));
        String location = chosen.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith(stack.base() + "/?code=").endsWith("&state=s1");
        return location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
    }

    private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
        return post("/_local/token", "grant_type=authorization_code&client_id=aicredits-overview&code=" + code
                + "&redirect_uri=" + encode(stack.base() + "/") + "&code_verifier=" + encode(verifier));
    }

    private static HttpResponse<String> post(String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.base() + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void signInAs(String user) {
        browser.findElement(By.id("issuer-sign-in-button")).click();
        awaitIssuerPage();
        browser.findElement(By.id("user-" + user)).click();
    }

    private static void awaitIssuerPage() {
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().startsWith(stack.base() + "/_local/authorize?"));
    }

    private static String signInError() {
        return browser.findElement(By.id("sign-in-error")).getText();
    }

    private static void awaitReady(String view) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "the page never showed " + view + " at " + browser.getCurrentUrl()
                        + "; status: " + browser.findElement(By.id("status")).getText() + "; sign-in error: "
                        + browser.findElement(By.id("sign-in-error")).getText())
                .ignoring(StaleElementReferenceException.class) // the redirects replace the document under the wait
                .until(d -> view.equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }
}
