package com.aicredits.app.http;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;

/**
 * The one place a domain refusal becomes the API's answer: its HTTP status and its error code (the {@code code} of
 * {@code {"error":{...}}}, documented in openapi.yaml and docs/api.md). The switches are exhaustive, so a new
 * {@link Refusal} does not compile until it is mapped here.
 */
public final class Refusals {
    private Refusals() {
    }

    public static int status(CreditsException refused) {
        return status(refused.refusal());
    }

    public static int status(Refusal refusal) {
        return switch (refusal) {
            case INVALID_INPUT, UNKNOWN_FIELD, UNKNOWN_PARAMETER, UNEXPECTED_BODY, UNKNOWN_ACTIVITY -> 400;
            case UNAUTHENTICATED -> 401;
            case HARD_LIMIT -> 402;
            case CASES_DISABLED, BYOS_NOT_ENABLED, INSUFFICIENT_SCOPE, NOT_A_MANAGER, NO_ORGANIZATION -> 403;
            case UNKNOWN_WORKSPACE, UNKNOWN_EXECUTION, UNKNOWN_AGENT, UNKNOWN_ORGANIZATION, UNKNOWN_ROUTE -> 404;
            case EXECUTION_ID_REUSED, ORGANIZATION_IMMUTABLE, AGENT_LIMIT_REACHED, POOL_TOO_LARGE -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case CONTENTION, UNAVAILABLE -> 503;
        };
    }

    /** The error code: {@code invalid_<subject>} for invalid input (e.g. {@code invalid_occurredAt}), else the refusal's. */
    public static String code(CreditsException refused) {
        return refused.refusal() == Refusal.INVALID_INPUT ? "invalid_" + refused.subject() : code(refused.refusal());
    }

    public static String code(Refusal refusal) {
        return switch (refusal) {
            case INVALID_INPUT -> "invalid_input";
            case UNKNOWN_FIELD -> "unknown_field";
            case UNKNOWN_PARAMETER -> "unknown_parameter";
            case UNEXPECTED_BODY -> "unexpected_body";
            case UNKNOWN_ACTIVITY -> "unknown_activity";
            case UNAUTHENTICATED -> "unauthorized";
            case HARD_LIMIT -> "hard_limit_exceeded";
            case CASES_DISABLED -> "cases_disabled";
            case BYOS_NOT_ENABLED -> "byos_not_enabled";
            case INSUFFICIENT_SCOPE -> "insufficient_scope";
            case NOT_A_MANAGER -> "not_a_manager";
            case NO_ORGANIZATION -> "no_organization";
            case UNKNOWN_WORKSPACE, UNKNOWN_EXECUTION, UNKNOWN_AGENT, UNKNOWN_ORGANIZATION, UNKNOWN_ROUTE -> "not_found";
            case EXECUTION_ID_REUSED -> "execution_id_reused";
            case ORGANIZATION_IMMUTABLE -> "organization_immutable";
            case POOL_TOO_LARGE -> "pool_too_large";
            case AGENT_LIMIT_REACHED -> "agent_limit_reached";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case CONTENTION -> "contention";
            case UNAVAILABLE -> "unavailable";
        };
    }
}
