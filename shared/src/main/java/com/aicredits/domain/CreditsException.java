package com.aicredits.domain;

/**
 * A refusal the caller can act on: carries the HTTP status it maps to and a stable machine-readable code.
 * Thrown before anything is written, so a refused request leaves no trace.
 */
public final class CreditsException extends RuntimeException {
    private final int status;
    private final String code;

    public CreditsException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
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
}
