package com.aicredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallerTest {
    /** API Gateway flattens array claims into one string; every form we have seen parses to the same list. */
    @ParameterizedTest
    @ValueSource(strings = {"[organization_manager admin]", "[\"organization_manager\",\"admin\"]",
            "organization_manager admin", "organization_manager,admin", " [ organization_manager , admin ] "})
    void arrayClaimsParseAsApiGatewayDeliversThem(String claim) {
        assertThat(Caller.splitList(claim)).containsExactly("organization_manager", "admin");
    }
}
