package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's key design. A workspace's own items (the workspace, its balances, agents, alert markers, summaries) share
 * its partition {@code WS#<id>}; the sort key names the item type. What is written per run (the usage record and, once
 * refunded, its refund line) lives off that partition, on {@code WS#<id>#R<k>} with k a stable hash of the executionId
 * ({@value #RECORD_SHARDS} partitions): a debit's writes then share no partition but the balance's one item, which a
 * batch moves once for up to 98 records. GSI1 lists a period's ledger newest first over {@value #LEDGER_SHARDS}
 * partitions ({@code LEDGER#<ws>#<period>#<sequence mod 4>}, zero-padded sequence), so no index partition takes every
 * record's write either (a batch's lines of a period appear there as one ledger page, {@code LINES#<period>#<first>},
 * indexed at its last sequence), and an organization's workspaces ({@code ORG#<org>}). GSI2, sparse, lists every workspace
 * ({@code WORKSPACES#<shard>}, by id).
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
    /** A workspace's records spread over this many partitions: about 8,000 records a second at 1,000 WCU each. */
    public static final int RECORD_SHARDS = 16;
    /** A period's ledger index spreads over this many partitions: about 4,000 lines a second at 1,000 WCU each. */
    public static final int LEDGER_SHARDS = 4;
    public static final String WORKSPACE_SK = "WORKSPACE";
    public static final String BALANCE_SK_PREFIX = "BALANCE#";
    public static final String EXECUTION_SK_PREFIX = "EXEC#";
    public static final String REFUND_SK_PREFIX = "REFUND#";
    public static final String LEDGER_PAGE_SK_PREFIX = "LINES#";
    public static final String ORGANIZATION_SK = "ORGANIZATION";
    public static final String POOL_SK_PREFIX = "POOL#";
    public static final String MEMBERS_SK = "MEMBERS";

    private Keys() {
    }

    public static String workspacePk(String workspaceId) {
        return "WS#" + workspaceId;
    }

    public static Map<String, AttributeValue> workspace(String workspaceId) {
        return key(workspacePk(workspaceId), WORKSPACE_SK);
    }

    /** An organization's own items (the organization, its pool's balances) share its partition {@code ORG#<id>}. */
    public static String organizationPk(String organizationId) {
        return "ORG#" + organizationId;
    }

    /** The partition of a ledger owner's own items: {@code WS#<id>} or {@code ORG#<id>} (alert and summary markers). */
    public static String ownerPk(LedgerOwner owner) {
        return owner.isOrganization() ? organizationPk(owner.id()) : workspacePk(owner.id());
    }

    public static Map<String, AttributeValue> organization(String organizationId) {
        return key(organizationPk(organizationId), ORGANIZATION_SK);
    }

    /** The organization's members: its workspaces' ids and their revision (see {@code OrganizationStore.Members}). */
    public static Map<String, AttributeValue> members(String organizationId) {
        return key(organizationPk(organizationId), MEMBERS_SK);
    }

    public static Map<String, AttributeValue> poolBalance(String organizationId, Period period) {
        return key(organizationPk(organizationId), POOL_SK_PREFIX + period);
    }

    public static Map<String, AttributeValue> balance(String workspaceId, Period period) {
        return key(workspacePk(workspaceId), BALANCE_SK_PREFIX + period);
    }

    /** A usage record: one read finds it from its executionId alone (a replay's lookup). */
    public static Map<String, AttributeValue> execution(String workspaceId, String executionId) {
        return key(recordPk(workspaceId, executionId), EXECUTION_SK_PREFIX + executionId);
    }

    /** The ledger line of a record's refund (at most one per record), beside the record. */
    public static Map<String, AttributeValue> refundLine(String workspaceId, String executionId) {
        return key(recordPk(workspaceId, executionId), REFUND_SK_PREFIX + executionId);
    }

    /**
     * The ledger page of a batch's lines of a period from {@code firstSequence} on: on a record partition by that
     * sequence, so pages spread as records do.
     */
    public static Map<String, AttributeValue> ledgerPage(String workspaceId, Period period, long firstSequence) {
        return key(recordPartition(workspaceId, (int) Math.floorMod(firstSequence, (long) RECORD_SHARDS)),
                LEDGER_PAGE_SK_PREFIX + period + "#" + ledgerGsiSk(firstSequence));
    }

    /** The partition of a record: {@code WS#<id>#R<k>}, k a stable hash (String.hashCode is specified) of its id. */
    public static String recordPk(String workspaceId, String executionId) {
        return recordPartition(workspaceId, Math.floorMod(executionId.hashCode(), RECORD_SHARDS));
    }

    /** The record partition {@code shard} (0 to {@value #RECORD_SHARDS} - 1) of a workspace. */
    public static String recordPartition(String workspaceId, int shard) {
        return workspacePk(workspaceId) + "#R" + shard;
    }

    /** The index partition of a ledger line: the period's, by its sequence. */
    public static String ledgerGsiPk(String workspaceId, Period period, long sequence) {
        return ledgerGsiPartition(workspaceId, period, (int) Math.floorMod(sequence, (long) LEDGER_SHARDS));
    }

    /** The index partition {@code shard} (0 to {@value #LEDGER_SHARDS} - 1) of a period's ledger. */
    public static String ledgerGsiPartition(String workspaceId, Period period, int shard) {
        return "LEDGER#" + workspaceId + "#" + period + "#" + shard;
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
