package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.expression.Expressions;
import com.aicredits.emulation.dynamodb.expression.Placeholders;
import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TransactWriteItems and TransactGetItems: validated whole, then evaluated and committed under the database's
 * write lock, all or nothing. A ClientRequestToken makes a TransactWriteItems idempotent for 10 minutes.
 */
final class Transactions {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long TOKEN_MILLIS = 10 * 60 * 1000L;
    private static final long MAX_TRANSACTION_BYTES = 4L * 1024 * 1024;

    private final Database database;
    private final Map<String, Token> tokens = new LinkedHashMap<>();

    private record Token(JsonNode request, long expiresMillis, JsonNode response) {
    }

    private enum Kind { CONDITION_CHECK, PUT, UPDATE, DELETE }

    private record Action(Kind kind, Table table, PrimaryKey key, Map<String, Value> item, Expressions.Update update,
                          Expressions.Condition condition, String onFailure) {
    }

    Transactions(Database database) {
        this.database = database;
    }

    private static DynamoDbError lengthError(String field, int size) {
        return DynamoDbError.validation("1 validation error detected: Value at '" + field + "' failed to satisfy constraint: Member must have length "
                + (size == 0 ? "greater than or equal to 1" : "less than or equal to 100"));
    }

    JsonNode transactWriteItems(JsonNode request) {
        JsonNode items = request.path("TransactItems");
        if (!items.isArray() || items.isEmpty() || items.size() > 100) {
            throw lengthError("transactItems", items.size());
        }
        String mode = Capacity.mode(request);
        String token = Requests.text(request, "ClientRequestToken");
        if (token != null && (token.isEmpty() || token.length() > 36)) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + token
                    + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36");
        }
        List<Action> actions = new ArrayList<>();
        Set<ProductionMode.ItemRef> seen = new HashSet<>();
        long totalSize = 0;
        for (JsonNode element : items) {
            Iterator<String> fields = element.fieldNames();
            String field = fields.hasNext() ? fields.next() : "";
            if (fields.hasNext()) {
                throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            Kind kind = switch (field) {
                case "ConditionCheck" -> Kind.CONDITION_CHECK;
                case "Put" -> Kind.PUT;
                case "Update" -> Kind.UPDATE;
                case "Delete" -> Kind.DELETE;
                default -> throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            };
            JsonNode body = element.get(field);
            Table table = database.table(Requests.text(body, "TableName"));
            Placeholders placeholders = Requests.placeholders(body);
            Map<String, Value> item = null;
            PrimaryKey key;
            if (kind == Kind.PUT) {
                item = Requests.item(table, body.get("Item"));
                key = table.keyOf(item);
                totalSize += Values.itemSize(item);
            } else {
                key = Requests.key(table, body.get("Key"));
            }
            Expressions.Update update = null;
            if (kind == Kind.UPDATE) {
                String text = Requests.text(body, "UpdateExpression");
                if (text == null || text.isBlank()) {
                    throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' "
                            + "failed to satisfy constraint: Member must not be null");
                }
                update = Expressions.update(text, placeholders);
                Set<String> keyAttributes = new HashSet<>();
                keyAttributes.add(table.key().hashName());
                if (table.key().hasRange()) {
                    keyAttributes.add(table.key().rangeName());
                }
                update.rejectKeyUpdates(keyAttributes);
            }
            Expressions.Condition condition = Requests.condition(body, "ConditionExpression", placeholders);
            if (kind == Kind.CONDITION_CHECK && condition == null) {
                throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' "
                        + "failed to satisfy constraint: Member must not be null");
            }
            Requests.placeholdersNeedExpressions(body, condition != null || update != null);
            Requests.checkAllUsed(placeholders);
            if (!seen.add(new ProductionMode.ItemRef(table.definition.name, key))) {
                throw DynamoDbError.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(new Action(kind, table, key, item, update, condition, Requests.returnValuesOnFailure(body)));
        }
        if (totalSize > MAX_TRANSACTION_BYTES) {
            throw DynamoDbError.validation("Transaction request exceeds the maximum allowed size of 4 MB");
        }
        ObjectNode comparable = request.deepCopy();
        comparable.remove("ReturnConsumedCapacity");
        if (token != null) {
            synchronized (tokens) {
                long now = database.clock.millis();
                tokens.values().removeIf(entry -> entry.expiresMillis() < now);
                Token previous = tokens.get(token);
                if (previous != null) {
                    if (!previous.request().equals(comparable)) {
                        throw new DynamoDbError("IdempotentParameterMismatchException", 400,
                                "The request uses the same client token as a previous, but non-identical request.");
                    }
                    return previous.response();
                }
            }
        }
        ProductionMode.Ticket ticket = database.production == null ? null
                : database.production.enterTransaction(actions.stream()
                        .map(action -> new ProductionMode.ItemRef(action.table().definition.name, action.key())).toList());
        try {
            // a transactional write costs its table partition twice the units (here 2, the item's size unknown yet)
            List<ProductionMode.Charge> base = actions.stream().filter(action -> action.kind() != Kind.CONDITION_CHECK)
                    .map(action -> new ProductionMode.Charge(ProductionMode.Partition.ofTable(action.table().definition.name,
                            action.key().hash()), 2.0))
                    .toList();
            if (database.production != null && !database.production.tryConsume(base, true).isEmpty()) {
                throw ProductionMode.throughputExceeded();
            }
            ObjectNode response = database.write(() -> execute(actions, mode, base));
            if (token != null) {
                synchronized (tokens) {
                    tokens.put(token, new Token(comparable, database.clock.millis() + TOKEN_MILLIS, response));
                }
            }
            if (database.production != null && database.production.loseResponse()) {
                throw Errors.internal();
            }
            return response;
        } finally {
            if (ticket != null) {
                ticket.close();
            }
        }
    }

    /** Under the write lock: evaluates the actions, charges the index partitions, commits all or cancels. */
    private ObjectNode execute(List<Action> actions, String mode, List<ProductionMode.Charge> base) {
        ArrayNode reasons = JSON.arrayNode();
        boolean cancelled = false;
        List<Database.Change> changes = new ArrayList<>();
        Map<String, Capacity> capacities = new LinkedHashMap<>();
        List<List<ProductionMode.Charge>> indexCharges = new ArrayList<>();
        for (Action action : actions) {
            indexCharges.add(List.of());
            Table table = database.table(action.table().definition.name);
            Map<String, Value> old = table.get(action.key());
            ObjectNode reason = reasons.addObject();
            if (action.condition() != null && !action.condition().test(ItemOperations.orEmpty(old))) {
                cancelled = true;
                reason.put("Code", "ConditionalCheckFailed").put("Message", "The conditional request failed");
                if (action.onFailure().equals("ALL_OLD") && old != null) {
                    reason.set("Item", Values.itemToJson(old));
                }
                continue;
            }
            Map<String, Value> item;
            try {
                item = switch (action.kind()) {
                    case CONDITION_CHECK -> old;
                    case PUT -> action.item();
                    case DELETE -> null;
                    case UPDATE -> ItemOperations.updated(table, action.key(), old, action.update());
                };
            } catch (DynamoDbError invalid) {
                cancelled = true;
                reason.put("Code", "ValidationError").put("Message", invalid.getMessage());
                continue;
            }
            reason.put("Code", "None");
            Capacity capacity = capacities.computeIfAbsent(table.definition.name, Capacity::new);
            if (action.kind() == Kind.CONDITION_CHECK) {
                capacity.addTable(2 * Capacity.writeUnits(old == null ? 0 : Values.itemSize(old)));
                continue;
            }
            ItemOperations.writeCapacity(table, old, item, capacity, 2);
            indexCharges.set(indexCharges.size() - 1, ItemOperations.indexCharges(table, old, item));
            if (old != null || item != null) {
                changes.add(new Database.Change(table, action.key(), old, item, false));
            }
        }
        if (cancelled) {
            throw Errors.transactionCanceled(reasons);
        }
        if (database.production != null) {
            // GSI back-pressure: an item whose index partition is empty cancels the transaction, its table units given back
            List<ProductionMode.Partition> empty = database.production.tryConsume(
                    indexCharges.stream().flatMap(List::stream).toList(), true);
            if (!empty.isEmpty()) {
                database.production.refund(base, true);
                for (int i = 0; i < actions.size(); i++) {
                    if (indexCharges.get(i).stream().anyMatch(charge -> empty.contains(charge.partition()))) {
                        ((ObjectNode) reasons.get(i)).put("Code", "ThrottlingError").put("Message", ProductionMode.INDEX_WRITE_THROTTLED);
                    }
                }
                throw Errors.transactionCanceled(reasons);
            }
        }
        database.commit(changes);
        ObjectNode out = JSON.objectNode();
        if (!mode.equals("NONE")) {
            ArrayNode consumed = out.putArray("ConsumedCapacity");
            capacities.values().forEach(capacity -> consumed.add(capacity.toJson(mode)));
        }
        return out;
    }

    JsonNode transactGetItems(JsonNode request) {
        JsonNode items = request.path("TransactItems");
        if (!items.isArray() || items.isEmpty() || items.size() > 100) {
            throw lengthError("transactItems", items.size());
        }
        String mode = Capacity.mode(request);
        record Get(Table table, PrimaryKey key, Expressions.Projection projection) {
        }
        List<Get> gets = new ArrayList<>();
        Set<ProductionMode.ItemRef> seen = new HashSet<>();
        for (JsonNode element : items) {
            JsonNode body = element.get("Get");
            if (body == null) {
                throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
            }
            Table table = database.table(Requests.text(body, "TableName"));
            PrimaryKey key = Requests.key(table, body.get("Key"));
            Placeholders placeholders = Requests.placeholders(body);
            Expressions.Projection projection = Requests.projection(body, placeholders);
            Requests.placeholdersNeedExpressions(body, projection != null);
            Requests.checkAllUsed(placeholders);
            if (!seen.add(new ProductionMode.ItemRef(table.definition.name, key))) {
                throw DynamoDbError.validation("Transaction request cannot include multiple operations on one item");
            }
            gets.add(new Get(table, key, projection));
        }
        return database.read(() -> {
            ObjectNode out = JSON.objectNode();
            ArrayNode responses = out.putArray("Responses");
            Map<String, Capacity> capacities = new LinkedHashMap<>();
            for (Get get : gets) {
                Table table = database.table(get.table().definition.name);
                Map<String, Value> item = table.get(get.key());
                ObjectNode response = responses.addObject();
                if (item != null) {
                    response.set("Item", Values.itemToJson(get.projection() == null ? item : get.projection().apply(item)));
                }
                capacities.computeIfAbsent(table.definition.name, Capacity::new)
                        .addTable(2 * Capacity.readUnits(item == null ? 0 : Values.itemSize(item), true));
            }
            if (!mode.equals("NONE")) {
                ArrayNode consumed = out.putArray("ConsumedCapacity");
                capacities.values().forEach(capacity -> consumed.add(capacity.toJson(mode)));
            }
            return out;
        });
    }
}
