package com.aicredits.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one mapping of a domain refusal to the API's status and error code, held to what openapi.yaml documents. */
class RefusalsTest {
    /** The status and code each refusal answered with before refusals were domain reasons (issue 31): unchanged. */
    private static final Map<Refusal, String> ON_THE_WIRE = Map.ofEntries(
            Map.entry(Refusal.UNKNOWN_FIELD, "400 unknown_field"),
            Map.entry(Refusal.UNKNOWN_PARAMETER, "400 unknown_parameter"),
            Map.entry(Refusal.UNEXPECTED_BODY, "400 unexpected_body"),
            Map.entry(Refusal.UNKNOWN_ACTIVITY, "400 unknown_activity"),
            Map.entry(Refusal.UNAUTHENTICATED, "401 unauthorized"),
            Map.entry(Refusal.HARD_LIMIT, "402 hard_limit_exceeded"),
            Map.entry(Refusal.CASES_DISABLED, "403 cases_disabled"),
            Map.entry(Refusal.BYOS_NOT_ENABLED, "403 byos_not_enabled"),
            Map.entry(Refusal.INSUFFICIENT_SCOPE, "403 insufficient_scope"),
            Map.entry(Refusal.NOT_A_MANAGER, "403 not_a_manager"),
            Map.entry(Refusal.NO_ORGANIZATION, "403 no_organization"),
            Map.entry(Refusal.UNKNOWN_WORKSPACE, "404 not_found"),
            Map.entry(Refusal.UNKNOWN_EXECUTION, "404 not_found"),
            Map.entry(Refusal.UNKNOWN_AGENT, "404 not_found"),
            Map.entry(Refusal.UNKNOWN_ORGANIZATION, "404 not_found"),
            Map.entry(Refusal.UNKNOWN_ROUTE, "404 not_found"),
            Map.entry(Refusal.EXECUTION_ID_REUSED, "409 execution_id_reused"),
            Map.entry(Refusal.ORGANIZATION_IMMUTABLE, "409 organization_immutable"),
            Map.entry(Refusal.AGENT_LIMIT_REACHED, "409 agent_limit_reached"),
            Map.entry(Refusal.POOL_TOO_LARGE, "409 pool_too_large"),
            Map.entry(Refusal.PAYLOAD_TOO_LARGE, "413 payload_too_large"),
            Map.entry(Refusal.UNSUPPORTED_MEDIA_TYPE, "415 unsupported_media_type"),
            Map.entry(Refusal.CONTENTION, "503 contention"),
            Map.entry(Refusal.UNAVAILABLE, "503 unavailable"));

    @Test
    void everyRefusalAnswersWithTheStatusAndCodeItAlwaysHad() {
        for (Refusal refusal : Refusal.values()) {
            if (refusal == Refusal.INVALID_INPUT) {
                continue;
            }
            CreditsException refused = new CreditsException(refusal, "why");
            assertThat(Refusals.status(refused) + " " + Refusals.code(refused)).as(refusal.name()).isEqualTo(ON_THE_WIRE.get(refusal));
        }
    }

    @Test
    void invalidInputIsA400NamingWhatIsInvalid() {
        CreditsException refused = CreditsException.invalid("occurredAt", "occurredAt may be at most 5 minutes in the future");
        assertThat(Refusals.status(refused)).isEqualTo(400);
        assertThat(Refusals.code(refused)).isEqualTo("invalid_occurredAt");
        assertThat(Refusals.code(CreditsException.invalid("json", "not JSON"))).isEqualTo("invalid_json");
    }

    @Test
    void everyCodeIsOneTheContractNames() throws IOException {
        String contract = Files.readString(Path.of("..", "openapi.yaml"));
        for (Refusal refusal : Refusal.values()) {
            if (refusal != Refusal.INVALID_INPUT) {
                assertThat(contract).as(refusal.name()).contains(Refusals.code(refusal));
            }
        }
    }
}
