package com.aicredits.adapter.dynamodb;

import com.aicredits.domain.AddonPackage;
import com.aicredits.domain.Balance;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.Organization;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Byos;
import com.aicredits.domain.Credits;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.Tier;
import com.aicredits.domain.UsageRecord;
import com.aicredits.domain.Workspace;
import com.aicredits.json.LedgerBodies;
import com.aicredits.port.LedgerStore.StoredRecord;
import com.aicredits.port.LedgerStore;
import com.aicredits.port.RefundStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps domain objects to items and back. Balance counters are flat attributes ({@code feature_AI_TASK},
 * {@code day_07}), all present from the period's opening, because DynamoDB cannot ADD into a missing map.
 */
final class Items {
    static final String TYPE = "itemType";
    static final String REVISION = "revision";
    static final String USED = "used";
    static final String VERSION = "version";
    static final String BODY = "body";
    static final String ACTIVITY = "activity";
    static final String REFUNDED_AT = "refundedAt";
    static final String REFUND_REASON = "refundReason";
    /** On a record item only when BYOS: absent (every record stored before BYOS existed) is PLATFORM. */
    static final String MODEL = "model";
    /** The LLM model a run named (absent when it named none): part of the execution's identity, like the model. */
    static final String LLM_MODEL = "llmModel";
    static final String BYOS_FEATURES = "byosFeatures";
    static final String LEDGER_PAGE = "LEDGER_PAGE";
    static final String FIRST_SEQUENCE = "firstSequence";
    static final String EXECUTION_IDS = "executionIds";

    private Items() {
    }

    static Map<String, AttributeValue> workspace(Workspace ws) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.workspace(ws.workspaceId()));
        item.put(TYPE, s("WORKSPACE"));
        item.put(Keys.GSI1PK, s(Keys.organizationGsiPk(ws.organizationId())));
        item.put(Keys.GSI1SK, s(Keys.workspacePk(ws.workspaceId())));
        item.put(Keys.GSI2PK, s(Keys.workspacesGsiPk(Keys.workspaceShard(ws.workspaceId()))));
        item.put(Keys.GSI2SK, s(ws.workspaceId()));
        item.put("workspaceId", s(ws.workspaceId()));
        item.put("organizationId", s(ws.organizationId()));
        item.put("name", s(ws.name()));
        item.put("tier", s(ws.tier().name()));
        item.put("pricingModel", s(ws.pricingModel().name()));
        item.put("casesEnabled", AttributeValue.fromBool(ws.casesEnabled()));
        if (ws.monthlyCredits() != null) {
            item.put("monthlyCredits", n(ws.monthlyCredits()));
        }
        if (ws.agentInstanceLimit() != null) {
            item.put("agentInstanceLimit", n(ws.agentInstanceLimit()));
        }
        item.put("notificationEmails", AttributeValue.fromL(ws.notificationEmails().stream().map(Items::s).toList()));
        if (ws.thresholds() != null) {
            item.put("thresholds", AttributeValue.fromL(ws.thresholds().stream().map(t -> n(t)).toList()));
        }
        item.put("hardLimitPercent", n(ws.hardLimitPercent()));
        if (ws.byos() != null) {
            Map<String, AttributeValue> byos = new HashMap<>(Map.of("enabled", AttributeValue.fromBool(ws.byos().enabled()),
                    "features", AttributeValue.fromL(ws.byos().features().stream().map(f -> s(f.name())).toList())));
            if (ws.byos().provider() != null) {
                byos.put("provider", s(ws.byos().provider()));
            }
            item.put("byos", AttributeValue.fromM(byos));
        }
        if (!ws.addons().isEmpty()) {
            item.put("addons", AttributeValue.fromL(ws.addons().stream().map(a -> AttributeValue.fromM(addon(a))).toList()));
        }
        item.put(VERSION, n(ws.version()));
        return item;
    }

    static Workspace workspace(Map<String, AttributeValue> item) {
        return new Workspace(str(item, "workspaceId"), str(item, "organizationId"), str(item, "name"),
                Tier.valueOf(str(item, "tier")), PricingModel.valueOf(str(item, "pricingModel")),
                item.get("casesEnabled").bool(),
                item.containsKey("monthlyCredits") ? num(item, "monthlyCredits") : null,
                item.containsKey("agentInstanceLimit") ? (int) num(item, "agentInstanceLimit") : null,
                item.get("notificationEmails").l().stream().map(AttributeValue::s).toList(),
                item.containsKey("thresholds") ? item.get("thresholds").l().stream().map(v -> Integer.parseInt(v.n())).toList() : null,
                (int) num(item, "hardLimitPercent"),
                item.containsKey("byos") ? byos(item.get("byos").m()) : null,
                item.containsKey("addons") ? item.get("addons").l().stream().map(v -> addon(v.m())).toList() : List.of(),
                num(item, VERSION));
    }

    private static Byos byos(Map<String, AttributeValue> m) {
        return new Byos(m.get("enabled").bool(), m.containsKey("provider") ? str(m, "provider") : null,
                m.get("features").l().stream().map(v -> Feature.valueOf(v.s())).toList());
    }

    private static Map<String, AttributeValue> addon(AddonPackage a) {
        return Map.of("purchaseId", s(a.purchaseId()), "monthlyCredits", n(a.monthlyCredits()), "term", s(a.term().name()),
                "startPeriod", s(a.startPeriod()), "endPeriod", s(a.endPeriod()), "purchasedAt", s(a.purchasedAt()));
    }

    private static AddonPackage addon(Map<String, AttributeValue> m) {
        return new AddonPackage(str(m, "purchaseId"), num(m, "monthlyCredits"), AddonPackage.Term.valueOf(str(m, "term")),
                str(m, "startPeriod"), str(m, "endPeriod"), str(m, "purchasedAt"));
    }

    /**
     * When the period's first debit refused for the hard limit was refused: written once by a write of its own
     * ({@code DynamoDbCreditStore.markBlocked}), never by the balance's other writes, which leave it as it is.
     */
    static final String BLOCKED_AT = "blockedAt";

    static Map<String, AttributeValue> balance(Balance b) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.balance(b.workspaceId(), b.period()));
        item.put(TYPE, s("BALANCE"));
        item.put("workspaceId", s(b.workspaceId()));
        item.put("organizationId", s(b.organizationId()));
        item.put("period", s(b.period().toString()));
        item.put("baseCredits", n(b.baseCredits()));
        item.put("addonCredits", n(b.addonCredits()));
        item.put("allocated", n(b.allocated()));
        item.put("hardLimitPercent", n(b.hardLimitPercent()));
        item.put("casesEnabled", AttributeValue.fromBool(b.casesEnabled()));
        item.put("pricingModel", s(b.pricingModel().name()));
        // Always written, even empty: an update sets only the attributes that differ, so disabling must overwrite it.
        item.put(BYOS_FEATURES, AttributeValue.fromL(b.byosFeatures().stream().map(f -> s(f.name())).toList()));
        item.put(USED, n(b.used()));
        item.put("sequence", n(b.sequence()));
        item.put(REVISION, n(b.revision()));
        for (Map.Entry<Feature, Credits> feature : b.usedByFeature().entrySet()) {
            item.put(featureAttribute(feature.getKey()), n(feature.getValue()));
        }
        List<Credits> daily = b.dailyCredits();
        for (int day = 1; day <= daily.size(); day++) {
            item.put(dayAttribute(day), n(daily.get(day - 1)));
        }
        item.put("freeExecutions", n(b.freeExecutions()));
        item.put("casesCounted", n(b.casesCounted()));
        for (Map.Entry<Feature, Long> byos : b.byosExecutions().entrySet()) {
            item.put(byosAttribute(byos.getKey()), n(byos.getValue()));
        }
        // Always written: a switch back to the workspace's own allocation overwrites it with false.
        item.put(POOLED, AttributeValue.fromBool(b.pooled()));
        return item;
    }

    /** Whether a workspace's balance draws from its organization's pool this period (absent: it does not). */
    static final String POOLED = "pooled";
    static final String ENABLED = "enabled";

    /** A pool's balance: the ledger's attributes on the organization's partition, and whether the pool is on. */
    static Map<String, AttributeValue> poolBalance(PoolBalance pool) {
        Map<String, AttributeValue> item = balance(pool.ledger());
        item.putAll(Keys.poolBalance(pool.organizationId(), pool.period()));
        item.put(TYPE, s("POOL"));
        item.remove("workspaceId");
        item.remove(POOLED);
        item.put(ENABLED, AttributeValue.fromBool(pool.enabled()));
        return item;
    }

    static PoolBalance poolBalance(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> ledger = new HashMap<>(item);
        ledger.put("workspaceId", item.get("organizationId"));
        return new PoolBalance(item.get(ENABLED).bool(), balance(ledger));
    }

    static Map<String, AttributeValue> organization(Organization org) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.organization(org.organizationId()));
        item.put(TYPE, s("ORGANIZATION"));
        item.put("organizationId", s(org.organizationId()));
        item.put("name", s(org.name()));
        CreditPool pool = org.creditPool();
        if (pool != null) {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put(ENABLED, AttributeValue.fromBool(pool.enabled()));
            if (pool.monthlyCredits() != null) {
                m.put("monthlyCredits", n(pool.monthlyCredits()));
            }
            if (pool.hardLimitPercent() != null) {
                m.put("hardLimitPercent", n(pool.hardLimitPercent()));
            }
            if (pool.thresholds() != null) {
                m.put("thresholds", AttributeValue.fromL(pool.thresholds().stream().map(t -> n(t)).toList()));
            }
            m.put("notificationEmails", AttributeValue.fromL(pool.notificationEmails().stream().map(Items::s).toList()));
            item.put("creditPool", AttributeValue.fromM(m));
        }
        if (!org.addons().isEmpty()) {
            item.put("addons", AttributeValue.fromL(org.addons().stream().map(a -> AttributeValue.fromM(addon(a))).toList()));
        }
        item.put(VERSION, n(org.version()));
        return item;
    }

    /** The organization's members item: its workspaces' ids, and a revision every write of one of them moves. */
    static final String WORKSPACE_IDS = "workspaceIds";

    static Organization organization(Map<String, AttributeValue> item) {
        CreditPool pool = null;
        if (item.containsKey("creditPool")) {
            Map<String, AttributeValue> m = item.get("creditPool").m();
            pool = new CreditPool(m.get(ENABLED).bool(),
                    m.containsKey("monthlyCredits") ? num(m, "monthlyCredits") : null,
                    m.containsKey("hardLimitPercent") ? (int) num(m, "hardLimitPercent") : null,
                    m.containsKey("thresholds") ? m.get("thresholds").l().stream().map(v -> Integer.parseInt(v.n())).toList() : null,
                    m.get("notificationEmails").l().stream().map(AttributeValue::s).toList());
        }
        return new Organization(str(item, "organizationId"), str(item, "name"), pool,
                item.containsKey("addons") ? item.get("addons").l().stream().map(v -> addon(v.m())).toList() : List.of(),
                num(item, VERSION));
    }

    /**
     * The attributes of {@link #balance(Balance)} whose values differ between two balances of one item: what a
     * compare-and-set update sets. Compared field by field, not by building and diffing both items (a debit's hot
     * path: two items of 50 attributes each cost more than the rest of our code); ItemsTest holds it to the diff.
     */
    static Map<String, AttributeValue> balanceChanges(Balance before, Balance after) {
        Map<String, AttributeValue> changed = new LinkedHashMap<>();
        changedS(changed, "workspaceId", before.workspaceId(), after.workspaceId());
        changedS(changed, "organizationId", before.organizationId(), after.organizationId());
        changedS(changed, "period", before.period().toString(), after.period().toString());
        changedN(changed, "baseCredits", before.baseCredits(), after.baseCredits());
        changedN(changed, "addonCredits", before.addonCredits(), after.addonCredits());
        changedN(changed, "allocated", before.allocated(), after.allocated());
        changedN(changed, "hardLimitPercent", before.hardLimitPercent(), after.hardLimitPercent());
        if (before.casesEnabled() != after.casesEnabled()) {
            changed.put("casesEnabled", AttributeValue.fromBool(after.casesEnabled()));
        }
        changedS(changed, "pricingModel", before.pricingModel().name(), after.pricingModel().name());
        if (!before.byosFeatures().equals(after.byosFeatures())) {
            changed.put(BYOS_FEATURES, AttributeValue.fromL(after.byosFeatures().stream().map(f -> s(f.name())).toList()));
        }
        changedN(changed, USED, before.used(), after.used());
        changedN(changed, "sequence", before.sequence(), after.sequence());
        changedN(changed, REVISION, before.revision(), after.revision());
        for (Map.Entry<Feature, Credits> feature : after.usedByFeature().entrySet()) {
            Credits old = before.usedByFeature().get(feature.getKey());
            if (!feature.getValue().equals(old)) {
                changed.put(featureAttribute(feature.getKey()), n(feature.getValue()));
            }
        }
        List<Credits> oldDaily = before.dailyCredits();
        List<Credits> daily = after.dailyCredits();
        for (int day = 1; day <= daily.size(); day++) {
            if (day > oldDaily.size() || !daily.get(day - 1).equals(oldDaily.get(day - 1))) {
                changed.put(dayAttribute(day), n(daily.get(day - 1)));
            }
        }
        changedN(changed, "freeExecutions", before.freeExecutions(), after.freeExecutions());
        changedN(changed, "casesCounted", before.casesCounted(), after.casesCounted());
        if (before.pooled() != after.pooled()) {
            changed.put(POOLED, AttributeValue.fromBool(after.pooled()));
        }
        for (Map.Entry<Feature, Long> byos : after.byosExecutions().entrySet()) {
            if (!byos.getValue().equals(before.byosExecutions().get(byos.getKey()))) {
                changed.put(byosAttribute(byos.getKey()), n(byos.getValue()));
            }
        }
        return changed;
    }

    private static void changedS(Map<String, AttributeValue> changed, String name, String before, String after) {
        if (!after.equals(before)) {
            changed.put(name, s(after));
        }
    }

    private static void changedN(Map<String, AttributeValue> changed, String name, long before, long after) {
        if (before != after) {
            changed.put(name, n(after));
        }
    }

    private static void changedN(Map<String, AttributeValue> changed, String name, Credits before, Credits after) {
        changedN(changed, name, before.hundredths(), after.hundredths());
    }

    static Balance balance(Map<String, AttributeValue> item) {
        Period period = Period.parse(str(item, "period"));
        Map<Feature, Credits> features = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.CHARGEABLE) {
            features.put(feature, credits(item, featureAttribute(feature)));
        }
        List<Credits> daily = new ArrayList<>(period.lengthInDays());
        for (int day = 1; day <= period.lengthInDays(); day++) {
            daily.add(credits(item, dayAttribute(day)));
        }
        // Balances written before BYOS existed have neither attribute: no feature enabled, no BYOS run.
        Map<Feature, Long> byos = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            AttributeValue count = item.get(byosAttribute(feature));
            byos.put(feature, count == null ? 0L : Long.parseLong(count.n()));
        }
        Set<Feature> byosFeatures = EnumSet.noneOf(Feature.class);
        if (item.containsKey(BYOS_FEATURES)) {
            item.get(BYOS_FEATURES).l().forEach(v -> byosFeatures.add(Feature.valueOf(v.s())));
        }
        return new Balance(str(item, "workspaceId"), str(item, "organizationId"), period, credits(item, "baseCredits"),
                credits(item, "addonCredits"), (int) num(item, "hardLimitPercent"), item.get("casesEnabled").bool(),
                PricingModel.valueOf(str(item, "pricingModel")), byosFeatures, credits(item, USED), num(item, "sequence"),
                num(item, REVISION), features, daily, num(item, "freeExecutions"), num(item, "casesCounted"), byos,
                item.containsKey(BLOCKED_AT) ? Instant.parse(item.get(BLOCKED_AT).s()) : null,
                item.containsKey(POOLED) && item.get(POOLED).bool());
    }

    static Map<String, AttributeValue> record(UsageRecord r, String body) {
        return record(r, body, r.sequence());
    }

    /**
     * A record listed in its workspace's ledger at {@code indexSequence}: the body's sequence, but for a pooled run,
     * whose body carries the pool's and whose place in the workspace's list is the workspace's own sequence.
     */
    static Map<String, AttributeValue> record(UsageRecord r, String body, long indexSequence) {
        Map<String, AttributeValue> item = ledgerLine(Keys.execution(r.workspaceId(), r.executionId()), "EXECUTION",
                r.workspaceId(), r.period(), indexSequence, r.activity(), r.feature(), r.creditsConsumed(), body);
        if (r.model() == ExecutionModel.BYOS) {
            item.put(MODEL, s(r.model().name()));
        }
        if (r.llmModel() != null) {
            item.put(LLM_MODEL, s(r.llmModel()));
        }
        return item;
    }

    /** A record listed on its batch's ledger page: the record without an index entry of its own. */
    static Map<String, AttributeValue> unindexed(Map<String, AttributeValue> record) {
        record.remove(Keys.GSI1PK);
        record.remove(Keys.GSI1SK);
        return record;
    }

    /**
     * A ledger page: a batch's lines of a period, {@code executionIds} in sequence order from {@code firstSequence},
     * indexed (GSI1) where its last line would be, so the listing meets it at that line and reads the records by id.
     */
    static Map<String, AttributeValue> ledgerPage(String workspaceId, Period period, long firstSequence, List<String> executionIds) {
        long lastSequence = firstSequence + executionIds.size() - 1;
        Map<String, AttributeValue> item = new HashMap<>(Keys.ledgerPage(workspaceId, period, firstSequence));
        item.put(TYPE, s(LEDGER_PAGE));
        item.put(Keys.GSI1PK, s(Keys.ledgerGsiPk(workspaceId, period, lastSequence)));
        item.put(Keys.GSI1SK, s(Keys.ledgerGsiSk(lastSequence)));
        item.put(FIRST_SEQUENCE, n(firstSequence));
        item.put(EXECUTION_IDS, AttributeValue.fromL(executionIds.stream().map(Items::s).toList()));
        return item;
    }

    /** Whether an index entry of the ledger is a page (else it is one line: a record or a refund line). */
    static boolean isLedgerPage(Map<String, AttributeValue> item) {
        return LEDGER_PAGE.equals(item.get(TYPE).s());
    }

    /** A page's first sequence. */
    static long firstSequence(Map<String, AttributeValue> page) {
        return num(page, FIRST_SEQUENCE);
    }

    /** A page's lines' executionIds, in sequence order. */
    static List<String> executionIds(Map<String, AttributeValue> page) {
        return page.get(EXECUTION_IDS).l().stream().map(AttributeValue::s).toList();
    }

    static StoredRecord storedRecord(Map<String, AttributeValue> item) {
        LedgerStore.Refund refund = item.containsKey(REFUNDED_AT)
                ? new LedgerStore.Refund(str(item, REFUNDED_AT), str(item, REFUND_REASON)) : null;
        return new StoredRecord(str(item, ACTIVITY), str(item, BODY), refund,
                item.containsKey(MODEL) ? ExecutionModel.valueOf(str(item, MODEL)) : ExecutionModel.PLATFORM,
                item.containsKey(LLM_MODEL) ? str(item, LLM_MODEL) : null);
    }

    /** A stored record as a refund needs it: its body read back, its refund, its body as it now stands. */
    static RefundStore.RecordedRun recordedRun(Map<String, AttributeValue> item) {
        StoredRecord stored = storedRecord(item);
        return new RefundStore.RecordedRun(LedgerBodies.read(stored.body()), stored.refund(), currentBody(stored));
    }

    /** The record as lists and the refund answer show it: the debit's body, plus the refund once there is one. */
    static String currentBody(StoredRecord stored) {
        return stored.refund() == null ? stored.body()
                : LedgerBodies.refunded(stored.body(), stored.refund().refundedAt(), stored.refund().reason());
    }

    /** A refund's ledger line: listed with the debits of its period (GSI1), under its own sort key. */
    static Map<String, AttributeValue> refundLine(RefundLine line, String body) {
        return ledgerLine(Keys.refundLine(line.workspaceId(), line.executionId()), "REFUND", line.workspaceId(),
                line.period(), line.sequence(), line.activity(), line.feature(), line.creditsConsumed(), body);
    }

    /** A line of a period's ledger (GSI1: the period's partition, ordered by sequence) with its response body. */
    private static Map<String, AttributeValue> ledgerLine(Map<String, AttributeValue> key, String type, String workspaceId,
                                                          String period, long sequence, String activity, Feature feature,
                                                          Credits creditsConsumed, String body) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(TYPE, s(type));
        item.put(Keys.GSI1PK, s(Keys.ledgerGsiPk(workspaceId, Period.parse(period), sequence)));
        item.put(Keys.GSI1SK, s(Keys.ledgerGsiSk(sequence)));
        item.put(ACTIVITY, s(activity));
        item.put("feature", s(feature.name()));
        item.put("period", s(period));
        item.put("creditsConsumed", n(creditsConsumed));
        item.put(BODY, s(body));
        return item;
    }

    static String featureAttribute(Feature feature) {
        return "feature_" + feature.name();
    }

    static String byosAttribute(Feature feature) {
        return "byos_" + feature.name();
    }

    static String dayAttribute(int dayOfMonth) {
        return dayOfMonth < 10 ? "day_0" + dayOfMonth : "day_" + dayOfMonth;
    }

    /** A string attribute (shared by the stores of this package). */
    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** A number attribute. */
    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** An amount of credits: its hundredths, a whole number (DynamoDB holds them as the domain does). */
    static AttributeValue n(Credits credits) {
        return n(credits.hundredths());
    }

    static Credits credits(Map<String, AttributeValue> item, String name) {
        return Credits.ofHundredths(num(item, name));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        return item.get(name).s();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }
}
