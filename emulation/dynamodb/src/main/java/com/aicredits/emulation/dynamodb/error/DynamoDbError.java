package com.aicredits.emulation.dynamodb.error;

/**
 * An error DynamoDB would answer: its short type name ({@code ValidationException}, {@code
 * ConditionalCheckFailedException}, …), its message and its HTTP status. The server writes the {@code __type} with
 * the namespace DynamoDB uses for that type.
 */
public class DynamoDbError extends RuntimeException {
    private final String type;
    private final int status;

    public DynamoDbError(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    public static DynamoDbError validation(String message) {
        return new DynamoDbError("ValidationException", 400, message);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }
}
