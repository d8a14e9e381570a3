package com.aicredits.bench;

import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.functions.record.RecordExecutionHandler;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.ApiEvents;
import com.aicredits.testkit.BenchResults;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.DynamoDbCalls;
import com.aicredits.testkit.ItemSize;
import com.aicredits.testkit.Progress;
import com.aicredits.testkit.TestClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB calls, items and capacity units per debit, through the real handler on our DynamoDB engine: calls counted
 * by an SDK interceptor, write and read units by DynamoDB's published rules beside what the engine reports in
 * ConsumedCapacity (computed by the same rules; DynamoDB Local, before it, reported less for transactions).
 */
final class DebitCosts {
    /** The organization of the bench's workspaces (not pooling: it has no item). */
    private static final String ORGANIZATION = "org-bench";
    private final CreditsTable table = new CreditsTable("bench-debit");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final WorkspaceService workspaces = table.services(clock).workspaces();

    private DebitCosts() {
    }

    static void run() {
        Progress.say("debit costs: calls and capacity units per debit");
        new DebitCosts().measure();
    }

    private void measure() {
        RecordExecutionHandler container = newContainer();
        workspace("ws-steady");
        debit(container, "ws-steady", "warm-up", 201);
        table.calls.reset();
        debit(container, "ws-steady", "run-1", 201);
        Cost steady = cost("ws-steady", "run-1", false);
        add("per new debit (steady state: warm container, period open)", steady,
                "1 call, <= 5 write units", steady.calls().equals(Map.of("TransactWriteItems", 1)) && steady.writeUnits() <= 5);

        table.calls.reset();
        debit(container, "ws-steady", "run-1", 200);
        Cost replay = new Cost(table.calls.snapshot(), 0, "", reported(), table.calls.readUnitsByRules(),
                table.calls.readCapacity(), table.calls.itemsWritten());
        add("per replay (same executionId and activity)", replay, "1 call",
                replay.calls().equals(Map.of("TransactWriteItems", 1)) && replay.itemsWritten() == 0);

        workspace("ws-race");
        RecordExecutionHandler other = newContainer();
        debit(container, "ws-race", "mine-1", 201);
        debit(other, "ws-race", "theirs-1", 201);
        table.calls.reset();
        debit(container, "ws-race", "mine-2", 201);
        Cost race = cost("ws-race", "mine-2", false);
        add("per lost race (another container moved the balance)", race, "2 calls",
                race.calls().equals(Map.of("TransactWriteItems", 2)));

        RecordExecutionHandler cold = newContainer();
        table.calls.reset();
        debit(cold, "ws-steady", "run-2", 201);
        Cost coldContainer = cost("ws-steady", "run-2", false);
        add("per first debit of a cold container (period open)", coldContainer, "2 calls",
                coldContainer.calls().equals(Map.of("BatchGetItem", 1, "TransactWriteItems", 1)));

        workspace("ws-opening");
        table.calls.reset();
        debit(newContainer(), "ws-opening", "run-1", 201);
        Cost opening = cost("ws-opening", "run-1", true);
        add("per period-opening debit (first of the month, cold container)", opening, "2 calls",
                opening.calls().equals(Map.of("BatchGetItem", 1, "TransactWriteItems", 1)));
    }

    private RecordExecutionHandler newContainer() {
        return new RecordExecutionHandler(table.services(clock));
    }

    private void workspace(String workspaceId) {
        workspaces.put(workspaceId, new WorkspaceSpec(null, ORGANIZATION, "Bench " + workspaceId, "PRO", null, null, null, null,
                null, null, null));
    }

    private void debit(RecordExecutionHandler handler, String workspaceId, String executionId, int expectedStatus) {
        var event = ApiEvents.load("record-execution.json", workspaceId,
                "{\"executionId\":\"" + executionId + "\",\"activity\":\"case.investigation\"}");
        var response = handler.handleRequest(event, null);
        if (response.getStatusCode() != expectedStatus) {
            throw new IllegalStateException("debit " + executionId + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
    }

    record Cost(Map<String, Integer> calls, int writeUnits, String writeUnitsBreakdown, double reportedWriteUnits,
                double readUnits, double reportedReadUnits, int itemsWritten) {
    }

    /** What the last debit cost; read the items after taking the counts (those reads are not the debit's). */
    private Cost cost(String workspaceId, String executionId, boolean withWorkspaceCheck) {
        DynamoDbCalls calls = table.calls;
        Map<String, Integer> snapshot = calls.snapshot();
        double reportedWrites = reported();
        double readUnits = calls.readUnitsByRules();
        double reportedReads = calls.readCapacity();
        int written = calls.itemsWritten();
        Map<String, AttributeValue> record = table.record(workspaceId, executionId);
        Map<String, AttributeValue> balance = table.item("WS#" + workspaceId, "BALANCE#2026-11");
        int recordUnits = ItemSize.transactionalWriteUnits(record);
        int balanceUnits = ItemSize.transactionalWriteUnits(balance);
        int indexUnits = ItemSize.indexWriteUnits(record);
        int units = recordUnits + balanceUnits + indexUnits;
        String breakdown = String.format("record %d + balance %d + GSI1 %d; %d B and %d B", recordUnits, balanceUnits, indexUnits,
                ItemSize.bytes(record), ItemSize.bytes(balance));
        if (withWorkspaceCheck) {
            int check = ItemSize.transactionalWriteUnits(table.item("WS#" + workspaceId, "WORKSPACE"));
            units += check;
            // The opening also checks its organization's mode (pooled or not), on the organization's item, absent or not.
            int organizationCheck = ItemSize.transactionalWriteUnits(table.item("ORG#" + ORGANIZATION, "ORGANIZATION"));
            units += organizationCheck;
            breakdown += String.format("; + workspace condition check %d; + organization's mode check %d", check, organizationCheck);
        }
        return new Cost(snapshot, units, breakdown, reportedWrites, readUnits, reportedReads, written);
    }

    private double reported() {
        return table.calls.reportedTransactionCapacity().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void add(String measurement, Cost cost, String target, boolean met) {
        int calls = cost.calls().values().stream().mapToInt(Integer::intValue).sum();
        String writes = cost.writeUnits() == 0
                ? "nothing written"
                : String.format("%d write units by DynamoDB's rules (%s), the engine reports %.1f", cost.writeUnits(),
                        cost.writeUnitsBreakdown(), cost.reportedWriteUnits());
        String reads = cost.readUnits() == 0 ? "no read" : String.format("%.1f read units (the engine reports %.1f)", cost.readUnits(),
                cost.reportedReadUnits());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("calls", cost.calls());
        figures.put("writeUnitsByRules", cost.writeUnits());
        figures.put("writeUnitsReportedByDynamoDbLocal", cost.reportedWriteUnits());
        figures.put("readUnitsByRules", cost.readUnits());
        figures.put("readUnitsReportedByDynamoDbLocal", cost.reportedReadUnits());
        figures.put("itemsWritten", cost.itemsWritten());
        BenchResults.add(BenchResults.Row.of("debit", measurement,
                String.format("%d call%s %s; %s; %s", calls, calls == 1 ? "" : "s", cost.calls(), writes, reads))
                .withTarget(target, met).withFigures(figures));
    }
}
