package com.aicredits.service;

import com.aicredits.domain.UsageRecord;

/**
 * A recorded debit: the stored response body, and whether this call created it (201) or replayed it (200). A new
 * debit also carries its record, so what reports on it (metrics) need not parse the body again; a replay has none.
 */
public record DebitOutcome(String body, boolean created, UsageRecord record) {
    static DebitOutcome created(String body, UsageRecord record) {
        return new DebitOutcome(body, true, record);
    }

    static DebitOutcome replayed(String body) {
        return new DebitOutcome(body, false, null);
    }
}
