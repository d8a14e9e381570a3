package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The wire: AWS JSON 1.0 over HTTP/1.1 (keep-alive) on 127.0.0.1 ({@link LoopbackHttpServer}, one virtual thread a
 * connection). {@code X-Amz-Target} names the operation; answers carry {@code x-amz-crc32} (the SDK checks
 * it) and {@code x-amzn-RequestId}; errors carry DynamoDB's namespaced {@code __type}. Signatures are accepted
 * without being verified.
 */
final class HttpFront {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private static final String[] LEGACY_PARAMETERS = {"Expected", "AttributeUpdates", "KeyConditions", "QueryFilter", "ScanFilter",
        "AttributesToGet", "ConditionalOperator"};

    private final Map<String, Function<JsonNode, JsonNode>> operations = new HashMap<>();
    private final ProductionMode production;
    private final LoopbackHttpServer server;

    HttpFront(Database database, ProductionMode production, int port) {
        this.production = production;
        ControlPlane control = new ControlPlane(database);
        ItemOperations items = new ItemOperations(database);
        QueryScan reads = new QueryScan(database);
        Transactions transactions = new Transactions(database);
        StreamsApi streams = new StreamsApi(database);
        String dynamo = "DynamoDB_20120810.";
        operations.put(dynamo + "CreateTable", control::createTable);
        operations.put(dynamo + "DescribeTable", control::describeTable);
        operations.put(dynamo + "DeleteTable", control::deleteTable);
        operations.put(dynamo + "ListTables", control::listTables);
        operations.put(dynamo + "UpdateTable", control::updateTable);
        operations.put(dynamo + "UpdateTimeToLive", control::updateTimeToLive);
        operations.put(dynamo + "DescribeTimeToLive", control::describeTimeToLive);
        operations.put(dynamo + "PutItem", items::putItem);
        operations.put(dynamo + "GetItem", items::getItem);
        operations.put(dynamo + "UpdateItem", items::updateItem);
        operations.put(dynamo + "DeleteItem", items::deleteItem);
        operations.put(dynamo + "BatchGetItem", items::batchGetItem);
        operations.put(dynamo + "BatchWriteItem", items::batchWriteItem);
        operations.put(dynamo + "Query", reads::query);
        operations.put(dynamo + "Scan", reads::scan);
        operations.put(dynamo + "TransactWriteItems", transactions::transactWriteItems);
        operations.put(dynamo + "TransactGetItems", transactions::transactGetItems);
        String streamsPrefix = "DynamoDBStreams_20120810.";
        operations.put(streamsPrefix + "ListStreams", streams::listStreams);
        operations.put(streamsPrefix + "DescribeStream", streams::describeStream);
        operations.put(streamsPrefix + "GetShardIterator", streams::getShardIterator);
        operations.put(streamsPrefix + "GetRecords", streams::getRecords);
        server = new LoopbackHttpServer(port, this::handle);
    }

    int port() {
        return server.port();
    }

    void stop() {
        server.close();
    }

    private static String requestId() {
        char[] id = new char[52];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private LoopbackHttpServer.Response handle(LoopbackHttpServer.Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amzn-RequestId", requestId());
        if (request.method().equals("GET")) {
            headers.put("Content-Type", "text/plain");
            return new LoopbackHttpServer.Response(200, headers,
                    "healthy: dynamodb.us-east-1.amazonaws.com ".getBytes(StandardCharsets.UTF_8));
        }
        String target = request.header("X-Amz-Target");
        int status = 200;
        byte[] out;
        try {
            try {
                out = JSON.writeValueAsBytes(dispatch(target, request.body()));
            } catch (DynamoDbError error) {
                status = error.status();
                out = JSON.writeValueAsBytes(errorBody(error));
            } catch (UnsupportedOperationException notYet) {
                status = 400;
                out = JSON.writeValueAsBytes(errorBody(DynamoDbError.validation("Not supported by this engine yet: " + notYet.getMessage())));
            } catch (RuntimeException bug) {
                System.err.println("dynamodb-engine: internal error on " + target);
                bug.printStackTrace();
                status = 500;
                out = JSON.writeValueAsBytes(errorBody(new DynamoDbError("InternalServerError", 500, "Internal server error: " + bug)));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("x-amz-crc32", Long.toString(crc.getValue()));
        return new LoopbackHttpServer.Response(status, headers, out);
    }

    private JsonNode dispatch(String target, byte[] body) {
        Function<JsonNode, JsonNode> operation = target == null ? null : operations.get(target);
        if (operation == null) {
            throw new DynamoDbError("UnknownOperationException", 400, null);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DynamoDbError("SerializationException", 400, "Start of structure or map found where not expected.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (request == null || !request.isObject()) {
            throw new DynamoDbError("SerializationException", 400, "Start of structure or map found where not expected.");
        }
        for (String legacy : LEGACY_PARAMETERS) {
            if (request.has(legacy)) {
                throw DynamoDbError.validation("The legacy parameter " + legacy + " is not supported by this engine; use expressions");
            }
        }
        if (production != null) {
            production.beforeCall();
        }
        return operation.apply(request);
    }

    static ObjectNode errorBody(DynamoDbError error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", Errors.namespaced(error.type()));
        if (error instanceof Errors.Detailed detailed) {
            // DynamoDB writes TransactionCanceledException's message as "Message"
            body.put(error.type().equals("TransactionCanceledException") ? "Message" : "message", error.getMessage());
            body.setAll(detailed.fields);
        } else if (error.getMessage() != null) {
            body.put("message", error.getMessage());
        }
        return body;
    }
}
