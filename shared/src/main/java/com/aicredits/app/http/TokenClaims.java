package com.aicredits.app.http;

/**
 * Which claims of a validated token name the caller's organization and roles. Every issuer's {@code org_id} and
 * {@code roles} count. A Cognito user pool's own names, the custom attribute {@code custom:org_id} and the groups
 * {@code cognito:groups}, count only where the stack says its issuer is such a pool whose app clients cannot write
 * {@code custom:org_id} (template.yaml: IdentityProvider Cognito, or ExistingIssuerClaims Cognito): from any other issuer
 * a user-writable attribute of that name would move a manager into another organization. Read by the composition root
 * from the function's configuration ({@code TOKEN_CLAIMS}), never by {@link HttpApi} itself.
 */
public enum TokenClaims {
    /** {@code org_id} and {@code roles} only. */
    STANDARD,
    /** Also {@code custom:org_id} and {@code cognito:groups}, where {@code org_id} and {@code roles} are absent. */
    COGNITO;

    /** The function's configuration value: {@code Standard} (or unset) or {@code Cognito}. */
    public static TokenClaims fromConfiguration(String value) {
        if (value == null || value.isBlank() || value.strip().equals("Standard")) {
            return STANDARD;
        }
        if (value.strip().equals("Cognito")) {
            return COGNITO;
        }
        throw new IllegalStateException("TOKEN_CLAIMS must be Standard or Cognito; got '" + value + "'");
    }
}
