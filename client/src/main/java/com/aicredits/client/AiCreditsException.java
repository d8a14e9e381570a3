package com.aicredits.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

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
     * numbers come from the error's {@code detail} object, the credit amounts as exact {@link BigDecimal}s (up to two
     * decimals); each is null ({@code hardLimitPercent}: -1) if the answer did not carry it (an API older than the
     * detail).
     */
    public static final class HardLimitExceeded extends AiCreditsException {
        private final String period;
        private final BigDecimal credits;
        private final BigDecimal creditsUsed;
        private final BigDecimal usageAfter;
        private final long hardLimitPercent;
        private final BigDecimal creditsAllocated;
        private final BigDecimal hardLimitCredits;

        HardLimitExceeded(String message, JsonNode detail) {
            super(402, "hard_limit_exceeded", message, null);
            period = detail.path("period").isTextual() ? detail.path("period").asText() : null;
            credits = amount(detail, "credits");
            creditsUsed = amount(detail, "creditsUsed");
            usageAfter = amount(detail, "usageAfter");
            JsonNode percent = detail.path("hardLimitPercent");
            hardLimitPercent = percent.canConvertToExactIntegral() && percent.canConvertToLong() ? percent.asLong() : -1;
            creditsAllocated = amount(detail, "creditsAllocated");
            hardLimitCredits = amount(detail, "hardLimitCredits");
        }

        /** The number as the API wrote it (the tree holds decimals as BigDecimal: no binary floating point), or null. */
        private static BigDecimal amount(JsonNode detail, String field) {
            JsonNode value = detail.path(field);
            return value.isNumber() ? value.decimalValue() : null;
        }

        /** The period whose balance refused it, such as {@code 2026-11} (null if not said). */
        public String period() {
            return period;
        }

        /** The usage of that period before this run. */
        public BigDecimal creditsUsed() {
            return creditsUsed;
        }

        /** The run's credits. */
        public BigDecimal credits() {
            return credits;
        }

        /** What usage would have become. */
        public BigDecimal usageAfter() {
            return usageAfter;
        }

        /** The hard limit in percent of the allocation (-1 if not said). */
        public long hardLimitPercent() {
            return hardLimitPercent;
        }

        public BigDecimal creditsAllocated() {
            return creditsAllocated;
        }

        public BigDecimal hardLimitCredits() {
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

    /**
     * 409 {@code execution_id_reused}: the executionId was recorded for another run: another activity, model or
     * llmModel.
     */
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

    /** 404 {@code not_found} on an organization's route: no such organization. */
    public static final class OrganizationNotFound extends AiCreditsException {
        OrganizationNotFound(String message) {
            super(404, "not_found", message, null);
        }
    }

    /**
     * 409 {@code pool_too_large}: switching the organization's credit pool on or off moves every workspace's balances in
     * one transaction, and the organization has more workspaces than one can take (about 48); nothing written.
     */
    public static final class PoolTooLarge extends AiCreditsException {
        PoolTooLarge(String message) {
            super(409, "pool_too_large", message, null);
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
