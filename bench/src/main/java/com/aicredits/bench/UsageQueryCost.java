package com.aicredits.bench;

import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.usage.UsageQueryHandler;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.ItemSeeder;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an organization manager's usage read costs at 10 and at 100,000 executions in the month, through the real
 * usage-query handler. The 100,000 are 10 real debits plus 99,990 copies of the last one's record written in bulk,
 * with the balance set to what 100,000 such debits leave: the items the read could touch have their real shapes.
 */
final class UsageQueryCost {
    static final int EXECUTIONS = 100_000;
    static final int DEBITS = 10;
    private static final String PERIOD = "2026-11";

    private final CreditsTable table;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final UsageQueryHandler handler;

    private UsageQueryCost(LocalDynamoDb dynamoDb) {
        this.table = new CreditsTable(dynamoDb, "bench-usage");
        this.handler = new UsageQueryHandler(table.services(clock));
    }

    static void run(LocalDynamoDb dynamoDb) {
        new UsageQueryCost(dynamoDb).measure();
    }

    record Read(Map<String, Integer> calls, int itemsRead, double readUnits, double reportedReadUnits) {
        String describe() {
            return String.format("%s, %d items, %.1f read units (the engine reports %.1f)", calls, itemsRead, readUnits, reportedReadUnits);
        }
    }

    private void measure() {
        WorkspaceService workspaces = table.services(clock).workspaces();
        DebitService debits = table.services(clock).debits();
        for (String id : List.of("ws-small", "ws-big")) {
            workspaces.put(id, new WorkspaceSpec(null, "org-acme", "Name " + id, "ELITE_PLUS", null, null, null, null, null, null, 1000));
            for (int i = 1; i <= DEBITS; i++) {
                debits.record(id, new RecordExecution(id + "-run-" + i, "task.execution", null));
            }
        }
        Map<String, AttributeValue> lastRecord = table.record("ws-big", "ws-big-run-" + DEBITS);
        double seconds = ItemSeeder.write(table.client, table.name, "usage bench: seed 99,990 usage records", EXECUTIONS - DEBITS, 8,
                i -> {
                    long sequence = DEBITS + 1 + i;
                    String executionId = "bulk-" + sequence;
                    return List.of(ItemSeeder.recordCopy(lastRecord, "ws-big", "ws-big-run-" + DEBITS, executionId,
                            Period.parse(PERIOD), sequence, Map.of()));
                });
        // The balance as 100,000 one-credit debits on the 25th leave it.
        Map<String, AttributeValue> balance = new HashMap<>(table.item("WS#ws-big", "BALANCE#" + PERIOD));
        AttributeValue total = AttributeValue.fromN(Integer.toString(EXECUTIONS));
        AttributeValue credits = AttributeValue.fromN(Long.toString(EXECUTIONS * 100L)); // hundredths
        for (String counter : List.of("sequence", "revision")) {
            balance.put(counter, total);
        }
        for (String counter : List.of("used", "feature_AI_TASK", "day_25")) {
            balance.put(counter, credits);
        }
        table.client.putItem(b -> b.tableName(table.name).item(balance));

        Read usageSmall = read(usageEvent("ws-small"));
        Read usageBig = read(usageEvent("ws-big"));
        Read pageSmall = read(executionsEvent("ws-small"));
        Read pageBig = read(executionsEvent("ws-big"));
        boolean usageSame = usageSmall.equals(usageBig);
        boolean pageSame = pageSmall.equals(pageBig);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("at10", usageSmall);
        figures.put("at100000", usageBig);
        figures.put("seedSeconds", Math.round(seconds * 10) / 10.0);
        BenchResults.add(BenchResults.Row.of("usage", "usage query GET …/usage at 10 vs 100,000 executions in the month",
                        String.format("at 10: %s; at 100,000: %s", usageSmall.describe(), usageBig.describe()))
                .withTarget("the same at both", usageSame).withFigures(figures));
        BenchResults.add(BenchResults.Row.of("usage", "usage query GET …/executions?limit=10 (first page) at 10 vs 100,000",
                        String.format("at 10: %s; at 100,000: %s", pageSmall.describe(), pageBig.describe()))
                .withTarget("the same at both", pageSame).withFigures(Map.of("at10", pageSmall, "at100000", pageBig)));
        Read historySmall = read(historyEvent("ws-small"));
        Read historyBig = read(historyEvent("ws-big"));
        BenchResults.add(BenchResults.Row.of("usage", "usage query GET …/usage/history (12 months) at 10 vs 100,000",
                        String.format("at 10: %s; at 100,000: %s", historySmall.describe(), historyBig.describe()))
                .withTarget("the same at both", historySmall.equals(historyBig))
                .withFigures(Map.of("at10", historySmall, "at100000", historyBig)));
        BenchResults.add(BenchResults.Row.of("usage", "usage bench setup",
                String.format("99,990 usage records written with BatchWriteItem (25 a call, 8 threads): %.1f s", seconds)));
    }

    private Read read(APIGatewayV2HTTPEvent event) {
        table.calls.reset();
        int status = handler.handleRequest(event, null).getStatusCode();
        if (status != 200) {
            throw new IllegalStateException("usage read answered " + status);
        }
        return new Read(table.calls.snapshot(), table.calls.itemsRead(), table.calls.readUnitsByRules(), table.calls.readCapacity());
    }

    private static APIGatewayV2HTTPEvent usageEvent(String workspaceId) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("workspace-usage.json", workspaceId, null);
        event.setQueryStringParameters(Map.of("period", PERIOD));
        return asManagerOfAcme(event);
    }

    private static APIGatewayV2HTTPEvent historyEvent(String workspaceId) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("usage-history.json", workspaceId, null);
        event.setQueryStringParameters(Map.of("to", PERIOD));
        return asManagerOfAcme(event);
    }

    private static APIGatewayV2HTTPEvent executionsEvent(String workspaceId) {
        APIGatewayV2HTTPEvent event = ApiEvents.load("list-executions.json", workspaceId, null);
        event.setQueryStringParameters(Map.of("period", PERIOD, "limit", "10"));
        return asManagerOfAcme(event);
    }

    private static APIGatewayV2HTTPEvent asManagerOfAcme(APIGatewayV2HTTPEvent event) {
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("org_id", "org-acme");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }
}
