package com.aicredits.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * An SDK interceptor that counts DynamoDB calls by operation and the items they read and wrote, asks for and keeps
 * the consumed capacity the DynamoDB engine reports beside the read units DynamoDB's published rules give, and can inject a fault the engine never produces on its own with its production mode off (it runs transactions one
 * at a time, so it never raises a TransactionConflict or a throttle).
 */
public final class DynamoDbCalls implements ExecutionInterceptor {
    private static final Set<String> SINGLE_ITEM_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem");
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Double> reportedCapacity = new ConcurrentLinkedQueue<>();
    private final Map<String, Double> readCapacity = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Supplier<RuntimeException>> transactFaults = new ConcurrentLinkedQueue<>();
    private volatile RandomFaults randomFaults;
    private final AtomicInteger lostResponses = new AtomicInteger();
    private final List<Predicate<SdkRequest>> lostWriteResponses = new ArrayList<>();

    /**
     * Faults drawn at random for every TransactWriteItems: with {@code beforePercent} one of {@code faults} fails the
     * call before it reaches DynamoDB; with {@code lostPercent} the call commits and its response is lost (the caller
     * gets an error, as after a connection reset, though the transaction is written).
     */
    private record RandomFaults(Random random, int beforePercent, List<Supplier<RuntimeException>> faults, int lostPercent) {
        synchronized int roll() {
            return random.nextInt(100);
        }

        synchronized Supplier<RuntimeException> pick() {
            return faults.get(random.nextInt(faults.size()));
        }
    }
    private final AtomicInteger itemsRead = new AtomicInteger();
    private final AtomicInteger itemsWritten = new AtomicInteger();
    private final AtomicInteger conditionChecks = new AtomicInteger();
    /** Read units by DynamoDB's rules, in half units (an eventually consistent 4 KB read) to stay exact. */
    private final AtomicInteger halfReadUnitsByRules = new AtomicInteger();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest request) {
            return request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (context.request() instanceof GetItemRequest request) {
            return request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (context.request() instanceof BatchGetItemRequest request) {
            return request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (context.request() instanceof QueryRequest request) {
            return request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return context.request();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        if ("TransactWriteItems".equals(operation)) {
            Supplier<RuntimeException> fault = transactFaults.poll();
            if (fault != null) {
                throw fault.get();
            }
            RandomFaults random = randomFaults;
            if (random != null && random.roll() < random.beforePercent()) {
                throw random.pick().get();
            }
        }
    }

    /**
     * A single-item write chosen by {@link #loseNextWriteResponse} has reached DynamoDB (its response is in), and its
     * response is lost as after a connection reset: the SDK's retry policy sees an I/O error and sends the same
     * request again, as it would in production.
     */
    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!SINGLE_ITEM_WRITES.contains(operation) || context.httpResponse().statusCode() != 200) {
            return;
        }
        synchronized (lostWriteResponses) {
            for (Iterator<Predicate<SdkRequest>> it = lostWriteResponses.iterator(); it.hasNext(); ) {
                if (it.next().test(context.request())) {
                    it.remove();
                    lostResponses.incrementAndGet();
                    throw SdkClientException.builder().message("injected: the connection was reset after " + operation + " was written")
                            .cause(new IOException("Connection reset")).build();
                }
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof TransactWriteItemsResponse transact && transact.hasConsumedCapacity()) {
            reportedCapacity.add(transact.consumedCapacity().stream().mapToDouble(ConsumedCapacity::capacityUnits).sum());
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        RandomFaults random = randomFaults;
        if ("TransactWriteItems".equals(operation) && random != null && random.roll() < random.lostPercent()) {
            lostResponses.incrementAndGet();
            throw SdkClientException.create("injected: the response of a committed transaction was lost");
        }
        double read = switch (response) {
            case GetItemResponse get when get.consumedCapacity() != null -> get.consumedCapacity().capacityUnits();
            case QueryResponse query when query.consumedCapacity() != null -> query.consumedCapacity().capacityUnits();
            case BatchGetItemResponse batch when batch.hasConsumedCapacity() ->
                    batch.consumedCapacity().stream().mapToDouble(ConsumedCapacity::capacityUnits).sum();
            default -> 0;
        };
        if (read > 0) {
            readCapacity.merge(operation, read, Double::sum);
        }
        countItems(context.request(), response);
    }

    /** Items read and written by a call that succeeded (a cancelled transaction writes nothing). */
    private void countItems(SdkRequest request, SdkResponse response) {
        switch (response) {
            case GetItemResponse get -> {
                boolean found = get.hasItem() && !get.item().isEmpty();
                itemsRead.addAndGet(found ? 1 : 0);
                halfReadUnitsByRules.addAndGet(ItemSize.halfReadUnits(List.of(found ? get.item() : Map.of()),
                        consistent(((GetItemRequest) request).consistentRead()), true));
            }
            case BatchGetItemResponse batch -> ((BatchGetItemRequest) request).requestItems().forEach((table, keys) -> {
                // A key that finds nothing is still read: counted as an empty item (the minimum unit).
                List<Map<String, AttributeValue>> found = batch.responses().getOrDefault(table, List.of());
                itemsRead.addAndGet(found.size());
                List<Map<String, AttributeValue>> charged = new ArrayList<>(found);
                for (int missing = found.size(); missing < keys.keys().size(); missing++) {
                    charged.add(Map.of());
                }
                halfReadUnitsByRules.addAndGet(ItemSize.halfReadUnits(charged, consistent(keys.consistentRead()), true));
            });
            case QueryResponse query -> {
                itemsRead.addAndGet(query.count());
                halfReadUnitsByRules.addAndGet(ItemSize.halfReadUnits(query.items(), consistent(((QueryRequest) request).consistentRead()), false));
            }
            case TransactWriteItemsResponse ignored -> {
                for (TransactWriteItem item : ((TransactWriteItemsRequest) request).transactItems()) {
                    if (item.conditionCheck() != null) {
                        conditionChecks.incrementAndGet();
                    } else {
                        itemsWritten.incrementAndGet();
                    }
                }
            }
            case BatchWriteItemResponse batch -> {
                int requested = ((BatchWriteItemRequest) request).requestItems().values().stream().mapToInt(List::size).sum();
                int unprocessed = batch.unprocessedItems().values().stream().mapToInt(List::size).sum();
                itemsWritten.addAndGet(requested - unprocessed);
            }
            default -> {
                String operation = response.getClass().getSimpleName();
                if (operation.equals("PutItemResponse") || operation.equals("UpdateItemResponse") || operation.equals("DeleteItemResponse")) {
                    itemsWritten.incrementAndGet();
                }
            }
        }
    }

    private static boolean consistent(Boolean consistentRead) {
        return Boolean.TRUE.equals(consistentRead);
    }

    /** The next TransactWriteItems calls fail with these faults, in order, before reaching DynamoDB. */
    public void failNextTransactions(List<Supplier<RuntimeException>> faults) {
        transactFaults.addAll(faults);
    }

    /** Injects faults at random into every TransactWriteItems from now on (see {@link RandomFaults}), seeded. */
    public void failTransactionsAtRandom(long seed, int beforePercent, List<Supplier<RuntimeException>> faults, int lostPercent) {
        randomFaults = new RandomFaults(new Random(seed), beforePercent, List.copyOf(faults), lostPercent);
    }

    /**
     * The next PutItem, UpdateItem or DeleteItem that {@code which} accepts is written and its first response lost; the
     * SDK retries it (see {@link #afterTransmission}). A conditional write's retry then meets its own first write.
     */
    public void loseNextWriteResponse(Predicate<SdkRequest> which) {
        synchronized (lostWriteResponses) {
            lostWriteResponses.add(which);
        }
    }

    public void stopFailingTransactions() {
        randomFaults = null;
    }

    /** How many committed writes had their response lost ({@link #failTransactionsAtRandom}, {@link #loseNextWriteResponse}). */
    public int lostResponses() {
        return lostResponses.get();
    }

    public int count(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    public int total() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Calls by operation since the last reset, e.g. {@code {TransactWriteItems=1}}. */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> result = new java.util.TreeMap<>();
        calls.forEach((operation, count) -> result.put(operation, count.get()));
        return result;
    }

    /** Write units the DynamoDB engine reported for successful transactions since the last reset. */
    public List<Double> reportedTransactionCapacity() {
        return Collections.unmodifiableList(new ArrayList<>(reportedCapacity));
    }

    /** Read units the DynamoDB engine reported since the last reset, summed over GetItem, BatchGetItem and Query. */
    public double readCapacity() {
        return readCapacity.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Items returned by GetItem, BatchGetItem and Query since the last reset. */
    public int itemsRead() {
        return itemsRead.get();
    }

    /** Items put, updated or deleted by calls that succeeded since the last reset (condition checks not counted). */
    public int itemsWritten() {
        return itemsWritten.get();
    }

    /** Condition checks of committed transactions since the last reset (each billed as a write, writing nothing). */
    public int conditionChecks() {
        return conditionChecks.get();
    }

    /** Read units by DynamoDB's published rules for what GetItem, BatchGetItem and Query returned since the last reset. */
    public double readUnitsByRules() {
        return halfReadUnitsByRules.get() / 2.0;
    }

    public void reset() {
        itemsRead.set(0);
        itemsWritten.set(0);
        conditionChecks.set(0);
        halfReadUnitsByRules.set(0);
        readCapacity.clear();
        calls.clear();
        reportedCapacity.clear();
        transactFaults.clear();
        randomFaults = null;
        lostResponses.set(0);
        synchronized (lostWriteResponses) {
            lostWriteResponses.clear();
        }
    }
}
