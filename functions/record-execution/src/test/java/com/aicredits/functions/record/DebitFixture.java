package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ProductionSemantics;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The real handler on a fresh table on our DynamoDB engine, fed events/record-execution.json. */
final class DebitFixture {
    final CreditsTable table;
    final TestClock clock;
    final RecordExecutionHandler handler;
    final WorkspaceService workspaces;
    private final PriceCatalog catalog;

    DebitFixture(String tablePrefix, Instant now) {
        this(tablePrefix, now, PriceCatalogFile.loadDefault());
    }

    DebitFixture(String tablePrefix, Instant now, PriceCatalog catalog) {
        this(new CreditsTable(tablePrefix), now, catalog);
    }

    /** On a table whose client plays DynamoDB's production semantics (conflicts, stale reads). */
    DebitFixture(String tablePrefix, Instant now, ProductionSemantics semantics) {
        this(new CreditsTable(tablePrefix, semantics), now, PriceCatalogFile.loadDefault());
    }

    private DebitFixture(CreditsTable table, Instant now, PriceCatalog catalog) {
        this.table = table;
        this.clock = new TestClock(now);
        this.catalog = catalog;
        this.handler = newContainer();
        this.workspaces = table.services(clock).workspaces();
    }

    /** A handler as a new Lambda container would build it: nothing cached. */
    RecordExecutionHandler newContainer() {
        return new RecordExecutionHandler(table.services(clock).withCatalog(catalog));
    }

    void workspace(String workspaceId, String tier, Map<String, Object> overrides) {
        Map<String, Object> spec = new java.util.HashMap<>(Map.of("organizationId", "org-test", "name", "Workspace " + workspaceId, "tier", tier));
        spec.putAll(overrides);
        workspaces.put(workspaceId, Json.MAPPER.convertValue(spec, WorkspaceSpec.class));
    }

    Response post(String workspaceId, String body) {
        return send(handler, ApiEvents.load("record-execution.json", workspaceId, body));
    }

    Response debit(String workspaceId, String executionId, String activity) {
        return post(workspaceId, "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"}");
    }

    /** A debit served by {@code container} (one of several, as Lambda scales out). */
    Response debit(RecordExecutionHandler container, String workspaceId, String executionId, String activity) {
        return send(container, ApiEvents.load("record-execution.json", workspaceId,
                "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"}"));
    }

    /** A batch of runs (each a single debit's body as JSON) served by {@code container}. */
    static Response batch(RecordExecutionHandler container, String workspaceId, List<String> runs) {
        return send(container, ApiEvents.load("record-execution-batch.json", workspaceId,
                "{\"executions\":[" + String.join(",", runs) + "]}"));
    }

    Response debitAt(String workspaceId, String executionId, String activity, String occurredAt) {
        return post(workspaceId, "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity
                + "\",\"occurredAt\":\"" + occurredAt + "\"}");
    }

    static Response send(RecordExecutionHandler handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        return new Response(response.getStatusCode(), response.getBody());
    }

    /** The ledger lines of a period in sequence order, read straight from the table. */
    List<JsonNode> ledger(String workspaceId, String period) {
        return table.records(workspaceId, "").stream()
                .map(item -> Response.parse(item.get("body").s()))
                .filter(record -> record.get("period").asText().equals(period))
                .sorted(java.util.Comparator.comparingLong(record -> record.get("sequence").asLong()))
                .toList();
    }

    /**
     * The period's ledger, checked to be exact: {@code expectedLines} lines with sequence 1..n, each line's
     * creditsUsed the running sum, remaining = allocated - used, and the balance's used the last line's.
     */
    List<JsonNode> assertLedgerIsExact(String workspaceId, String period, int expectedLines) {
        List<JsonNode> ledger = ledger(workspaceId, period);
        assertThat(ledger).hasSize(expectedLines);
        long used = 0;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode line = ledger.get(i);
            used += line.get("creditsConsumed").asLong();
            assertThat(line.get("sequence").asLong()).isEqualTo(i + 1);
            assertThat(line.get("creditsUsed").asLong()).as("line %d", i + 1).isEqualTo(used);
            assertThat(line.get("creditsRemaining").asLong()).isEqualTo(line.get("creditsAllocated").asLong() - used);
        }
        assertThat(balance(workspaceId, period).get("used").asLong()).isEqualTo(used);
        assertThat(balance(workspaceId, period).get("sequence").asLong()).isEqualTo(expectedLines);
        return ledger;
    }

    /** The balance item as JSON, its credit attributes (stored in hundredths) in credits. */
    JsonNode balance(String workspaceId, String period) {
        var item = table.item("WS#" + workspaceId, "BALANCE#" + period);
        return item == null || item.isEmpty() ? null : Json.MAPPER.valueToTree(
                item.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().n() != null ? (Object) (CREDIT_ATTRIBUTE.matcher(e.getKey()).matches()
                                ? com.aicredits.domain.Credits.ofHundredths(Long.parseLong(e.getValue().n())).decimal()
                                : (Object) Long.parseLong(e.getValue().n()))
                                : e.getValue().s() != null ? e.getValue().s() : String.valueOf(e.getValue().bool()))));
    }

    private static final java.util.regex.Pattern CREDIT_ATTRIBUTE =
            java.util.regex.Pattern.compile("used|allocated|baseCredits|addonCredits|feature_[A-Z_]+|day_[0-9]{2}");

    record Response(int status, String body) {
        JsonNode json() {
            return parse(body);
        }

        static JsonNode parse(String body) {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }
}
