package com.aicredits.http;

import com.aicredits.domain.CreditsException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, from the claims API Gateway's JWT authorizer validated. HTTP API hands every claim over as a
 * string, an array claim as one string such as {@code [a b]} or {@code ["a","b"]}; both are parsed here.
 */
public record Caller(String subject, Set<String> scopes, Set<String> roles, String organizationId) {

    public static Caller from(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context == null ? null : context.getAuthorizer();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = authorizer == null ? null : authorizer.getJwt();
        if (jwt == null || jwt.getClaims() == null) {
            throw new CreditsException(401, "unauthorized", "a valid bearer token is required");
        }
        Map<String, String> claims = jwt.getClaims();
        Set<String> scopes = new LinkedHashSet<>();
        if (jwt.getScopes() != null) {
            scopes.addAll(jwt.getScopes());
        }
        scopes.addAll(splitList(claims.get("scope")));
        scopes.addAll(splitList(claims.get("scp")));
        return new Caller(claims.get("sub"), scopes, new LinkedHashSet<>(splitList(claims.get("roles"))), claims.get("org_id"));
    }

    /** Fails with 403 unless the token carries {@code scope}. */
    public Caller requireScope(String scope) {
        if (!scopes.contains(scope)) {
            throw CreditsException.forbidden("insufficient_scope", "this route needs the scope " + scope);
        }
        return this;
    }

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
        for (String part : trimmed.split("[\\s,]+")) {
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
