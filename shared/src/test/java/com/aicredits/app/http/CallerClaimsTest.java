package com.aicredits.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.aicredits.domain.Caller;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.aicredits.service.UsageService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallerClaimsTest {
    /** API Gateway flattens array claims into one string; every form we have seen parses to the same list. */
    @ParameterizedTest
    @ValueSource(strings = {"[organization_manager admin]", "[\"organization_manager\",\"admin\"]",
            "organization_manager admin", "organization_manager,admin", " [ organization_manager , admin ] "})
    void arrayClaimsParseAsApiGatewayDeliversThem(String claim) {
        assertThat(HttpApi.splitList(claim)).containsExactly("organization_manager", "admin");
    }

    /** A Cognito ID token as API Gateway hands it over (template.yaml's IdentityProvider Cognito). */
    @Test
    void aCognitoIdTokenNamesTheOrganizationAndRolesItsOwnWay() {
        Caller caller = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "custom:org_id", "org-acme",
                "cognito:groups", "[organization_manager]", "aud", "client-1")), TokenClaims.COGNITO);
        assertThat(caller.organizationId()).isEqualTo("org-acme");
        assertThat(caller.roles()).containsExactly("organization_manager");
    }

    @Test
    void orgIdAndRolesClaimsWinOverCognitosNames() {
        Caller caller = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "org_id", "org-a", "custom:org_id", "org-b",
                "roles", "[organization_manager]")), TokenClaims.COGNITO);
        assertThat(caller.organizationId()).isEqualTo("org-a");
        assertThat(caller.roles()).containsExactly("organization_manager");
    }

    /**
     * Issue 30, item 10: another issuer (an existing Cognito pool whose app client lets users write custom:org_id, say)
     * names no organization and no role by Cognito's names: a manager cannot move into another organization by writing
     * an attribute. Only org_id and roles count.
     */
    @Test
    void aTokenOfAnotherIssuerGetsNoOrganizationNorRoleFromCognitosClaimNames() {
        Caller caller = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "custom:org_id", "org-victim",
                "cognito:groups", "[organization_manager]", "scope", "openid")), TokenClaims.STANDARD);
        assertThat(caller.organizationId()).isNull();
        assertThat(caller.roles()).isEmpty();

        Caller standard = HttpApi.caller(eventWithClaims(Map.of("sub", "u-2", "org_id", "org-own", "custom:org_id", "org-victim",
                "roles", "[organization_manager]")), TokenClaims.STANDARD);
        assertThat(standard.organizationId()).isEqualTo("org-own");
        assertThat(standard.roles()).containsExactly("organization_manager");
    }

    /** Issue 33: the viewer role arrives the same ways the manager's does, alone or beside others, and is kept as it is. */
    @ParameterizedTest
    @ValueSource(strings = {"[organization_viewer]", "[\"organization_viewer\"]", "organization_viewer",
            "[member organization_viewer]", "[\"member\",\"organization_viewer\"]", "member,organization_viewer"})
    void theViewerRoleParsesInEveryFormApiGatewayDeliversIt(String claim) {
        Caller caller = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "org_id", "org-acme", "roles", claim)), TokenClaims.STANDARD);
        assertThat(caller.roles()).contains(UsageService.VIEWER_ROLE).doesNotContain(UsageService.MANAGER_ROLE);
        assertThat(caller.organizationId()).isEqualTo("org-acme");
        assertThat(caller.scopes()).isEmpty();
    }

    /** A viewer in the stack's own Cognito pool: the group arrives as cognito:groups, as the manager's does. */
    @Test
    void aCognitoViewerIsInTheViewerGroup() {
        Caller caller = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "custom:org_id", "org-acme",
                "cognito:groups", "[organization_viewer]", "aud", "client-1")), TokenClaims.COGNITO);
        assertThat(caller.organizationId()).isEqualTo("org-acme");
        assertThat(caller.roles()).containsExactly(UsageService.VIEWER_ROLE);
        assertThat(caller.scopes()).isEmpty();

        Caller elsewhere = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "custom:org_id", "org-acme",
                "cognito:groups", "[organization_viewer]")), TokenClaims.STANDARD);
        assertThat(elsewhere.roles()).isEmpty();
        assertThat(elsewhere.organizationId()).isNull();
    }

    /** A role is no scope: a viewer (or manager) token never carries what an admin or service route asks for. */
    @Test
    void aPersonsRolesAreNeverScopes() {
        Caller viewer = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "org_id", "org-acme",
                "roles", "[organization_viewer organization_manager]", "scope", "openid email")), TokenClaims.COGNITO);
        assertThat(viewer.scopes()).containsExactly("openid", "email");
        for (String scope : List.of("credits/admin", "credits/record")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> viewer.requireScope(scope))
                    .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.INSUFFICIENT_SCOPE));
        }
    }

    @Test
    void theConfigurationNamesTheClaimsStandardByDefault() {
        assertThat(TokenClaims.fromConfiguration(null)).isEqualTo(TokenClaims.STANDARD);
        assertThat(TokenClaims.fromConfiguration("")).isEqualTo(TokenClaims.STANDARD);
        assertThat(TokenClaims.fromConfiguration("Standard")).isEqualTo(TokenClaims.STANDARD);
        assertThat(TokenClaims.fromConfiguration("Cognito")).isEqualTo(TokenClaims.COGNITO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenClaims.fromConfiguration("cognito"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TOKEN_CLAIMS");
    }

    private static APIGatewayV2HTTPEvent eventWithClaims(Map<String, String> claims) {
        return APIGatewayV2HTTPEvent.builder().withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                        .build()).build()).build();
    }
}
