package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.Balance;
import com.aicredits.domain.PoolBalance;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's stream records read back: which keys are balances (a workspace's, or an organization's pool's), whose
 * they are, and the balance an image holds.
 */
public final class StreamImages {
    private StreamImages() {
    }

    /** A balance item as the stream delivers it (its new or old image). */
    public static Balance balance(Map<String, AttributeValue> item) {
        return Items.balance(item);
    }

    /** A pool's balance item as the stream delivers it (its new or old image). */
    public static PoolBalance poolBalance(Map<String, AttributeValue> item) {
        return Items.poolBalance(item);
    }

    /** Whether a stream record's key is a workspace's balance item's. */
    public static boolean isBalance(Map<String, AttributeValue> keys) {
        return sortKeyStartsWith(keys, Keys.BALANCE_SK_PREFIX);
    }

    /** Whether a stream record's key is an organization's pool balance item's ({@code ORG#<id>}, {@code POOL#<period>}). */
    public static boolean isPoolBalance(Map<String, AttributeValue> keys) {
        return sortKeyStartsWith(keys, Keys.POOL_SK_PREFIX) && idAfter(keys, Keys.organizationPk("")) != null;
    }

    /** The workspace id a key of the workspace's partition carries ({@code WS#<id>}); null if it carries none. */
    public static String workspaceId(Map<String, AttributeValue> keys) {
        return idAfter(keys, Keys.workspacePk(""));
    }

    /** The organization id a key of the organization's partition carries ({@code ORG#<id>}); null if it carries none. */
    public static String organizationId(Map<String, AttributeValue> keys) {
        return idAfter(keys, Keys.organizationPk(""));
    }

    private static boolean sortKeyStartsWith(Map<String, AttributeValue> keys, String prefix) {
        AttributeValue sortKey = keys.get(Keys.SK);
        return sortKey != null && sortKey.s() != null && sortKey.s().startsWith(prefix);
    }

    private static String idAfter(Map<String, AttributeValue> keys, String prefix) {
        AttributeValue partitionKey = keys.get(Keys.PK);
        return partitionKey == null || partitionKey.s() == null || !partitionKey.s().startsWith(prefix)
                ? null : partitionKey.s().substring(prefix.length());
    }
}
