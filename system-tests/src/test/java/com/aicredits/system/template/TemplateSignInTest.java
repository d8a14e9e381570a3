package com.aicredits.system.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.app.Configuration;
import com.aicredits.app.http.HttpApi;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.service.UsageService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's two ways of signing in: by default the existing issuer JwtIssuer names (the stack as it always was:
 * no Cognito resource, the authorizer on JwtIssuer and JwtAudience); with IdentityProvider Cognito, a user pool whose
 * hosted sign-in, page client and tokens fit what the page and the API expect.
 */
class TemplateSignInTest {
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(CloudFormationTemplate.find());
    private static final String CONDITION = "CreatesUserPool";

    @Test
    void theDefaultDeployKeepsTheExistingIssuerAndCreatesNoUserPool() {
        Map<?, ?> parameters = (Map<?, ?>) TEMPLATE.root().get("Parameters");
        assertThat(((Map<?, ?>) parameters.get("IdentityProvider")).get("Default")).isEqualTo("ExistingIssuer");
        assertThat(((Map<?, ?>) TEMPLATE.root().get("Conditions")).get(CONDITION))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "IdentityProvider"), "Cognito")));

        List<String> cognito = new ArrayList<>();
        ((Map<?, ?>) TEMPLATE.root().get("Resources")).forEach((id, resource) -> {
            if (String.valueOf(((Map<?, ?>) resource).get("Type")).startsWith("AWS::Cognito::")) {
                cognito.add((String) id);
                assertThat(((Map<?, ?>) resource).get("Condition")).as(id + "'s condition").isEqualTo(CONDITION);
            }
        });
        assertThat(cognito).contains("ManagersUserPool", "ManagersUserPoolDomain", "OrganizationManagerGroup", "OrganizationViewerGroup",
                "CreditsResourceServer", "OverviewUserPoolClient", "PlatformServiceUserPoolClient", "AdminUserPoolClient");

        Map<?, ?> jwt = jwtConfiguration();
        assertThat(ifFalse(jwt.get("issuer"))).isEqualTo(Map.of("Ref", "JwtIssuer"));
        assertThat(ifFalse(jwt.get("audience"))).isEqualTo(Map.of("Ref", "JwtAudience"));
        assertThat(ifTrue(jwt.get("issuer")).toString()).contains("https://cognito-idp.${AWS::Region}").contains("${ManagersUserPool}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePagesClientIsPublicWithCodeAndItsUrlsFromParameters() {
        Map<String, Object> client = TEMPLATE.effectiveProperties("OverviewUserPoolClient");
        assertThat(client.get("GenerateSecret")).isEqualTo(false);
        assertThat(client.get("AllowedOAuthFlows")).isEqualTo(List.of("code"));
        assertThat((List<Object>) client.get("AllowedOAuthScopes")).contains("openid");
        assertThat(client.get("CallbackURLs")).isEqualTo(Map.of("Ref", "OverviewCallbackUrls"));
        assertThat(client.get("LogoutURLs")).isEqualTo(Map.of("Ref", "OverviewLogoutUrls"));
        // The ID token carries the organization; the user must not be able to change it.
        assertThat((List<Object>) client.get("ReadAttributes")).contains(HttpApi.COGNITO_ORG_ID);
        assertThat((List<Object>) client.get("WriteAttributes")).doesNotContain(HttpApi.COGNITO_ORG_ID);
        assertThat(TEMPLATE.effectiveProperties("ManagersUserPool").get("AdminCreateUserConfig"))
                .isEqualTo(Map.of("AllowAdminCreateUserOnly", true));
        List<?> schema = (List<?>) TEMPLATE.effectiveProperties("ManagersUserPool").get("Schema");
        assertThat(schema).anySatisfy(attribute -> assertThat("custom:" + ((Map<?, ?>) attribute).get("Name"))
                .isEqualTo(HttpApi.COGNITO_ORG_ID));
        assertThat(TEMPLATE.effectiveProperties("OrganizationManagerGroup").get("GroupName")).isEqualTo(UsageService.MANAGER_ROLE);
    }

    /**
     * Issue 33: the viewer's group beside the manager's, in the same pool, and each group's name a role the API reads.
     * A person signs in through the page's client only, which hands out no credits/* scope: a manager's or viewer's
     * token never passes an admin or service route.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theViewersGroupSitsBesideTheManagersAndThePagesClientGrantsNoApiScope() {
        Map<String, Object> viewers = TEMPLATE.effectiveProperties("OrganizationViewerGroup");
        assertThat(viewers.get("GroupName")).isEqualTo(UsageService.VIEWER_ROLE);
        assertThat(viewers.get("UserPoolId")).isEqualTo(TEMPLATE.effectiveProperties("OrganizationManagerGroup").get("UserPoolId"))
                .isEqualTo(Map.of("Ref", "ManagersUserPool"));
        Set<Object> groups = new TreeSet<>();
        TEMPLATE.resourcesOfType("AWS::Cognito::UserPoolGroup").keySet()
                .forEach(id -> groups.add(TEMPLATE.effectiveProperties(id).get("GroupName")));
        assertThat(groups).containsExactlyInAnyOrderElementsOf(UsageService.USAGE_ROLES);
        assertThat((List<Object>) TEMPLATE.effectiveProperties("OverviewUserPoolClient").get("AllowedOAuthScopes"))
                .noneMatch(scope -> String.valueOf(scope).startsWith("credits/"));
    }

    /**
     * Issue 30, item 10: Cognito lets an app client write every writable attribute, custom:org_id included, and sign
     * users in by SRP and custom flows, unless the client lists what it allows. Every client of the stack's pool lists
     * both, and none may write the organization.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyAppClientListsWhatItMayWriteWithoutTheOrganizationAndHowUsersSignIn() {
        Set<String> clients = TEMPLATE.resourcesOfType("AWS::Cognito::UserPoolClient").keySet();
        assertThat(clients).containsExactlyInAnyOrder("OverviewUserPoolClient", "PlatformServiceUserPoolClient", "AdminUserPoolClient");
        for (String id : clients) {
            Map<String, Object> client = TEMPLATE.effectiveProperties(id);
            assertThat(client.get("WriteAttributes")).as(id + " WriteAttributes").isInstanceOf(List.class);
            assertThat((List<Object>) client.get("WriteAttributes")).as(id).isNotEmpty().doesNotContain(HttpApi.COGNITO_ORG_ID);
            assertThat(client.get("ExplicitAuthFlows")).as(id + " ExplicitAuthFlows").isInstanceOf(List.class);
            assertThat((List<Object>) client.get("ExplicitAuthFlows")).as(id).containsExactly("ALLOW_REFRESH_TOKEN_AUTH");
        }
    }

    /** Cognito's claim names count only where the stack's own pool signs in, or an existing pool is declared as one. */
    @Test
    void theFunctionsTakeCognitosClaimNamesOnlyFromAPoolDeclaredAsSuch() {
        Map<?, ?> globals = (Map<?, ?>) ((Map<?, ?>) TEMPLATE.root().get("Globals")).get("Function");
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) globals.get("Environment")).get("Variables");
        assertThat(variables.get(Configuration.TOKEN_CLAIMS)).isEqualTo(Map.of("Fn::If",
                List.of(CONDITION, "Cognito", Map.of("Ref", "ExistingIssuerClaims"))));
        Map<?, ?> parameter = (Map<?, ?>) ((Map<?, ?>) TEMPLATE.root().get("Parameters")).get("ExistingIssuerClaims");
        assertThat(parameter.get("Default")).isEqualTo("Standard");
        assertThat(parameter.get("AllowedValues")).isEqualTo(List.of("Standard", "Cognito"));
        assertThat(TokenClaims.fromConfiguration("Standard")).isEqualTo(TokenClaims.STANDARD);
        assertThat(TokenClaims.fromConfiguration("Cognito")).isEqualTo(TokenClaims.COGNITO);
    }

    @Test
    void theResourceServerGrantsEveryScopeTheRoutesAskFor() {
        Set<String> asked = new TreeSet<>();
        TEMPLATE.resourcesOfType("AWS::Serverless::Function").keySet().forEach(id -> {
            Object events = TEMPLATE.effectiveProperties(id).get("Events");
            if (events instanceof Map<?, ?> map) {
                map.values().forEach(event -> {
                    Object auth = ((Map<?, ?>) ((Map<?, ?>) event).get("Properties")).get("Auth");
                    if (auth instanceof Map<?, ?> authMap && authMap.get("AuthorizationScopes") instanceof List<?> scopes) {
                        scopes.forEach(scope -> asked.add(String.valueOf(scope)));
                    }
                });
            }
        });
        Map<String, Object> server = TEMPLATE.effectiveProperties("CreditsResourceServer");
        Set<String> granted = new TreeSet<>();
        ((List<?>) server.get("Scopes")).forEach(scope -> granted.add(server.get("Identifier") + "/" + ((Map<?, ?>) scope).get("ScopeName")));
        assertThat(asked).isNotEmpty();
        assertThat(granted).containsAll(asked);
        assertThat(TEMPLATE.effectiveProperties("PlatformServiceUserPoolClient").get("AllowedOAuthScopes"))
                .isEqualTo(List.of("credits/record"));
        assertThat(TEMPLATE.effectiveProperties("AdminUserPoolClient").get("AllowedOAuthScopes")).isEqualTo(List.of("credits/admin"));
    }

    @Test
    void theOutputsNameTheIssuerAlwaysAndTheUserPoolOnlyWhenThereIsOne() {
        Map<?, ?> outputs = (Map<?, ?>) TEMPLATE.root().get("Outputs");
        assertThat(((Map<?, ?>) outputs.get("SignInIssuer")).get("Condition")).isNull();
        for (String output : List.of("ManagersUserPoolId", "OverviewClientId", "OverviewLogoutUrl", "CognitoTokenUrl",
                "PlatformServiceClientId")) {
            assertThat(((Map<?, ?>) outputs.get(output)).get("Condition")).as(output).isEqualTo(CONDITION);
        }
    }

    private static Map<?, ?> jwtConfiguration() {
        Map<?, ?> auth = (Map<?, ?>) TEMPLATE.effectiveProperties("HttpApi").get("Auth");
        Map<?, ?> authorizer = (Map<?, ?>) ((Map<?, ?>) auth.get("Authorizers")).get("JwtAuthorizer");
        return (Map<?, ?>) authorizer.get("JwtConfiguration");
    }

    private static Object ifTrue(Object conditional) {
        return branch(conditional, 1);
    }

    private static Object ifFalse(Object conditional) {
        return branch(conditional, 2);
    }

    private static Object branch(Object conditional, int index) {
        List<?> arguments = (List<?>) ((Map<?, ?>) conditional).get("Fn::If");
        assertThat(arguments.getFirst()).isEqualTo(CONDITION);
        return arguments.get(index);
    }
}
