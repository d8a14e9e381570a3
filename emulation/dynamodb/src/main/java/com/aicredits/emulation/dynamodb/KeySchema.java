package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.value.Value;
import com.aicredits.emulation.dynamodb.value.Values;
import java.util.Map;

/** The key of a table or an index: a partition key and an optional sort key, each with its scalar type (S, N, B). */
record KeySchema(String hashName, String hashType, String rangeName, String rangeType) {

    boolean hasRange() {
        return rangeName != null;
    }

    boolean isKeyAttribute(String name) {
        return name.equals(hashName) || name.equals(rangeName);
    }

    /** Whether the item carries both key attributes with their types (an item's presence in a sparse index). */
    boolean coveredBy(Map<String, Value> item) {
        Value hash = item.get(hashName);
        if (hash == null || !hash.type().equals(hashType)) {
            return false;
        }
        if (rangeName == null) {
            return true;
        }
        Value range = item.get(rangeName);
        return range != null && range.type().equals(rangeType);
    }

    /** Orders sort key values; tables without a sort key use {@link PrimaryKey#NO_RANGE}. */
    static int compareRange(Value a, Value b) {
        if (a instanceof Value.Null || b instanceof Value.Null) {
            return Boolean.compare(!(a instanceof Value.Null), !(b instanceof Value.Null));
        }
        return Values.compareKeys(a, b);
    }
}
