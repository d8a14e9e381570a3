package com.aicredits.app.http;

import static org.assertj.core.api.Assertions.assertThat;
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
}
