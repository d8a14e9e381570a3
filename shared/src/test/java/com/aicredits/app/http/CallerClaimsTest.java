package com.aicredits.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.aicredits.domain.Caller;
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
