package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** DynamoDB's errors as they go on the wire: the namespace of each type, and the fields some carry. */
final class Errors {
    private Errors() {
    }

    /** An error whose body carries more than its message ({@code CancellationReasons}, {@code Item}). */
    static final class Detailed extends DynamoDbError {
        final ObjectNode fields;

        Detailed(String type, int status, String message, ObjectNode fields) {
            super(type, status, message);
            this.fields = fields;
        }
    }

    static String namespaced(String type) {
        return switch (type) {
            case "ValidationException" -> "com.amazon.coral.validate#ValidationException";
            case "UnknownOperationException", "SerializationException", "MissingAuthenticationTokenException",
                 "UnrecognizedClientException", "AccessDeniedException", "IncompleteSignatureException" -> "com.amazon.coral.service#" + type;
            case "ThrottlingException" -> "com.amazon.coral.availability#ThrottlingException";
            default -> "com.amazonaws.dynamodb.v20120810#" + type;
        };
    }

    static DynamoDbError resourceNotFound() {
        return new DynamoDbError("ResourceNotFoundException", 400, "Requested resource not found");
    }

    static DynamoDbError conditionalCheckFailed(ObjectNode item) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        if (item != null) {
            fields.set("Item", item);
        }
        return new Detailed("ConditionalCheckFailedException", 400, "The conditional request failed", fields);
    }

    static DynamoDbError transactionCanceled(JsonNode reasons) {
        List<String> codes = new ArrayList<>();
        reasons.forEach(reason -> codes.add(reason.path("Code").asText()));
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.set("CancellationReasons", reasons);
        return new Detailed("TransactionCanceledException", 400,
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes.toString().replace(", ", ", "),
                fields);
    }

    static DynamoDbError internal() {
        return new DynamoDbError("InternalServerError", 500, "Internal server error");
    }
}
