package com.aicredits.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The handler overhead bench's baseline: the very TransactWriteItems the debit path issues, without the handler.
 * Two consecutive debits' requests, captured as the store sent them, give the next ones: every number (the expected
 * revision, the new used, sequence and counters) moves on by the step between the two, the ledger key too, and the
 * execution id is replaced, so each request is one more committed debit on the same balance, with the same items.
 */
final class BareDebits {
    private final TransactWriteItemsRequest first;
    private final TransactWriteItemsRequest second;
    private final String secondExecutionId;
    private final AtomicLong issued = new AtomicLong();

    BareDebits(TransactWriteItemsRequest first, TransactWriteItemsRequest second, String secondExecutionId) {
        if (first.transactItems().size() != 2 || second.transactItems().size() != 2
                || first.transactItems().get(0).put() == null || first.transactItems().get(1).update() == null
                || !Objects.equals(first.transactItems().get(1).update().expressionAttributeNames(),
                        second.transactItems().get(1).update().expressionAttributeNames())) {
            throw new IllegalArgumentException("expected two steady-state debits (a record Put and a balance Update alike): "
                    + first + " / " + second);
        }
        this.first = first;
        this.second = second;
        this.secondExecutionId = secondExecutionId;
    }

    /** The next debit's request; the k-th comes k steps after the second captured one. */
    TransactWriteItemsRequest next() {
        long k = issued.incrementAndGet();
        String executionId = "bare-" + k;
        Put put1 = first.transactItems().get(0).put();
        Put put2 = second.transactItems().get(0).put();
        Update update1 = first.transactItems().get(1).update();
        Update update2 = second.transactItems().get(1).update();
        Put put = put2.toBuilder().item(step(put1.item(), put2.item(), k, executionId)).build();
        Update update = update2.toBuilder()
                .expressionAttributeValues(step(update1.expressionAttributeValues(), update2.expressionAttributeValues(), k, executionId))
                .build();
        return second.toBuilder().transactItems(List.of(TransactWriteItem.builder().put(put).build(),
                TransactWriteItem.builder().update(update).build())).build();
    }

    long issued() {
        return issued.get();
    }

    private Map<String, AttributeValue> step(Map<String, AttributeValue> one, Map<String, AttributeValue> two, long k,
                                             String executionId) {
        Map<String, AttributeValue> next = new HashMap<>(two.size());
        two.forEach((name, value) -> next.put(name, step(one.get(name), value, k, executionId)));
        return next;
    }

    private AttributeValue step(AttributeValue one, AttributeValue two, long k, String executionId) {
        if (one == null || one.equals(two)) {
            return two;
        }
        if (one.n() != null && two.n() != null) {
            long a = Long.parseLong(one.n());
            long b = Long.parseLong(two.n());
            return AttributeValue.fromN(Long.toString(b + k * (b - a)));
        }
        if (one.s() != null && two.s() != null) {
            if (one.s().matches("\\d+") && two.s().matches("\\d+") && one.s().length() == two.s().length()) {
                long a = Long.parseLong(one.s());
                long b = Long.parseLong(two.s());
                return AttributeValue.fromS(String.format("%0" + two.s().length() + "d", b + k * (b - a)));
            }
            return AttributeValue.fromS(two.s().replace(secondExecutionId, executionId));
        }
        return two;
    }
}
