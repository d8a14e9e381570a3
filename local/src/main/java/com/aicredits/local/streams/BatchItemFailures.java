package com.aicredits.local.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * A function's {@code ReportBatchItemFailures} answer, read against the batch it answered.
 *
 * @param firstFailed       the index in the batch of the earliest reported record; -1 when none is reported
 * @param unknown           an {@code itemIdentifier} matched no record of the batch (or was missing or empty)
 * @param unknownIdentifier that identifier, for the message
 */
record BatchItemFailures(int firstFailed, boolean unknown, JsonNode unknownIdentifier) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BatchItemFailures NONE = new BatchItemFailures(-1, false, null);

    static BatchItemFailures read(Object response, List<ShardState.PendingRecord> batch) {
        if (response == null) {
            return NONE;
        }
        JsonNode failures;
        try {
            JsonNode tree = response instanceof String text ? JSON.readTree(text) : JSON.valueToTree(response);
            failures = tree == null ? null : tree.get("batchItemFailures");
        } catch (IOException | IllegalArgumentException e) {
            return NONE; // not a batch response: Lambda counts the batch as done
        }
        if (failures == null || failures.isNull() || failures.isEmpty()) {
            return NONE;
        }
        // The earliest reported record in batch order; an unknown or empty identifier fails the whole batch.
        int first = Integer.MAX_VALUE;
        for (JsonNode failure : failures) {
            JsonNode identifier = failure.get("itemIdentifier");
            int index = identifier == null || !identifier.isTextual() ? -1 : indexOf(batch, identifier.textValue());
            if (index < 0) {
                return new BatchItemFailures(-1, true, identifier);
            }
            first = Math.min(first, index);
        }
        return new BatchItemFailures(first, false, null);
    }

    private static int indexOf(List<ShardState.PendingRecord> batch, String sequenceNumber) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }
}
