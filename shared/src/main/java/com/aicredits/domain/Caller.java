package com.aicredits.domain;

import java.util.Set;

/** Who is calling: the subject, scopes, roles and organization of the token API Gateway's JWT authorizer validated. */
public record Caller(String subject, Set<String> scopes, Set<String> roles, String organizationId) {

    /** Fails with 403 unless the token carries {@code scope}. */
    public Caller requireScope(String scope) {
        if (!scopes.contains(scope)) {
            throw new CreditsException(Refusal.INSUFFICIENT_SCOPE, "this route needs the scope " + scope);
        }
        return this;
    }
}
