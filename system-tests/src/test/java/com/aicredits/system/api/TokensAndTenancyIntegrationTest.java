package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.local.identity.LocalAuthorizer;
import com.aicredits.system.stack.ReliabilityStack;
import com.aicredits.testkit.ProductionSemantics;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Who gets in, over HTTP through the local stack's JWT authorizer (the template's issuer, audience and scopes) and
 * the real handlers, on every route of template.yaml: a token that is expired, not yet valid, forged, unsigned,
 * from another issuer or for another audience is a 401 everywhere; a valid token without the route's scope or role
 * is a 403; a manager or viewer of one organization gets 404 for another's workspaces and organization, exactly as for
 * ones that do not exist, and never sees its data; a viewer gets exactly a manager's answers on its own organization and
 * 403 on every admin and service route (issue 33). Nothing of this writes anything.
 */
@Tag("reliability")
class TokensAndTenancyIntegrationTest {
    private static final String OTHER_ORGANIZATION = "org-rel-b";
    private static final String OTHER_WORKSPACE = "ws-rel-b";
    private static final ReliabilityStack api = ReliabilityStack.shared();
    private static RSAKey signingKey;

    @BeforeAll
    static void twoOrganizations() throws Exception {
        ApiRoutes.prepare(api);
        assertThat(api.send("PUT", "/v1/workspaces/" + OTHER_WORKSPACE, api.token("admin", null),
                "{\"organizationId\":\"" + OTHER_ORGANIZATION + "\",\"name\":\"Reliability B\",\"tier\":\"DEV\"}").status()).isIn(200, 201);
        signingKey = RSAKey.parse(Files.readString(api.data.resolve("jwt-signing-key.json"), StandardCharsets.UTF_8));
        // An organization's workspaces are listed from an index, eventually consistent on DynamoDB (README).
        ProductionSemantics.waitOutLag();
    }

    @Test
    void everyBrokenTokenIsA401OnEveryRouteAndWritesNothing() throws Exception {
        Map<String, String> broken = new LinkedHashMap<>();
        Instant now = Instant.now();
        broken.put("expired", signed(claims(c -> c.expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))))));
        broken.put("not yet valid", signed(claims(c -> c.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))))));
        broken.put("no expiry", signed(claims(c -> c.expirationTime(null))));
        broken.put("forged signature", signedWith(new RSAKeyGenerator(2048).keyID(signingKey.getKeyID()).generate(), claims(c -> c)));
        broken.put("alg none", new PlainJWT(claims(c -> c)).serialize());
        broken.put("HS256 keyed with the public key", hs256WithPublicKey(claims(c -> c)));
        broken.put("payload changed after signing", tampered(signed(claims(c -> c.claim("scope", "credits/record")))));
        broken.put("wrong issuer", signed(claims(c -> c.issuer("https://issuer.attacker.example/"))));
        broken.put("wrong audience", signed(claims(c -> c.audience("another-api"))));
        broken.put("no audience", signed(claims(c -> c.audience((String) null))));
        broken.put("not a JWT", "not.a.jwt");
        broken.put("empty", "");
        // The control: the same claims, untouched, are let in (every scope, manager of the fixture organization).
        assertThat(send("GET /v1/pricing", signed(claims(c -> c))).status()).isEqualTo(200);

        api.settle();
        Map<String, Map<String, AttributeValue>> before = api.snapshot();
        List<String> wrong = new ArrayList<>();
        for (HttpApiRoutes.Route route : ApiRoutes.fromTemplate()) {
            ApiRoutes.Request request = ApiRoutes.validRequest(route);
            for (Map.Entry<String, String> token : broken.entrySet()) {
                ReliabilityStack.Reply reply = send(request, token.getValue());
                if (reply.status() != 401 || !reply.body().equals("{\"message\":\"Unauthorized\"}")) {
                    wrong.add(route.routeKey() + " with a token " + token.getKey() + ": " + reply.status() + " " + reply.body());
                }
            }
            ReliabilityStack.Reply basic = api.send(request.method(), request.pathAndQuery(), null, request.contentType(),
                    request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8));
            if (basic.status() != 401) {
                wrong.add(route.routeKey() + " without a token: " + basic.status());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(api.snapshot()).isEqualTo(before);
    }

    @Test
    void aValidTokenWithoutTheRoutesScopeOrRoleIsA403AndAnotherOrganizationsDataIsA404() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("service", api.token("service", null));
        tokens.put("admin", api.token("admin", null));
        tokens.put("manager of " + OTHER_ORGANIZATION, api.token("manager", OTHER_ORGANIZATION));
        tokens.put("viewer of " + OTHER_ORGANIZATION, api.token("viewer", OTHER_ORGANIZATION));
        // A viewer of the fixture's own organization: the usage routes are its to read (the test below), the rest 403.
        tokens.put("viewer of " + ApiRoutes.ORGANIZATION, api.token("viewer", ApiRoutes.ORGANIZATION));

        api.settle();
        Map<String, Map<String, AttributeValue>> before = api.snapshot();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (HttpApiRoutes.Route route : ApiRoutes.fromTemplate()) {
            ApiRoutes.Spec spec = ApiRoutes.spec(route);
            ApiRoutes.Request request = ApiRoutes.validRequest(route);
            for (Map.Entry<String, String> token : tokens.entrySet()) {
                Integer expected = expectedRefusal(spec.caller(), token.getKey());
                if (expected == null) {
                    continue; // this token may use this route: its valid request would do what it asks
                }
                checked++;
                ReliabilityStack.Reply reply = send(request, token.getValue());
                if (reply.status() != expected) {
                    wrong.add(route.routeKey() + " as " + token.getKey() + ": expected " + expected + ", got " + reply.status() + " " + reply.body());
                }
                if (leaks(reply.body())) {
                    wrong.add(route.routeKey() + " as " + token.getKey() + " shows the other organization's data: " + reply.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(ApiRoutes.fromTemplate().size());
        assertThat(api.snapshot()).isEqualTo(before);
    }

    @Test
    void anotherOrganizationsWorkspaceAnswersExactlyAsOneThatDoesNotExist() {
        String outsider = api.token("manager", OTHER_ORGANIZATION);
        for (String role : List.of("manager", "viewer")) {
            String token = api.token(role, OTHER_ORGANIZATION);
            for (String route : List.of("/usage", "/usage/history", "/executions")) {
                ReliabilityStack.Reply theirs = api.send("GET", "/v1/workspaces/" + ApiRoutes.WORKSPACE + route, token, null);
                ReliabilityStack.Reply nobodys = api.send("GET", "/v1/workspaces/ws-nobody-has-this" + route, token, null);
                assertThat(theirs.status()).as(role + " " + route).isEqualTo(404);
                assertThat(nobodys.status()).as(role + " " + route).isEqualTo(404);
                assertThat(theirs.body().replace(ApiRoutes.WORKSPACE, "<id>")).as(role + " " + route)
                        .isEqualTo(nobodys.body().replace("ws-nobody-has-this", "<id>"));
                // A viewer is refused exactly as a manager is.
                assertThat(theirs.body()).isEqualTo(api.send("GET", "/v1/workspaces/" + ApiRoutes.WORKSPACE + route, outsider, null).body());
            }
            ReliabilityStack.Reply theirs = api.send("GET", "/v1/organizations/" + ApiRoutes.ORGANIZATION + "/usage", token, null);
            ReliabilityStack.Reply nobodys = api.send("GET", "/v1/organizations/org-nobody-has-this/usage", token, null);
            assertThat(theirs.status()).as(role).isEqualTo(404);
            assertThat(theirs.body().replace(ApiRoutes.ORGANIZATION, "<id>")).as(role)
                    .isEqualTo(nobodys.body().replace("org-nobody-has-this", "<id>"));
        }

        // The controls: each manager sees its own organization.
        ReliabilityStack.Reply own = api.send("GET", "/v1/workspaces/" + OTHER_WORKSPACE + "/usage", outsider, null);
        assertThat(own.status()).isEqualTo(200);
        ReliabilityStack.Reply insider = api.send("GET", "/v1/organizations/" + ApiRoutes.ORGANIZATION + "/usage",
                api.token("manager", ApiRoutes.ORGANIZATION), null);
        assertThat(insider.status()).isEqualTo(200);
        assertThat(insider.body()).contains(ApiRoutes.WORKSPACE_NAME).doesNotContain(OTHER_WORKSPACE);
        assertThat(api.send("GET", "/v1/organizations/" + OTHER_ORGANIZATION + "/usage", outsider, null).body())
                .contains(OTHER_WORKSPACE).doesNotContain(ApiRoutes.WORKSPACE);
    }

    /**
     * Issue 33: a viewer of the fixture organization gets, on every route of the template a manager may use (and the
     * pricing, anyone's), exactly the status and body a manager of the same organization gets; the answers are the
     * organization's own (the control that the comparison is not of two refusals).
     */
    @Test
    void aViewerGetsExactlyAManagersAnswersOnEveryUsageRouteOfItsOrganization() {
        String manager = api.token("manager", ApiRoutes.ORGANIZATION);
        // The viewer's dev token as the README documents it: GET /_local/token?role=viewer&org=ORG.
        ReliabilityStack.Reply issued = api.send("GET", "/_local/token?role=viewer&org=" + ApiRoutes.ORGANIZATION, null, null);
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String viewer = issued.json().get("token").asText();
        assertThat(api.send("GET", "/_local/token?role=viewer", null, null).status()).as("a viewer needs org=").isEqualTo(400);
        api.settle();
        Map<String, Map<String, AttributeValue>> before = api.snapshot();
        List<String> wrong = new ArrayList<>();
        List<String> compared = new ArrayList<>();
        for (HttpApiRoutes.Route route : ApiRoutes.fromTemplate()) {
            ApiRoutes.Caller caller = ApiRoutes.spec(route).caller();
            if (caller != ApiRoutes.Caller.MANAGER && caller != ApiRoutes.Caller.ANYONE) {
                continue; // the admin and service routes: 403 for a viewer, in the test above
            }
            ApiRoutes.Request request = ApiRoutes.validRequest(route);
            ReliabilityStack.Reply asManager = send(request, manager);
            ReliabilityStack.Reply asViewer = send(request, viewer);
            compared.add(route.routeKey());
            if (asManager.status() != 200) {
                wrong.add(route.routeKey() + " as the manager (the control): " + asManager.status() + " " + asManager.body());
            }
            if (asViewer.status() != asManager.status() || !asViewer.body().equals(asManager.body())) {
                wrong.add(route.routeKey() + " as a viewer: " + asViewer.status() + " " + asViewer.body() + "; as a manager: "
                        + asManager.status() + " " + asManager.body());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(compared).contains("GET /v1/workspaces/{workspaceId}/usage", "GET /v1/workspaces/{workspaceId}/usage/history",
                "GET /v1/workspaces/{workspaceId}/executions", "GET /v1/organizations/{orgId}/usage");
        // What the viewer read is the organization's own: its workspace, its run, and not the other organization's.
        ReliabilityStack.Reply organization = api.send("GET", "/v1/organizations/" + ApiRoutes.ORGANIZATION + "/usage", viewer, null);
        assertThat(organization.body()).contains(ApiRoutes.WORKSPACE_NAME).doesNotContain(OTHER_WORKSPACE);
        assertThat(api.send("GET", "/v1/workspaces/" + ApiRoutes.WORKSPACE + "/executions", viewer, null).body()).contains(ApiRoutes.EXECUTION);
        assertThat(api.snapshot()).isEqualTo(before);
    }

    /**
     * Issue 30, item 10: this stack's issuer is not a Cognito pool the stack configured (TOKEN_CLAIMS is not Cognito), so
     * a token naming the organization only as {@code custom:org_id}, or the manager role only as {@code cognito:groups},
     * gets neither: 403, nothing of the organization shown. (Such an attribute may be user-writable at another issuer.)
     */
    @Test
    void cognitosClaimNamesFromAnotherIssuerNameNoOrganizationAndNoRole() throws Exception {
        String borrowedOrganization = signed(claims(c -> c.claim("org_id", null).claim("custom:org_id", ApiRoutes.ORGANIZATION)));
        String borrowedRole = signed(claims(c -> c.claim("roles", null).claim("cognito:groups", List.of("organization_manager"))));
        String borrowedViewerRole = signed(claims(c -> c.claim("roles", null).claim("cognito:groups", List.of("organization_viewer"))));
        for (String path : List.of("/v1/organizations/" + ApiRoutes.ORGANIZATION + "/usage", "/v1/workspaces/" + ApiRoutes.WORKSPACE + "/usage",
                "/v1/workspaces/" + ApiRoutes.WORKSPACE + "/executions")) {
            ReliabilityStack.Reply organization = api.send("GET", path, borrowedOrganization, null);
            ReliabilityStack.Reply role = api.send("GET", path, borrowedRole, null);
            assertThat(organization.status()).as(path).isEqualTo(403);
            assertThat(organization.errorCode()).isEqualTo("no_organization");
            assertThat(role.status()).as(path).isEqualTo(403);
            assertThat(role.errorCode()).isEqualTo("not_a_manager");
            ReliabilityStack.Reply viewerRole = api.send("GET", path, borrowedViewerRole, null);
            assertThat(viewerRole.status()).as(path).isEqualTo(403);
            assertThat(viewerRole.errorCode()).isEqualTo("not_a_manager");
            assertThat(leaks(organization.body()) || leaks(role.body()) || leaks(viewerRole.body())).isFalse();
        }
        // The control: the same token with org_id and roles sees its organization.
        assertThat(api.send("GET", "/v1/organizations/" + ApiRoutes.ORGANIZATION + "/usage", signed(claims(c -> c)), null).status())
                .isEqualTo(200);
    }

    /**
     * The status a token gets on a route it may not use; null when it may. A person (a manager or a viewer) of another
     * organization gets 404 on the usage routes; one of the fixture's own organization may use them.
     */
    private static Integer expectedRefusal(ApiRoutes.Caller caller, String token) {
        boolean person = token.startsWith("manager of ") || token.startsWith("viewer of ");
        boolean ownOrganization = token.endsWith(" of " + ApiRoutes.ORGANIZATION);
        return switch (caller) {
            case SERVICE -> token.equals("service") ? null : 403;
            case ADMIN -> token.equals("admin") ? null : 403;
            case MANAGER -> {
                if (!person) {
                    yield 403;
                }
                yield ownOrganization ? null : Integer.valueOf(404);
            }
            case ANYONE -> null;
        };
    }

    private static boolean leaks(String body) {
        return body.contains(ApiRoutes.WORKSPACE_NAME) || body.contains("secops@rel-a.example") || body.contains(ApiRoutes.EXECUTION)
                || body.contains("\"creditsUsed\"");
    }

    private static ReliabilityStack.Reply send(String routeKey, String token) {
        HttpApiRoutes.Route route = ApiRoutes.fromTemplate().stream().filter(r -> r.routeKey().equals(routeKey)).findFirst().orElseThrow();
        return send(ApiRoutes.validRequest(route), token);
    }

    private static ReliabilityStack.Reply send(ApiRoutes.Request request, String token) {
        return api.send(request.method(), request.pathAndQuery(), token, request.contentType(),
                request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8));
    }

    /** Claims that would pass every route (both scopes, a manager of the fixture organization), then {@code change}. */
    private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(api.stack.authorizer().issuer())
                .audience(LocalAuthorizer.AUDIENCE)
                .subject("reliability-test")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("scope", "credits/record credits/admin")
                .claim("org_id", ApiRoutes.ORGANIZATION)
                .claim("roles", List.of("organization_manager"));
        return change.apply(claims).build();
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        return signedWith(signingKey, claims);
    }

    private static String signedWith(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** The old algorithm-confusion attack: an HMAC "signature" keyed with the verifier's public key. */
    private static String hs256WithPublicKey(JWTClaimsSet claims) throws Exception {
        byte[] secret = signingKey.toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(signingKey.getKeyID()).build(), claims);
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(secret.length, 32))));
        return jwt.serialize();
    }

    /** A genuine token whose payload is swapped for one with more rights, keeping the original signature. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = claims(c -> c).toString();
        return parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
