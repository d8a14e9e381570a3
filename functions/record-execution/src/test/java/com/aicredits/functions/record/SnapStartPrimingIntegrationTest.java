package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler's SnapStart priming goes through the request path and, run against a real table, writes nothing. */
class SnapStartPrimingIntegrationTest {
    private final DebitFixture api = new DebitFixture("priming", Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void primingIsADryRunThatReadsOnceAndWritesNothing() {
        api.workspace("ws-present", "PRO", Map.of());
        api.debit("ws-present", "run-1", "task.execution");
        long items = api.table.itemCount();
        api.table.calls.reset();

        APIGatewayV2HTTPResponse response = api.handler.prime();

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("\"not_found\"");
        assertThat(api.table.calls.snapshot()).isEqualTo(Map.of("BatchGetItem", 1));
        assertThat(api.table.calls.itemsWritten()).isZero();
        assertThat(api.table.itemCount()).isEqualTo(items);
    }
}
