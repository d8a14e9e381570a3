package com.aicredits.service;

/** A recorded debit: the stored response body, and whether this call created it (201) or replayed it (200). */
public record DebitOutcome(String body, boolean created) {
}
