package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.Balance;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The table's stream records read back: which keys are balances, whose they are, and the balance an image holds. */
public final class StreamImages {
    private StreamImages() {
    }

    /** A balance item as the stream delivers it (its new or old image). */
    public static Balance balance(Map<String, AttributeValue> item) {
        return Items.balance(item);
    }

    /** Whether a stream record's key is a balance item's. */
    public static boolean isBalance(Map<String, AttributeValue> keys) {
        AttributeValue sortKey = keys.get(Keys.SK);
        return sortKey != null && sortKey.s() != null && sortKey.s().startsWith(Keys.BALANCE_SK_PREFIX);
    }

    /** The workspace id a key of the workspace's partition carries ({@code WS#<id>}); null if it carries none. */
    public static String workspaceId(Map<String, AttributeValue> keys) {
        AttributeValue partitionKey = keys.get(Keys.PK);
        String prefix = Keys.workspacePk("");
        return partitionKey == null || partitionKey.s() == null || !partitionKey.s().startsWith(prefix)
                ? null : partitionKey.s().substring(prefix.length());
    }
}
