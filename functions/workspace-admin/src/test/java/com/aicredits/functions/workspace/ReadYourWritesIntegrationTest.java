package com.aicredits.functions.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.json.Json;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An admin reads what they just wrote: with every eventually consistent read stale (served as the table stood up to
 * 10 s ago, as DynamoDB may serve one), a GET right after a PUT, and the add-on list right after a purchase, show the
 * write, not a 404 or the workspace as it was.
 */
class ReadYourWritesIntegrationTest {
    private final ProductionSemantics semantics = new ProductionSemantics(new ProductionSemantics.Settings(
            ProductionSemantics.Settings.forTests().seed(), 100, Duration.ofSeconds(10), Duration.ofMillis(1), 0, 0));
    private final CreditsTable table = new CreditsTable("read-your-writes", semantics);
    private final WorkspaceAdminHandler handler = new WorkspaceAdminHandler(table.services(new TestClock(Instant.parse("2026-11-25T10:00:00Z"))));

    @Test
    void aGetRightAfterAPutShowsTheWorkspaceAsWritten() throws Exception {
        APIGatewayV2HTTPResponse created = handler.handleRequest(ApiEvents.load("put-workspace.json"), null);
        APIGatewayV2HTTPResponse fetched = handler.handleRequest(ApiEvents.load("get-workspace.json"), null);
        APIGatewayV2HTTPResponse addons = handler.handleRequest(ApiEvents.load("list-addons.json"), null);

        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(fetched.getStatusCode()).as(fetched.getBody() + " " + semantics.stats()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(fetched.getBody())).isEqualTo(Json.MAPPER.readTree(created.getBody()));
        assertThat(addons.getStatusCode()).as(addons.getBody()).isEqualTo(200);
    }
}
