package com.aicredits.client;

/**
 * A recorded execution. {@code created} is true when this call debited it: a 201, or a 200 replay after an attempt of
 * this same call whose answer was lost (a network error, a timeout, a 503 {@code unavailable}), since the replay then
 * shows that attempt's own debit. A 200 with no such attempt before it is a replay of an earlier call.
 */
public record Recorded(UsageRecord record, boolean created, int attempts) {
    public boolean replay() {
        return !created;
    }
}
