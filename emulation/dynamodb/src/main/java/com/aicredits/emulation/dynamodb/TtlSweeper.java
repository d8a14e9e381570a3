package com.aicredits.emulation.dynamodb;

import com.aicredits.emulation.dynamodb.value.Value;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time to live: deletes the items whose TTL attribute (a number, epoch seconds) is {@code delay} or more in the
 * past, as the service does (with a REMOVE stream record carrying the service's userIdentity). Until then a read
 * still returns the expired item, as DynamoDB's may for days. Items expired more than five years ago are left, as
 * DynamoDB leaves them.
 */
final class TtlSweeper {
    private static final long FIVE_YEARS_SECONDS = 5L * 365 * 24 * 3600;

    private final Database database;
    private final Duration delay;

    TtlSweeper(Database database, Duration delay) {
        this.database = database;
        this.delay = delay;
    }

    /** One sweep over every table with TTL enabled; returns how many items it deleted. */
    int sweep() {
        long nowSeconds = database.clock.instant().getEpochSecond();
        long cutoff = nowSeconds - delay.toSeconds();
        return database.write(() -> {
            List<Database.Change> changes = new ArrayList<>();
            for (Table table : database.tables.values()) {
                TableDefinition definition = table.definition;
                if (!definition.ttlEnabled || definition.ttlAttribute == null) {
                    continue;
                }
                for (Map<String, Value> item : table.allItems()) {
                    if (item.get(definition.ttlAttribute) instanceof Value.N n) {
                        BigDecimal expiry = n.value();
                        if (expiry.compareTo(BigDecimal.valueOf(cutoff)) <= 0
                                && expiry.compareTo(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)) >= 0) {
                            changes.add(new Database.Change(table, table.keyOf(item), item, null, true));
                        }
                    }
                }
            }
            database.commit(changes);
            return changes.size();
        });
    }
}
