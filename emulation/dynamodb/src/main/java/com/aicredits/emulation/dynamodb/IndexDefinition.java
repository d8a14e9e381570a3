package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A global secondary index: its key and its projection (ALL, KEYS_ONLY or INCLUDE with non-key attributes). */
record IndexDefinition(String name, KeySchema key, String projectionType, List<String> nonKeyAttributes) {

    /** The item as the index holds it: its keys, the table's keys and the projected attributes. */
    Map<String, Value> project(Map<String, Value> item, KeySchema tableKey) {
        if (projectionType.equals("ALL")) {
            return item;
        }
        Map<String, Value> projected = new LinkedHashMap<>();
        item.forEach((name, value) -> {
            if (key.isKeyAttribute(name) || tableKey.isKeyAttribute(name)
                    || projectionType.equals("INCLUDE") && nonKeyAttributes.contains(name)) {
                projected.put(name, value);
            }
        });
        return projected;
    }
}
