package com.aicredits.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item sizes and write units by DynamoDB's published rules, computed on our side (DynamoDB Local, which the tests ran
 * on before our engine, under-reported transactions: 2.0 for a two-item transaction that DynamoDB charges 4.0). Rules: an item's size is the sum of its attribute
 * names' UTF-8 lengths and value sizes; a number is about 1 byte per 2 significant digits plus 1; a transactional
 * write costs 2 units per KB (rounded up) of the item; a GSI write costs 1 unit per KB of the projected item; a
 * strongly consistent read costs 1 unit per 4 KB, an eventually consistent one half that, rounded up per item for
 * GetItem and BatchGetItem and over the whole page for a Query.
 */
public final class ItemSize {
    private ItemSize() {
    }

    public static int bytes(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + value(attribute.getValue());
        }
        return size;
    }

    public static int transactionalWriteUnits(Map<String, AttributeValue> item) {
        return 2 * kilobytes(bytes(item));
    }

    public static int indexWriteUnits(Map<String, AttributeValue> projectedItem) {
        return kilobytes(bytes(projectedItem));
    }

    /** Read units of {@code items}, in half units (exact): per item (GetItem, BatchGetItem) or summed (Query). */
    public static int halfReadUnits(List<Map<String, AttributeValue>> items, boolean consistent, boolean perItem) {
        int blocks = perItem
                ? items.stream().mapToInt(item -> fourKilobyteBlocks(bytes(item))).sum()
                : fourKilobyteBlocks(items.stream().mapToInt(ItemSize::bytes).sum());
        return consistent ? 2 * blocks : blocks;
    }

    private static int fourKilobyteBlocks(int bytes) {
        return Math.max(1, (bytes + 4095) / 4096);
    }

    private static int kilobytes(int bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    private static int value(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> number(value.n());
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case L -> 3 + value.l().stream().mapToInt(v -> 1 + value(v)).sum();
            case M -> 3 + value.m().entrySet().stream().mapToInt(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
            case SS -> value.ss().stream().mapToInt(ItemSize::utf8).sum();
            case NS -> value.ns().stream().mapToInt(ItemSize::number).sum();
            case BS -> value.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
            default -> throw new IllegalArgumentException("unknown attribute type " + value.type());
        };
    }

    private static int number(String n) {
        String digits = n.replace("-", "").replace(".", "").replaceFirst("^0+(?=\\d)", "");
        return (digits.length() + 1) / 2 + 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
