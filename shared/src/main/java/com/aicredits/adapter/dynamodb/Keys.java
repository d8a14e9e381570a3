package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.Period;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's key design. Everything of a workspace shares its partition {@code WS#<id>}; the sort key names the
 * item type. GSI1 lists a period's ledger newest first ({@code LEDGER#<ws>#<period>}, zero-padded sequence) and an
 * organization's workspaces ({@code ORG#<org>}). GSI2, sparse, lists every workspace ({@code WORKSPACES#<shard>}, by id).
 */
public final class Keys {
    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "GSI1PK";
    public static final String GSI1SK = "GSI1SK";
    public static final String GSI2 = "GSI2";
    public static final String GSI2PK = "GSI2PK";
    public static final String GSI2SK = "GSI2SK";
    /** GSI2 spreads the workspace index over this many partitions, so no one index partition takes every write. */
    public static final int WORKSPACE_SHARDS = 16;
    public static final String WORKSPACE_SK = "WORKSPACE";
    public static final String BALANCE_SK_PREFIX = "BALANCE#";
    public static final String EXECUTION_SK_PREFIX = "EXEC#";
    public static final String REFUND_SK_PREFIX = "REFUND#";

    private Keys() {
    }

    public static String workspacePk(String workspaceId) {
        return "WS#" + workspaceId;
    }

    public static Map<String, AttributeValue> workspace(String workspaceId) {
        return key(workspacePk(workspaceId), WORKSPACE_SK);
    }

    public static Map<String, AttributeValue> balance(String workspaceId, Period period) {
        return key(workspacePk(workspaceId), BALANCE_SK_PREFIX + period);
    }

    public static Map<String, AttributeValue> execution(String workspaceId, String executionId) {
        return key(workspacePk(workspaceId), EXECUTION_SK_PREFIX + executionId);
    }

    /** The ledger line of a record's refund (at most one per record). */
    public static Map<String, AttributeValue> refundLine(String workspaceId, String executionId) {
        return key(workspacePk(workspaceId), REFUND_SK_PREFIX + executionId);
    }

    public static String ledgerGsiPk(String workspaceId, Period period) {
        return "LEDGER#" + workspaceId + "#" + period;
    }

    public static String ledgerGsiSk(long sequence) {
        // Zero-padded to 12 digits by hand: String.format parses its pattern on every debit.
        String digits = Long.toString(sequence);
        return digits.length() >= 12 ? digits : "0".repeat(12 - digits.length()) + digits;
    }

    public static String organizationGsiPk(String organizationId) {
        return "ORG#" + organizationId;
    }

    /** The workspace index partition of a workspace: a stable hash (String.hashCode is specified) of its id. */
    public static int workspaceShard(String workspaceId) {
        return Math.floorMod(workspaceId.hashCode(), WORKSPACE_SHARDS);
    }

    public static String workspacesGsiPk(int shard) {
        return String.format("WORKSPACES#%02d", shard);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }
}
