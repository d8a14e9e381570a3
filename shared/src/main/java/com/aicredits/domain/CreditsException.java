package com.aicredits.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the caller can act on: its {@link Refusal} (the domain's reason; {@code app.http.Refusals} maps it to a
 * status and error code), a message for people and, for some, the facts as values. Thrown before anything is
 * written, so a refused request leaves no trace.
 */
public final class CreditsException extends RuntimeException {
    private final Refusal refusal;
    private final String subject;
    private final Map<String, Object> detail;

    public CreditsException(Refusal refusal, String message) {
        this(refusal, null, message, Map.of());
    }

    /**
     * With {@code detail}: the refusal's facts as values a client reads without parsing the message (the error's
     * {@code detail} object), in the given order.
     */
    public CreditsException(Refusal refusal, String message, Map<String, Object> detail) {
        this(refusal, null, message, detail);
    }

    private CreditsException(Refusal refusal, String subject, String message, Map<String, Object> detail) {
        super(message, null, false, false);
        this.refusal = refusal;
        this.subject = subject;
        this.detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /** {@link Refusal#INVALID_INPUT} of {@code subject}: the field, parameter or part of the request that is wrong. */
    public static CreditsException invalid(String subject, String message) {
        return new CreditsException(Refusal.INVALID_INPUT, subject, message, Map.of());
    }

    /**
     * A client's value quoted in a message, cut to its first 100 characters: a message names what was wrong, it does
     * not echo a huge input back.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 100 ? "'" + value + "'" : "'" + value.substring(0, 100) + "…' (" + value.length() + " characters)";
    }

    public Refusal refusal() {
        return refusal;
    }

    /** What is invalid, for {@link Refusal#INVALID_INPUT} (a field such as {@code occurredAt}, or {@code body}); else null. */
    public String subject() {
        return subject;
    }

    /** The refusal's facts (empty for most refusals). */
    public Map<String, Object> detail() {
        return detail;
    }
}
