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
                "cognito:groups", "[organization_manager]", "aud", "client-1")));
        assertThat(caller.organizationId()).isEqualTo("org-acme");
        assertThat(caller.roles()).containsExactly("organization_manager");
    }

    @Test
    void orgIdAndRolesClaimsWinOverCognitosNames() {
        Caller caller = HttpApi.caller(eventWithClaims(Map.of("sub", "u-1", "org_id", "org-a", "custom:org_id", "org-b",
                "roles", "[organization_manager]")));
        assertThat(caller.organizationId()).isEqualTo("org-a");
        assertThat(caller.roles()).containsExactly("organization_manager");
    }

    private static APIGatewayV2HTTPEvent eventWithClaims(Map<String, String> claims) {
        return APIGatewayV2HTTPEvent.builder().withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                        .build()).build()).build();
    }
}
