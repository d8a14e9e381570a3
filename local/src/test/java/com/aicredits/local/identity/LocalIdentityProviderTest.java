package com.aicredits.local.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.json.Json;
import com.aicredits.local.DemoData;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local identity provider's rules, on its own: what the page's sign-in and the browser tests rely on. */
class LocalIdentityProviderTest {
    private static final String ISSUER = "http://127.0.0.1:3000/_local";
    private static final String REDIRECT = "http://127.0.0.1:3000/";
    private static final String VERIFIER = "a-verifier-of-the-page-" + "v".repeat(40);

    @TempDir
    Path data;

    private LocalAuthorizer authorizer;
    private LocalIdentityProvider provider;
    private Instant now = Instant.now();

    @BeforeEach
    void provider() {
        authorizer = new LocalAuthorizer(data.resolve("key.json"), ISSUER);
        Clock movable = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        provider = new LocalIdentityProvider(authorizer, Duration.ofMinutes(5), movable);
    }

    @Test
    void theManagersAccessTokenPassesTheAuthorizerWithTheClaimsTheApiReads() throws Exception {
        JsonNode tokens = json(exchange(code("manager", VERIFIER), VERIFIER));

        LocalAuthorizer.Decision decision = authorizer.authorize("Bearer " + tokens.get("access_token").asText(), List.of());
        assertThat(decision).isInstanceOfSatisfying(LocalAuthorizer.Decision.Allowed.class, allowed -> {
            assertThat(allowed.claims()).containsEntry("org_id", DemoData.ORGANIZATION).containsEntry("roles", "[organization_manager]")
                    .containsEntry("aud", "[" + LocalAuthorizer.AUDIENCE + "]").containsEntry("iss", ISSUER);
        });
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(300);
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("id_token").asText()).isNotBlank();
    }

    /** Issue 33: the demo viewer signs in like the manager, with the viewer role in both tokens and no scope the API's writes need. */
    @Test
    void theViewersTokensCarryTheViewerRoleOfTheDemoOrganizationAndNoApiScope() throws Exception {
        JsonNode tokens = json(exchange(code("viewer", VERIFIER), VERIFIER));

        LocalAuthorizer.Decision decision = authorizer.authorize("Bearer " + tokens.get("access_token").asText(), List.of());
        assertThat(decision).isInstanceOfSatisfying(LocalAuthorizer.Decision.Allowed.class, allowed -> {
            assertThat(allowed.claims()).containsEntry("org_id", DemoData.ORGANIZATION).containsEntry("roles", "[organization_viewer]");
            assertThat(allowed.scopes()).doesNotContain("credits/admin", "credits/record");
        });
        for (String scope : List.of("credits/admin", "credits/record")) {
            assertThat(authorizer.authorize("Bearer " + tokens.get("access_token").asText(), List.of(scope)))
                    .as(scope).isEqualTo(new LocalAuthorizer.Decision.Denied(403, "Forbidden"));
        }
        com.nimbusds.jwt.JWTClaimsSet id = com.nimbusds.jwt.SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getStringListClaim("roles")).containsExactly("organization_viewer");
        assertThat(id.getStringClaim("org_id")).isEqualTo(DemoData.ORGANIZATION);
    }

    /** The dev tokens of /_local/token: a viewer's as a manager's, with its own role; without an organization, refused. */
    @Test
    void theDevTokenOfAViewerIsAManagersWithTheViewerRole() {
        for (String role : List.of("manager", "viewer")) {
            LocalAuthorizer.Decision decision = authorizer.authorize("Bearer " + authorizer.token(role, "org-x"), List.of());
            assertThat(decision).isInstanceOfSatisfying(LocalAuthorizer.Decision.Allowed.class, allowed -> {
                assertThat(allowed.claims()).containsEntry("org_id", "org-x").containsEntry("sub", role + "@org-x")
                        .containsEntry("roles", "[organization_" + role + "]").doesNotContainKey("scope");
                assertThat(allowed.scopes()).isEmpty();
            });
            assertThat(authorizer.authorize("Bearer " + authorizer.token(role, "org-x"), List.of("credits/admin")))
                    .isEqualTo(new LocalAuthorizer.Decision.Denied(403, "Forbidden"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> authorizer.token(role, " "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("org=");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> authorizer.token("organization_viewer", "org-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service, admin, manager or viewer");
    }

    @Test
    void aCodeServesOnceWithinItsMinuteForItsVerifierAndRedirectOnly() {
        String code = code("manager", VERIFIER);
        assertThat(exchange(code, "another-" + VERIFIER).status()).isEqualTo(400);
        assertThat(exchange(code, VERIFIER).status()).as("a failed try used the code up too").isEqualTo(400);

        String fresh = code("manager", VERIFIER);
        assertThat(token("grant_type=authorization_code&client_id=aicredits-overview&code=" + fresh
                + "&redirect_uri=" + encode(REDIRECT + "elsewhere") + "&code_verifier=" + VERIFIER).status()).isEqualTo(400);

        String old = code("manager", VERIFIER);
        now = now.plus(LocalIdentityProvider.CODE_LIFETIME).plusSeconds(1);
        LocalIdentityProvider.Answer expired = exchange(old, VERIFIER);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(new String(expired.body(), StandardCharsets.UTF_8)).contains("invalid_grant").contains("expired");

        String good = code("manager", VERIFIER);
        assertThat(exchange(good, VERIFIER).status()).isEqualTo(200);
        assertThat(exchange(good, VERIFIER).status()).isEqualTo(400);
    }

    @Test
    void aRefreshTokenServesOnceAndHandsOutTheNextOne() throws Exception {
        JsonNode first = json(exchange(code("member", VERIFIER), VERIFIER));
        String refresh = first.get("refresh_token").asText();
        LocalIdentityProvider.Answer renewed = token("grant_type=refresh_token&client_id=aicredits-overview&refresh_token=" + refresh);
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(json(renewed).get("refresh_token").asText()).isNotEqualTo(refresh);
        assertThat(token("grant_type=refresh_token&client_id=aicredits-overview&refresh_token=" + refresh).status()).isEqualTo(400);
    }

    @Test
    void theAuthorizationPageRefusesForeignRedirectsAndRequestsWithoutPkce() {
        LocalIdentityProvider.Answer foreign = provider.handle("GET", "/_local/authorize", Map.of("response_type", "code",
                "client_id", LocalIdentityProvider.CLIENT_ID, "redirect_uri", "https://evil.example/", "code_challenge",
                LocalIdentityProvider.challengeOf(VERIFIER), "code_challenge_method", "S256"), new byte[0]).orElseThrow();
        assertThat(foreign.status()).as("never redirected to a foreign page").isEqualTo(400);

        LocalIdentityProvider.Answer plain = provider.handle("GET", "/_local/authorize", Map.of("response_type", "code",
                "client_id", LocalIdentityProvider.CLIENT_ID, "redirect_uri", REDIRECT, "state", "s1", "code_challenge", VERIFIER,
                "code_challenge_method", "plain"), new byte[0]).orElseThrow();
        assertThat(plain.status()).isEqualTo(302);
        assertThat(plain.headers().get("location")).startsWith(REDIRECT + "?error=invalid_request").endsWith("&state=s1");

        LocalIdentityProvider.Answer page = provider.handle("GET", "/_local/authorize", Map.of("response_type", "code",
                "client_id", LocalIdentityProvider.CLIENT_ID, "redirect_uri", REDIRECT, "state", "\"><script>x</script>",
                "code_challenge", LocalIdentityProvider.challengeOf(VERIFIER), "code_challenge_method", "S256"), new byte[0]).orElseThrow();
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("user-manager").contains("user-viewer").contains("user-member")
                .doesNotContain("<script>");
    }

    @Test
    void discoveryNamesEveryEndpointUnderTheIssuer() throws Exception {
        JsonNode document = json(provider.handle("GET", "/_local/.well-known/openid-configuration", Map.of(), new byte[0]).orElseThrow());
        assertThat(document.get("issuer").asText()).isEqualTo(ISSUER);
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint")) {
            assertThat(document.get(endpoint).asText()).as(endpoint).startsWith(ISSUER + "/");
        }
        assertThat(document.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(provider.handle("GET", "/_local/emails", Map.of(), new byte[0])).as("not the provider's").isEmpty();
    }

    private String code(String user, String verifier) {
        LocalIdentityProvider.Answer chosen = provider.handle("POST", "/_local/authorize", Map.of(), form(
                "response_type=code&client_id=aicredits-overview&state=s1&user=" + user + "&redirect_uri=" + encode(REDIRECT)
                        + "&code_challenge_method=S256&code_challenge=" + LocalIdentityProvider.challengeOf(verifier))).orElseThrow();
        String location = chosen.headers().get("location");
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=s1");
        return location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
    }

    private LocalIdentityProvider.Answer exchange(String code, String verifier) {
        return token("grant_type=authorization_code&client_id=aicredits-overview&code=" + code + "&redirect_uri=" + encode(REDIRECT)
                + "&code_verifier=" + encode(verifier));
    }

    private LocalIdentityProvider.Answer token(String form) {
        return provider.handle("POST", "/_local/token", Map.of(), form(form)).orElseThrow();
    }

    private static byte[] form(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(LocalIdentityProvider.Answer answer) throws Exception {
        assertThat(answer.status()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
