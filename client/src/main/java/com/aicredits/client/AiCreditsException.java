package com.aicredits.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A refusal or failure, typed by the API's error code ({@code {"error":{"code","message"}}}); {@code status} is the HTTP
 * status (0 when no answer came at all).
 */
public class AiCreditsException extends RuntimeException {
    private final int status;
    private final String code;

    AiCreditsException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 400 (bad input: the code names what, e.g. {@code invalid_occurredAt}), 413 or 415: fix the request. */
    public static final class InvalidRequest extends AiCreditsException {
        InvalidRequest(int status, String code, String message) {
            super(status, code, message, null);
        }
    }

    /**
     * 402 {@code hard_limit_exceeded}: nothing written, the executionId stays free (it may succeed after an add-on). The
     * numbers come from the error's {@code detail} object; each is -1 if the answer did not carry it (an API older than
     * the detail).
     */
    public static final class HardLimitExceeded extends AiCreditsException {
        private final String period;
        private final long credits;
        private final long creditsUsed;
        private final long usageAfter;
        private final long hardLimitPercent;
        private final long creditsAllocated;
        private final long hardLimitCredits;

        HardLimitExceeded(String message, JsonNode detail) {
            super(402, "hard_limit_exceeded", message, null);
            period = detail.path("period").isTextual() ? detail.path("period").asText() : null;
            credits = number(detail, "credits");
            creditsUsed = number(detail, "creditsUsed");
            usageAfter = number(detail, "usageAfter");
            hardLimitPercent = number(detail, "hardLimitPercent");
            creditsAllocated = number(detail, "creditsAllocated");
            hardLimitCredits = number(detail, "hardLimitCredits");
        }

        private static long number(JsonNode detail, String field) {
            JsonNode value = detail.path(field);
            return value.canConvertToExactIntegral() && value.canConvertToLong() ? value.asLong() : -1;
        }

        /** The period whose balance refused it, such as {@code 2026-11} (null if not said). */
        public String period() {
            return period;
        }

        /** The usage of that period before this run. */
        public long creditsUsed() {
            return creditsUsed;
        }

        /** The run's credits. */
        public long credits() {
            return credits;
        }

        /** What usage would have become. */
        public long usageAfter() {
            return usageAfter;
        }

        public long hardLimitPercent() {
            return hardLimitPercent;
        }

        public long creditsAllocated() {
            return creditsAllocated;
        }

        public long hardLimitCredits() {
            return hardLimitCredits;
        }
    }

    /** 403 {@code cases_disabled}: a case activity on a workspace without Cases. */
    public static final class CasesDisabled extends AiCreditsException {
        CasesDisabled(String message) {
            super(403, "cases_disabled", message, null);
        }
    }

    /** 403 {@code byos_not_enabled}: a run on the customer's own model subscription for a feature not enabled for it. */
    public static final class ByosNotEnabled extends AiCreditsException {
        ByosNotEnabled(String message) {
            super(403, "byos_not_enabled", message, null);
        }
    }

    /** 409 {@code execution_id_reused}: the executionId was recorded for another activity. */
    public static final class ExecutionIdReused extends AiCreditsException {
        ExecutionIdReused(String message) {
            super(409, "execution_id_reused", message, null);
        }
    }

    /** 404 {@code not_found}: no such workspace. */
    public static final class WorkspaceNotFound extends AiCreditsException {
        WorkspaceNotFound(String message) {
            super(404, "not_found", message, null);
        }
    }

    /** 401, or 403 without the route's scope: the token supplier's problem, never retried. */
    public static final class NotAuthorized extends AiCreditsException {
        NotAuthorized(int status, String code, String message) {
            super(status, code, message, null);
        }
    }

    /**
     * No definite answer within the caller's deadline: every attempt failed with a network error, a timeout, a 429 or a
     * 503. The execution may or may not be recorded: call again with the same executionId (exactly once either way).
     */
    public static final class Unavailable extends AiCreditsException {
        private final int attempts;

        Unavailable(int status, String code, String message, Throwable cause, int attempts) {
            super(status, code, message, cause);
            this.attempts = attempts;
        }

        public int attempts() {
            return attempts;
        }
    }

    /** Any other answer (a 500, a code this client does not know). */
    public static final class Unexpected extends AiCreditsException {
        Unexpected(int status, String code, String message) {
            super(status, code, message, null);
        }
    }
}
