package com.aicredits.service;

/** The body of {@code POST /v1/workspaces/{workspaceId}/executions}; {@code model} absent is PLATFORM. */
public record RecordExecution(String executionId, String activity, String occurredAt, String model) {

    /** A run on the platform's model. */
    public RecordExecution(String executionId, String activity, String occurredAt) {
        this(executionId, activity, occurredAt, null);
    }
}
