package com.aicredits.system.api;

import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.local.http.LocalApiServer;
import com.aicredits.testkit.OpenApiContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The local stack's API server in the tests (in their JVM, or launched with their classpath) checks every exchange on
 * a route against openapi.yaml: headers, the bearer token and the wire bytes included, so the authorizer's own answers
 * are checked too. A broken contract turns the answer into a 500 naming it, and is printed.
 */
public final class ContractCheckedApi implements LocalApiServer.ExchangeCheck {
    @Override
    public String violation(HttpApiRoutes.Match match, String method, Map<String, String> query, Map<String, String> requestHeaders,
                            String requestBody, int status, Map<String, String> responseHeaders, byte[] responseBody) {
        OpenApiContract contract = OpenApiContract.load();
        String template = match.route().path();
        if (!contract.hasOperation(method, template)) {
            return "the document has no operation " + method + " " + template;
        }
        List<String> violations = contract.violations(new OpenApiContract.Exchange(method, template, match.pathParameters(), query,
                requestHeaders, requestBody, true, status, responseHeaders, new String(responseBody, StandardCharsets.UTF_8)));
        if (violations.isEmpty()) {
            return null;
        }
        String violation = method + " " + template + " -> " + status + ": " + String.join("; ", violations);
        System.err.println("openapi.yaml contract broken: " + violation);
        return violation;
    }
}
