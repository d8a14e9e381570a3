package com.aicredits.local.identity;

import com.aicredits.json.Json;
import com.aicredits.service.UsageService;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The organization's OpenID Connect issuer, played for {@code make run}: discovery, an authorization page where you pick
 * a demo user, the token endpoint (authorization code with PKCE S256 required, and refresh tokens), the JWKS and
 * end-session. Its issuer is the local authorizer's ({@code <origin>/_local}) and its access tokens are signed with the
 * same key and carry the same audience, so the API accepts them as API Gateway accepts the real issuer's. Codes are
 * single-use and live {@link #CODE_LIFETIME}; refresh tokens are single-use too (each refresh hands out a new one).
 * Everything is kept in memory: a restart signs everyone out.
 */
public final class LocalIdentityProvider {
    /** The overview page's client id (config.js names it); a public client, so no secret. */
    public static final String CLIENT_ID = "aicredits-overview";
    /** Seconds an access token lives; a test sets it short to see the page renew. */
    public static final String TOKEN_SECONDS = "AICREDITS_LOCAL_TOKEN_SECONDS";
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

    /** The organization of the demo data ({@code DemoData} writes its workspaces under this one). */
    public static final String DEMO_ORGANIZATION = "org-demo";
    /** The demo organization whose workspaces draw from one credit pool ({@code DemoData} writes it too). */
    public static final String DEMO_POOL_ORGANIZATION = "org-demo-pool";

    /** The people the authorization page offers. */
    public record DemoUser(String id, String label, String organizationId, List<String> roles) {
    }

    public static final List<DemoUser> USERS = List.of(
            new DemoUser("manager", "Manager of " + DEMO_ORGANIZATION, DEMO_ORGANIZATION, List.of(UsageService.MANAGER_ROLE)),
            new DemoUser("viewer", "Viewer of " + DEMO_ORGANIZATION + " (read-only)", DEMO_ORGANIZATION, List.of(UsageService.VIEWER_ROLE)),
            new DemoUser("pool-manager", "Manager of " + DEMO_POOL_ORGANIZATION + " (a credit pool)", DEMO_POOL_ORGANIZATION,
                    List.of(UsageService.MANAGER_ROLE)),
            new DemoUser("other-manager", "Manager of org-elsewhere", "org-elsewhere", List.of(UsageService.MANAGER_ROLE)),
            new DemoUser("member", "Member of " + DEMO_ORGANIZATION + " (not a manager)", DEMO_ORGANIZATION, List.of("member")));

    /** An HTTP answer; the server sends it as it is. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer json(int status, Object body) {
            return new Answer(status, Map.of("content-type", "application/json", "cache-control", "no-store"),
                    Json.write(body).getBytes(StandardCharsets.UTF_8));
        }

        static Answer redirect(String location) {
            return new Answer(302, Map.of("location", location, "cache-control", "no-store"), new byte[0]);
        }

        static Answer html(int status, String page) {
            return new Answer(status, Map.of("content-type", "text/html; charset=utf-8", "cache-control", "no-store",
                    "content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
                    page.getBytes(StandardCharsets.UTF_8));
        }
    }

    private record PendingCode(String clientId, String redirectUri, String codeChallenge, String nonce, DemoUser user,
                               Instant expiresAt) {
    }

    private record RefreshGrant(String clientId, DemoUser user) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalAuthorizer authorizer;
    private final String issuer;
    private final String origin;
    private final Duration tokenLifetime;
    private final Clock clock;
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();

    public LocalIdentityProvider(LocalAuthorizer authorizer, Duration tokenLifetime) {
        this(authorizer, tokenLifetime, Clock.systemUTC());
    }

    /** {@code clock}: the real one, but for a test that lets a code grow old. */
    LocalIdentityProvider(LocalAuthorizer authorizer, Duration tokenLifetime, Clock clock) {
        this.clock = clock;
        this.authorizer = authorizer;
        this.issuer = authorizer.issuer();
        this.origin = java.net.URI.create(issuer).resolve("/").toString();
        this.tokenLifetime = tokenLifetime;
    }

    /** The token lifetime {@link #TOKEN_SECONDS} sets, else an hour. */
    public static Duration tokenLifetimeFromEnvironment() {
        String seconds = System.getenv(TOKEN_SECONDS);
        try {
            return seconds == null || seconds.isBlank() ? DEFAULT_TOKEN_LIFETIME : Duration.ofSeconds(Long.parseLong(seconds.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(TOKEN_SECONDS + " must be a number of seconds; got '" + seconds + "'");
        }
    }

    /** The answer for a request under the issuer, or empty if the path is none of the provider's. */
    public Optional<Answer> handle(String method, String path, Map<String, String> query, byte[] body) {
        String base = java.net.URI.create(issuer).getPath();
        if (!path.startsWith(base + "/")) {
            return Optional.empty();
        }
        String endpoint = path.substring(base.length());
        Map<String, String> form;
        try {
            form = method.equals("POST") ? form(body) : Map.of();
        } catch (IllegalArgumentException malformed) {
            return Optional.of(tokenError(400, "invalid_request", "the body is not a well-formed url-encoded form"));
        }
        return Optional.ofNullable(switch (method + " " + endpoint) {
            case "GET /.well-known/openid-configuration" -> Answer.json(200, discovery());
            case "GET /jwks" -> new Answer(200, Map.of("content-type", "application/json"),
                    authorizer.publicKeySetJson().getBytes(StandardCharsets.UTF_8));
            case "GET /authorize" -> authorizationPage(query);
            case "POST /authorize" -> authorized(form);
            case "POST /token" -> token(form);
            case "GET /logout" -> endSession(query);
            default -> null;
        });
    }

    private Map<String, Object> discovery() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("authorization_endpoint", issuer + "/authorize");
        document.put("token_endpoint", issuer + "/token");
        document.put("jwks_uri", issuer + "/jwks");
        document.put("end_session_endpoint", issuer + "/logout");
        document.put("response_types_supported", List.of("code"));
        document.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("token_endpoint_auth_methods_supported", List.of("none"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("scopes_supported", List.of("openid", "profile"));
        return document;
    }

    /** What is wrong with an authorization request's client or redirect (answered on a page: never redirected to). */
    private String badClient(Map<String, String> request) {
        if (!CLIENT_ID.equals(request.get("client_id"))) {
            return "unknown client_id '" + request.getOrDefault("client_id", "") + "' (the page's is " + CLIENT_ID + ")";
        }
        String redirect = request.getOrDefault("redirect_uri", "");
        return redirect.startsWith(origin) && !redirect.contains("#") ? null
                : "redirect_uri must be a page of this stack (" + origin + "...); got '" + redirect + "'";
    }

    /** What is wrong with the rest of the request (answered to the client, at its redirect). */
    private static String badRequest(Map<String, String> request) {
        if (!"code".equals(request.get("response_type"))) {
            return "response_type must be code";
        }
        if (!"S256".equals(request.get("code_challenge_method")) || request.getOrDefault("code_challenge", "").length() < 43) {
            return "PKCE is required: code_challenge (43+ characters) with code_challenge_method=S256";
        }
        return null;
    }

    private Answer authorizationPage(Map<String, String> query) {
        String client = badClient(query);
        if (client != null) {
            return Answer.html(400, LocalSignInPage.error(client));
        }
        String request = badRequest(query);
        if (request != null) {
            return Answer.redirect(withParameters(query.get("redirect_uri"), "error", "invalid_request", "error_description", request,
                    "state", query.get("state")));
        }
        return Answer.html(200, LocalSignInPage.chooser(issuer + "/authorize", query, USERS));
    }

    private Answer authorized(Map<String, String> form) {
        String client = badClient(form);
        if (client != null) {
            return Answer.html(400, LocalSignInPage.error(client));
        }
        String request = badRequest(form);
        Optional<DemoUser> user = USERS.stream().filter(candidate -> candidate.id().equals(form.get("user"))).findFirst();
        if (request != null || user.isEmpty()) {
            return Answer.redirect(withParameters(form.get("redirect_uri"), "error", request != null ? "invalid_request" : "access_denied",
                    "error_description", request != null ? request : "sign-in cancelled", "state", form.get("state")));
        }
        String code = randomToken();
        codes.put(code, new PendingCode(CLIENT_ID, form.get("redirect_uri"), form.get("code_challenge"), form.get("nonce"),
                user.get(), clock.instant().plus(CODE_LIFETIME)));
        codes.values().removeIf(pending -> pending.expiresAt().isBefore(clock.instant()));
        return Answer.redirect(withParameters(form.get("redirect_uri"), "code", code, "state", form.get("state")));
    }

    private Answer token(Map<String, String> form) {
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            return tokenError(401, "invalid_client", "unknown client_id");
        }
        return switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                PendingCode pending = codes.remove(form.getOrDefault("code", "")); // single use: a second try finds nothing
                if (pending == null || pending.expiresAt().isBefore(clock.instant())) {
                    yield tokenError(400, "invalid_grant", "the code is unknown, used already or expired");
                }
                if (!pending.redirectUri().equals(form.get("redirect_uri"))) {
                    yield tokenError(400, "invalid_grant", "redirect_uri differs from the authorization request's");
                }
                if (!pending.codeChallenge().equals(challengeOf(form.getOrDefault("code_verifier", "")))) {
                    yield tokenError(400, "invalid_grant", "the PKCE code_verifier does not match the code_challenge");
                }
                yield tokens(pending.user(), pending.nonce());
            }
            case "refresh_token" -> {
                RefreshGrant grant = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
                yield grant == null ? tokenError(400, "invalid_grant", "the refresh token is unknown or used already")
                        : tokens(grant.user(), null);
            }
            default -> tokenError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
        };
    }

    private Answer tokens(DemoUser user, String nonce) {
        Instant now = clock.instant();
        Date issued = Date.from(now);
        Date expires = Date.from(now.plus(tokenLifetime));
        String subject = user.id() + "@" + user.organizationId();
        JWTClaimsSet access = new JWTClaimsSet.Builder().issuer(issuer).audience(LocalAuthorizer.AUDIENCE).subject(subject)
                .jwtID(UUID.randomUUID().toString()).issueTime(issued).expirationTime(expires).claim("client_id", CLIENT_ID)
                .claim("token_use", "access").claim("scope", "openid profile")
                .claim("org_id", user.organizationId()).claim("roles", user.roles()).build();
        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder().issuer(issuer).audience(CLIENT_ID).subject(subject)
                .issueTime(issued).expirationTime(expires).claim("name", user.label())
                .claim("org_id", user.organizationId()).claim("roles", user.roles());
        if (nonce != null && !nonce.isEmpty()) {
            id.claim("nonce", nonce);
        }
        String refresh = randomToken();
        refreshTokens.put(refresh, new RefreshGrant(CLIENT_ID, user));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", authorizer.sign(access));
        body.put("id_token", authorizer.sign(id.build()));
        body.put("refresh_token", refresh);
        body.put("token_type", "Bearer");
        body.put("expires_in", tokenLifetime.toSeconds());
        body.put("scope", "openid profile");
        return Answer.json(200, body);
    }

    private Answer endSession(Map<String, String> query) {
        String back = query.get("post_logout_redirect_uri");
        if (back != null && back.startsWith(origin)) {
            return Answer.redirect(withParameters(back, "state", query.get("state")));
        }
        return Answer.html(200, LocalSignInPage.signedOut());
    }

    private static Answer tokenError(int status, String error, String description) {
        return Answer.json(status, Map.of("error", error, "error_description", description));
    }

    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code uri} with the named parameters added (null values left out). */
    private static String withParameters(String uri, String... namesAndValues) {
        StringBuilder result = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                result.append(separator).append(namesAndValues[i]).append('=')
                        .append(java.net.URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return result.toString();
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int equals = pair.indexOf('=');
            if (!pair.isEmpty()) {
                fields.putIfAbsent(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
