package com.aicredits.service;

/** The body of {@code POST /v1/workspaces/{workspaceId}/executions}. */
public record RecordExecution(String executionId, String activity, String occurredAt) {
}
