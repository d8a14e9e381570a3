package com.aicredits.domain;

import java.util.regex.Pattern;

/**
 * Identifier rules. None admits '#', the separator of our DynamoDB keys, nor an id of dots only: '.' and '..' are
 * path segments to URL resolvers, proxies and browsers, so such an id could not be addressed reliably.
 */
public final class Ids {
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LLM_MODEL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern DOTS_ONLY = Pattern.compile("\\.+");

    private Ids() {
    }

    public static String executionId(String value) {
        return require(value, EXECUTION_ID, "executionId", "1-128 characters of A-Z a-z 0-9 . _ : -");
    }

    /** The LLM model a run names, or null when it names none (the field is optional). */
    public static String llmModel(String value) {
        return value == null ? null : require(value, LLM_MODEL, "llmModel", "1-64 characters of A-Z a-z 0-9 . _ : -");
    }

    public static String agentId(String value) {
        return require(value, EXECUTION_ID, "agentId", "1-128 characters of A-Z a-z 0-9 . _ : -");
    }

    public static String purchaseId(String value) {
        return require(value, EXECUTION_ID, "purchaseId", "1-128 characters of A-Z a-z 0-9 . _ : -");
    }

    public static String workspaceId(String value) {
        return require(value, RESOURCE_ID, "workspaceId", "1-64 characters of A-Z a-z 0-9 . _ -");
    }

    public static String organizationId(String value) {
        return require(value, RESOURCE_ID, "organizationId", "1-64 characters of A-Z a-z 0-9 . _ -");
    }

    private static String require(String value, Pattern pattern, String field, String rule) {
        if (value == null) {
            throw CreditsException.invalid(field, field + " is required");
        }
        if (!pattern.matcher(value).matches()) {
            throw CreditsException.invalid(field, field + " must be " + rule);
        }
        if (DOTS_ONLY.matcher(value).matches()) {
            throw CreditsException.invalid(field, field + " must not be only dots ('.' and '..' are path segments)");
        }
        return value;
    }
}
