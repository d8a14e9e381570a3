package com.aicredits.app.http;

import com.aicredits.domain.CreditsException;
import com.aicredits.json.Json;
import com.aicredits.service.DebitService.BatchAnswer;
import com.aicredits.service.RecordExecution;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code POST .../executions:batch}: the request {@code {"executions": [ ... ]}}, each item a JSON object
 * read as strictly as a single debit's body (an object that is not a valid one is answered 400 alone; anything but an
 * object fails the whole call), and the answer {@code {"results": [ ... ]}},
 * each record embedded byte for byte as stored.
 */
public final class BatchBodies {
    private BatchBodies() {
    }

    /** The request's items: each read, or (when it could not be) the 400 a single call with that body would get. */
    public record Items(List<RecordExecution> requests, Map<Integer, CreditsException> unreadable) {
    }

    /** The batch's shape only; its items are read one by one. */
    private record Batch(List<JsonNode> executions) {
    }

    public static Items read(String body) {
        Batch batch = Json.readObject(body, Batch.class);
        if (batch.executions() == null) {
            throw CreditsException.invalid("executions", "executions is required: an array of 1 to 100 runs");
        }
        List<RecordExecution> requests = new ArrayList<>();
        Map<Integer, CreditsException> unreadable = new LinkedHashMap<>();
        for (int i = 0; i < batch.executions().size(); i++) {
            JsonNode item = batch.executions().get(i);
            if (item == null || !item.isObject()) {
                // Not a run at all: the batch itself is malformed.
                throw CreditsException.invalid("executions", "each run must be a JSON object, the body of a single debit;"
                        + " executions[" + i + "] is " + (item == null || item.isNull() ? "null" : "a JSON " + item.getNodeType().name().toLowerCase()));
            }
            try {
                requests.add(Json.readObject(item.toString(), RecordExecution.class));
            } catch (CreditsException e) {
                // Its executionId still counts against the batch's others: a repeated id fails the whole call.
                JsonNode id = item.path("executionId");
                requests.add(id.isTextual() ? new RecordExecution(id.asText(), null, null) : null);
                unreadable.put(i, e);
            }
        }
        return new Items(requests, unreadable);
    }

    /** {@code {"results": [{"status", "record"} or {"status", "error"}]}} in the items' order. */
    public static String answer(List<BatchAnswer> answers, Map<Integer, CreditsException> unreadable) {
        StringBuilder json = new StringBuilder(answers.size() * 600).append("{\"results\":[");
        for (int i = 0; i < answers.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            CreditsException refused = unreadable.containsKey(i) ? unreadable.get(i) : answers.get(i).refusal();
            if (refused != null) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", Refusals.code(refused));
                error.put("message", refused.getMessage());
                if (!refused.detail().isEmpty()) {
                    error.put("detail", refused.detail());
                }
                json.append("{\"status\":").append(Refusals.status(refused)).append(",\"error\":").append(Json.write(error)).append('}');
            } else {
                json.append("{\"status\":").append(answers.get(i).outcome().created() ? 201 : 200)
                        .append(",\"record\":").append(answers.get(i).outcome().body()).append('}');
            }
        }
        return json.append("]}").toString();
    }
}
