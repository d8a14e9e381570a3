package com.aicredits.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What the functions' DynamoDB calls cost, as the engine reports it: every request that can asks for
 * {@code ReturnConsumedCapacity TOTAL}, and the answer's units are summed, write operations apart from reads. The
 * engine computes them by DynamoDB's published rules (its {@code Capacity}: 1 unit per KB written, twice that in a
 * transaction, plus 1 per KB of each index projection written, which is not doubled; 1 per 4 KB read strongly, half
 * eventually, twice in a transaction). testkit's {@code DynamoDbCalls} asks for it only on TransactWriteItems and the
 * reads, so a single-item write would be missed: hence this meter. A rejected call (a cancelled or throttled
 * transaction) carries no ConsumedCapacity: it is counted apart, with the units it would have cost if charged.
 */
final class EngineMeter implements ExecutionInterceptor {
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder rejectedTransactions = new LongAdder();
    /** Write units of the rejected transactions' items at 1 KB or less each (2 a transactional item). */
    private final LongAdder rejectedTransactionUnits = new LongAdder();

    /** Counters at one instant. */
    record Snapshot(double writeUnits, double readUnits, Map<String, Long> calls, long attempts, long rejectedTransactions,
                    long rejectedTransactionUnits) {
        Snapshot minus(Snapshot before) {
            Map<String, Long> delta = new TreeMap<>();
            calls.forEach((operation, count) -> {
                long d = count - before.calls.getOrDefault(operation, 0L);
                if (d != 0) {
                    delta.put(operation, d);
                }
            });
            return new Snapshot(writeUnits - before.writeUnits, readUnits - before.readUnits, delta, attempts - before.attempts,
                    rejectedTransactions - before.rejectedTransactions, rejectedTransactionUnits - before.rejectedTransactionUnits);
        }

        long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Snapshot snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        calls.forEach((operation, count) -> counts.put(operation, count.sum()));
        return new Snapshot(writeUnits.sum(), readUnits.sum(), counts, attempts.sum(), rejectedTransactions.sum(),
                rejectedTransactionUnits.sum());
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        return switch (context.request()) {
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchWriteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case TransactGetItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            default -> context.request();
        };
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        attempts.increment();
        if (context.httpResponse().statusCode() != 200 && context.request() instanceof TransactWriteItemsRequest transaction) {
            rejectedTransactions.increment();
            rejectedTransactionUnits.add(2L * transaction.transactItems().size());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        switch (response) {
            case TransactWriteItemsResponse r when r.hasConsumedCapacity() -> writeUnits.add(sum(r.consumedCapacity()));
            case PutItemResponse r when r.consumedCapacity() != null -> writeUnits.add(units(r.consumedCapacity()));
            case UpdateItemResponse r when r.consumedCapacity() != null -> writeUnits.add(units(r.consumedCapacity()));
            case DeleteItemResponse r when r.consumedCapacity() != null -> writeUnits.add(units(r.consumedCapacity()));
            case BatchWriteItemResponse r when r.hasConsumedCapacity() -> writeUnits.add(sum(r.consumedCapacity()));
            case GetItemResponse r when r.consumedCapacity() != null -> readUnits.add(units(r.consumedCapacity()));
            case BatchGetItemResponse r when r.hasConsumedCapacity() -> readUnits.add(sum(r.consumedCapacity()));
            case QueryResponse r when r.consumedCapacity() != null -> readUnits.add(units(r.consumedCapacity()));
            case TransactGetItemsResponse r when r.hasConsumedCapacity() -> readUnits.add(sum(r.consumedCapacity()));
            default -> {
            }
        }
    }

    private static double sum(java.util.List<ConsumedCapacity> capacities) {
        return capacities.stream().mapToDouble(EngineMeter::units).sum();
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }
}
