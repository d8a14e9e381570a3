package com.aicredits.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the caller can act on: carries the HTTP status it maps to and a stable machine-readable code.
 * Thrown before anything is written, so a refused request leaves no trace.
 */
public final class CreditsException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> detail;

    public CreditsException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    /**
     * With {@code detail}: the refusal's facts as values a client reads without parsing the message (the error's
     * {@code detail} object), in the given order.
     */
    public CreditsException(int status, String code, String message, Map<String, Object> detail) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    public static CreditsException badRequest(String code, String message) {
        return new CreditsException(400, code, message);
    }

    public static CreditsException notFound(String message) {
        return new CreditsException(404, "not_found", message);
    }

    public static CreditsException conflict(String code, String message) {
        return new CreditsException(409, code, message);
    }

    public static CreditsException forbidden(String code, String message) {
        return new CreditsException(403, code, message);
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

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The refusal's facts (empty for most refusals). */
    public Map<String, Object> detail() {
        return detail;
    }
}
