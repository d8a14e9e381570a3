package com.aicredits.domain;

/**
 * Why a request is refused, in the domain's words. Nothing here knows HTTP: {@code app.http.Refusals} gives each its
 * status and error code, in one place.
 */
public enum Refusal {
    /** A value of the request is missing, malformed or out of range; the refusal's subject names it. */
    INVALID_INPUT,
    /** The body names a field the request does not have. */
    UNKNOWN_FIELD,
    /** The query names a parameter the route does not take. */
    UNKNOWN_PARAMETER,
    /** A body sent to a route that takes none. */
    UNEXPECTED_BODY,
    /** A body that is not JSON, or too large to read. */
    UNSUPPORTED_MEDIA_TYPE,
    PAYLOAD_TOO_LARGE,
    /** An activity the price catalog does not know. */
    UNKNOWN_ACTIVITY,
    UNKNOWN_WORKSPACE,
    UNKNOWN_EXECUTION,
    UNKNOWN_AGENT,
    UNKNOWN_ORGANIZATION,
    UNKNOWN_ROUTE,
    /** The executionId was recorded before for another activity or model. */
    EXECUTION_ID_REUSED,
    /** A workspace's organization cannot change. */
    ORGANIZATION_IMMUTABLE,
    /** An organization with more workspaces than one transaction can switch to or from its credit pool. */
    POOL_TOO_LARGE,
    /** The workspace runs as many agent instances as its tier allows. */
    AGENT_LIMIT_REACHED,
    /** The run would take the period's usage above the workspace's hard limit. */
    HARD_LIMIT,
    /** A case activity on a workspace without Cases. */
    CASES_DISABLED,
    /** A run on the customer's own model for a feature the workspace has not enabled it for. */
    BYOS_NOT_ENABLED,
    /** No valid credentials. */
    UNAUTHENTICATED,
    /** The caller's token lacks the route's scope. */
    INSUFFICIENT_SCOPE,
    /** Usage is for organization managers and viewers only (the code stays {@code not_a_manager}: part of the contract). */
    NOT_A_MANAGER,
    /** The caller's token names no organization. */
    NO_ORGANIZATION,
    /** The same items are changing concurrently beyond the retry budget: nothing written, retry the same request. */
    CONTENTION,
    /** A dependency did not answer through every retry: nothing written, retry. */
    UNAVAILABLE
}
