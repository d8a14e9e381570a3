package com.aicredits.app.http;

import com.aicredits.domain.Caller;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.json.Json;
import com.aicredits.observability.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/** API Gateway HTTP API (payload 2.0) in and out: bodies, path parameters, JSON responses and errors. */
public final class HttpApi {
    /** Request bodies above this are refused with 413 before parsing. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** A batch's body: up to 100 runs, each under a kilobyte however long its ids. */
    public static final int MAX_BATCH_BODY_BYTES = 128 * 1024;
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json",
            "cache-control", "no-store");
    /** What separates the values of a flattened claim; compiled once (String.split would compile it on every call). */
    private static final Pattern CLAIM_LIST_SEPARATOR = Pattern.compile("[\\s,]+");

    private HttpApi() {
    }

    /**
     * Runs a route with the invocation's log keys set (the request id, and the workspace and execution of the path
     * when it names them) and maps what it throws: a {@link CreditsException} to its status and JSON error, an AWS
     * dependency's failure to a 503, anything else to a 500 that says nothing of the internals (the details go to the
     * log). {@code exchanges} sees the answer before it is returned.
     */
    public static APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, Context context, ExchangeObserver exchanges,
                                                   Supplier<APIGatewayV2HTTPResponse> route) {
        APIGatewayV2HTTPResponse response = answer(event, context, route);
        exchanges.exchanged(event, response);
        return response;
    }

    private static APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context,
                                                   Supplier<APIGatewayV2HTTPResponse> route) {
        String apiRequestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        try (Log.Scope ignored = Log.invocation(context, apiRequestId)) {
            Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
            Log.workspace(path.get("workspaceId"));
            Log.execution(path.get("executionId"));
            try {
                return route.get();
            } catch (CreditsException e) {
                return error(Refusals.status(e), Refusals.code(e), e.getMessage(), e.detail());
            } catch (SdkException e) {
                // DynamoDB or another AWS dependency failed after the SDK's own retries (throttling, an outage).
                Log.error("dependency failure", e, "route", event.getRouteKey());
                return error(503, "unavailable", "a dependency is unavailable right now; it is safe to retry the same request");
            } catch (RuntimeException e) {
                Log.error("unhandled error", e, "route", event.getRouteKey());
                return error(500, "internal_error", "something went wrong on our side; it is safe to retry the same request");
            }
        }
    }

    public static APIGatewayV2HTTPResponse json(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(JSON_HEADERS).withBody(body).build();
    }

    public static APIGatewayV2HTTPResponse json(int status, Object value) {
        return json(status, Json.write(value));
    }

    public static APIGatewayV2HTTPResponse error(int status, String code, String message) {
        return error(status, code, message, Map.of());
    }

    /** {@code {"error":{"code","message"}}}, with {@code "detail"} when the refusal has facts to give (a 402's numbers). */
    public static APIGatewayV2HTTPResponse error(int status, String code, String message, Map<String, Object> detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (!detail.isEmpty()) {
            error.put("detail", detail);
        }
        return json(status, Map.of("error", error));
    }

    /**
     * How long the caller waits for this answer, in milliseconds, from the header {@value #TIMEOUT_HEADER} (null when
     * absent): a debit gives up retrying contention by then (503 {@code contention}) rather than go on working for a
     * caller who has stopped listening and sent its retry. A value that is not a whole number from 1 to 900,000 (15
     * minutes) is a 400 {@code invalid_timeout}.
     */
    public static Duration timeout(APIGatewayV2HTTPEvent event) {
        String value = header(event, TIMEOUT_HEADER);
        if (value == null) {
            return null;
        }
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw CreditsException.invalid("timeout", TIMEOUT_HEADER + " must be a whole number of milliseconds from 1 to"
                    + " 900000; got " + CreditsException.quote(value));
        }
        long millis = Long.parseLong(digits);
        if (millis < 1 || millis > 900_000) {
            throw CreditsException.invalid("timeout", TIMEOUT_HEADER + " must be a whole number of milliseconds from 1 to"
                    + " 900000; got " + CreditsException.quote(value));
        }
        return Duration.ofMillis(millis);
    }

    /** The header a caller says how long it waits with (HTTP API hands header names over in lower case). */
    public static final String TIMEOUT_HEADER = "aicredits-timeout-ms";

    public static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> parameters = event.getPathParameters();
        String value = parameters == null ? null : parameters.get(name);
        if (value == null || value.isEmpty()) {
            throw CreditsException.invalid(name, "path parameter " + name + " is required");
        }
        return value;
    }

    /**
     * The request body as text: base64-decoded when API Gateway encoded it, at most 16 KB, JSON only. A body must say
     * it is {@code application/json}: without a Content-Type it is refused (415) as any other type is, since the
     * clients that leave it out send other things by default (curl -d sends form data, with its own type).
     */
    public static String body(APIGatewayV2HTTPEvent event) {
        return body(event, MAX_BODY_BYTES);
    }

    /** As {@link #body(APIGatewayV2HTTPEvent)}, at most {@code maxBytes}. */
    public static String body(APIGatewayV2HTTPEvent event, int maxBytes) {
        String contentType = header(event, "content-type");
        String body = event.getBody();
        if (contentType == null && body != null && !body.isEmpty()) {
            throw new CreditsException(Refusal.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json; the request has no Content-Type");
        }
        if (contentType != null && !contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            throw new CreditsException(Refusal.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json; got " + CreditsException.quote(contentType));
        }
        return decoded(event, maxBytes);
    }

    /** The body as sent, base64-decoded when API Gateway encoded it, at most {@code maxBytes}; whatever its type. */
    private static String decoded(APIGatewayV2HTTPEvent event, int maxBytes) {
        String body = event.getBody();
        if (body == null) {
            return null;
        }
        byte[] bytes;
        if (event.getIsBase64Encoded()) {
            if (body.length() > maxBytes * 4 / 3 + 4) {
                throw tooLarge(maxBytes);
            }
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw CreditsException.invalid("body", "the body is not valid base64");
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The query parameters, refusing any the route does not take (400 naming it): like an unknown body field, an
     * ignored parameter would let a client believe it asked for something it did not get.
     */
    public static Map<String, String> query(APIGatewayV2HTTPEvent event, Set<String> accepted) {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        for (String name : query.keySet()) {
            if (!accepted.contains(name)) {
                throw new CreditsException(Refusal.UNKNOWN_PARAMETER, "unknown query parameter " + CreditsException.quote(name) + "; "
                        + (accepted.isEmpty() ? "this route takes none" : "allowed: " + String.join(", ", new TreeSet<>(accepted))));
            }
        }
        return query;
    }

    /**
     * A route that takes no body refuses one (400) rather than ignore what the client meant to send. An empty JSON
     * object says nothing either, and many HTTP clients send {@code {}} on every PUT: it counts as no body.
     */
    public static void requireNoBody(APIGatewayV2HTTPEvent event) {
        // Whatever its type: on such a route any body but {} is refused as unexpected, not as the wrong media type.
        if (event.getBody() == null || event.getBody().isEmpty() || isEmptyJsonObject(decoded(event, MAX_BODY_BYTES))) {
            return;
        }
        throw new CreditsException(Refusal.UNEXPECTED_BODY, "this route takes no body (an empty JSON object {} is accepted)");
    }

    private static boolean isEmptyJsonObject(String text) {
        String inside = text.strip();
        if (!inside.startsWith("{") || !inside.endsWith("}")) {
            return false;
        }
        return inside.substring(1, inside.length() - 1).isBlank();
    }

    /** A header by name; HTTP API lower-cases header names. */
    public static String header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        String value = headers.get(name);
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    private static CreditsException tooLarge(int maxBytes) {
        return new CreditsException(Refusal.PAYLOAD_TOO_LARGE, "the body must be at most " + maxBytes + " bytes");
    }

    /**
     * Who is calling, from the claims API Gateway's JWT authorizer validated (401 without them). HTTP API hands every
     * claim over as a string, an array claim as one string such as {@code [a b]} or {@code ["a","b"]}; both are parsed.
     * {@code names}: whether a Cognito user pool's own claim names count too (the stack's configuration says).
     */
    public static Caller caller(APIGatewayV2HTTPEvent event, TokenClaims names) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context == null ? null : context.getAuthorizer();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = authorizer == null ? null : authorizer.getJwt();
        if (jwt == null || jwt.getClaims() == null) {
            throw new CreditsException(Refusal.UNAUTHENTICATED, "a valid bearer token is required");
        }
        Map<String, String> claims = jwt.getClaims();
        Set<String> scopes = new LinkedHashSet<>();
        if (jwt.getScopes() != null) {
            scopes.addAll(jwt.getScopes());
        }
        scopes.addAll(splitList(claims.get("scope")));
        scopes.addAll(splitList(claims.get("scp")));
        Set<String> roles = new LinkedHashSet<>(splitList(claims.get("roles")));
        String organizationId = claims.get("org_id");
        if (names == TokenClaims.COGNITO) {
            roles.addAll(splitList(claims.get(COGNITO_GROUPS)));
            organizationId = organizationId != null ? organizationId : claims.get(COGNITO_ORG_ID);
        }
        return new Caller(claims.get("sub"), scopes, roles, organizationId);
    }

    /**
     * A Cognito user pool's ID token names a user's organization and roles its own way: the custom attribute
     * {@code custom:org_id} and the groups the user is in. They count as {@code org_id} and {@code roles} only with
     * {@link TokenClaims#COGNITO} (template.yaml: IdentityProvider Cognito, whose app clients cannot write
     * {@code custom:org_id}), so this stack's own pool needs no token trigger.
     */
    public static final String COGNITO_ORG_ID = "custom:org_id";
    public static final String COGNITO_GROUPS = "cognito:groups";

    /** Splits a claim that API Gateway flattened: {@code a b}, {@code [a b]}, {@code ["a","b"]} or {@code a,b}. */
    static List<String> splitList(String claim) {
        List<String> values = new ArrayList<>();
        if (claim == null) {
            return values;
        }
        String trimmed = claim.strip();
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        for (String part : CLAIM_LIST_SEPARATOR.split(trimmed)) {
            String value = part.strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }
}
