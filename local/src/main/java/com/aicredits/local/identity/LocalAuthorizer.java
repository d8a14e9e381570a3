package com.aicredits.local.identity;

import com.aicredits.service.UsageService;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays API Gateway's JWT authorizer: issues dev tokens signed with a local RSA key (kept under .local/, so tokens
 * survive a restart) and validates signature, issuer, audience, expiry and the route's scopes. Claims reach the
 * function as API Gateway hands them over: every claim a string, an array claim as one string {@code [a b]}.
 */
public final class LocalAuthorizer {
    public static final String AUDIENCE = "aicredits-local";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private final RSAKey key;
    private final String issuer;

    public LocalAuthorizer(Path keyFile, String issuer) {
        this.key = loadOrCreateKey(keyFile);
        this.issuer = issuer;
    }

    /** The {@code iss} every token must carry (the template's JwtIssuer parameter, played locally). */
    public String issuer() {
        return issuer;
    }

    /** What the authorizer decided: the claims to pass on, or the status and body API Gateway answers. */
    public sealed interface Decision {
        record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {
        }

        record Denied(int status, String message) implements Decision {
        }
    }

    /**
     * A dev token for {@code role} (service, admin, manager or viewer); a manager or viewer belongs to
     * {@code organizationId}. A person's token (manager, viewer) carries {@code org_id} and {@code roles} and no scope,
     * as the real issuer's do, so the admin and service routes refuse it.
     */
    public String token(String role, String organizationId) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(TOKEN_LIFETIME)));
        switch (role) {
            case "service" -> claims.subject("local-platform-service").claim("client_id", "local-platform-service")
                    .claim("scope", "credits/record");
            case "admin" -> claims.subject("local-admin").claim("client_id", "local-admin").claim("scope", "credits/admin");
            case "manager", "viewer" -> {
                if (organizationId == null || organizationId.isBlank()) {
                    throw new IllegalArgumentException("a " + role + " token needs org=<organizationId>");
                }
                claims.subject(role + "@" + organizationId).claim("org_id", organizationId)
                        .claim("roles", List.of(role.equals("manager") ? UsageService.MANAGER_ROLE : UsageService.VIEWER_ROLE));
            }
            default -> throw new IllegalArgumentException("role must be service, admin, manager or viewer; got '" + role + "'");
        }
        return sign(claims.build());
    }

    /** {@code claims} signed with the local key (RS256), as the local identity provider's tokens are too. */
    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a local token", e);
        }
    }

    /** The public half of the signing key as a JWK Set document (what a JWKS endpoint serves). */
    String publicKeySetJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** Validates the {@code Authorization} header against a route that needs {@code requiredScopes} (any one). */
    public Decision authorize(String authorization, List<String> requiredScopes) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Decision.Denied(401, "Unauthorized");
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7).strip());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                return new Decision.Denied(401, "Unauthorized");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException e) {
            return new Decision.Denied(401, "Unauthorized");
        }
        Date now = new Date();
        boolean expired = claims.getExpirationTime() == null || !claims.getExpirationTime().after(now);
        boolean notYet = claims.getNotBeforeTime() != null && claims.getNotBeforeTime().after(now);
        if (!issuer.equals(claims.getIssuer()) || claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)
                || expired || notYet) {
            return new Decision.Denied(401, "Unauthorized");
        }
        List<String> scopes = scopes(claims);
        if (!requiredScopes.isEmpty() && requiredScopes.stream().noneMatch(scopes::contains)) {
            return new Decision.Denied(403, "Forbidden");
        }
        return new Decision.Allowed(asApiGatewayClaims(claims), scopes);
    }

    private static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            scope = claims.getClaim("scp");
        }
        List<String> scopes = new ArrayList<>();
        if (scope instanceof String text) {
            for (String part : text.split("\\s+")) {
                if (!part.isEmpty()) {
                    scopes.add(part);
                }
            }
        } else if (scope instanceof List<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        }
        return scopes;
    }

    /** Every claim as a string, the way API Gateway HTTP API passes them: arrays as {@code [a b]}, dates as seconds. */
    static Map<String, String> asApiGatewayClaims(JWTClaimsSet claims) {
        Map<String, String> result = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> result.put(name, claimString(value)));
        return result;
    }

    private static String claimString(Object value) {
        if (value instanceof Date date) {
            return Long.toString(date.toInstant().getEpochSecond());
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(String.valueOf(item)));
            return "[" + String.join(" ", items) + "]";
        }
        return String.valueOf(value);
    }

    private static RSAKey loadOrCreateKey(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                return RSAKey.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
            }
            RSAKey created = new RSAKeyGenerator(2048).keyID("aicredits-local-" + UUID.randomUUID()).generate();
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, created.toJSONString(), StandardCharsets.UTF_8);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the local signing key " + keyFile, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the local signing key " + keyFile + " is unusable; delete it to make a new one", e);
        }
    }
}
