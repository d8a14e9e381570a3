package com.aicredits.service;

/**
 * The body of {@code POST /v1/workspaces/{workspaceId}/executions}; {@code model} absent is PLATFORM, {@code llmModel}
 * absent names no LLM model.
 */
public record RecordExecution(String executionId, String activity, String occurredAt, String model, String llmModel) {

    /** A run that names no LLM model. */
    public RecordExecution(String executionId, String activity, String occurredAt, String model) {
        this(executionId, activity, occurredAt, model, null);
    }

    /** A run on the platform's model. */
    public RecordExecution(String executionId, String activity, String occurredAt) {
        this(executionId, activity, occurredAt, null, null);
    }
}
