package com.aicredits.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemsTest {
    private static final Period DECEMBER = new Period(YearMonth.of(2026, 12));

    private static final Credits BASE = Credits.of(10_000);
    private static final Credits ADDONS = Credits.of(500);

    private static Balance balance(long used, Map<Feature, Credits> features, List<Credits> daily) {
        return new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND, Credits.of(used), 7, 9, features, daily, 2, 1);
    }

    /** What an update must set: every attribute of the full item whose value differs (never the keys: one item). */
    private static Map<String, AttributeValue> diff(Balance before, Balance after) {
        Map<String, AttributeValue> old = Items.balance(before);
        Map<String, AttributeValue> changed = new HashMap<>(Items.balance(after));
        changed.entrySet().removeIf(e -> e.getValue().equals(old.get(e.getKey())));
        changed.keySet().removeAll(List.of(Keys.PK, Keys.SK));
        return changed;
    }

    @Test
    void aDebitsChangesAreExactlyTheAttributesThatDifferInTheFullItems() {
        List<Credits> daily = new ArrayList<>(Collections.nCopies(31, Credits.ZERO));
        daily.set(4, Credits.of(12));
        Balance before = balance(12, Map.of(Feature.AI_TASK, Credits.of(12)), daily);
        List<Credits> later = new ArrayList<>(daily);
        later.set(6, Credits.parse("2.75"));
        Balance after = new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND, Credits.parse("14.75"), 8, 10,
                Map.of(Feature.AI_TASK, Credits.parse("14.75")), later, 2, 1);

        assertThat(Items.balanceChanges(before, after)).isEqualTo(diff(before, after))
                .containsOnlyKeys("used", "sequence", "revision", "feature_AI_TASK", "day_07");
        assertThat(Items.balanceChanges(before, before)).isEmpty();
    }

    @Test
    void aByosRunChangesItsCounterAndAnEnablingChangesTheFeatureList() {
        List<Credits> daily = Collections.nCopies(31, Credits.ZERO);
        Balance before = new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND, Set.of(),
                Credits.ZERO, 7, 9, Map.of(), daily, 0, 0, Map.of());
        Balance enabled = new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND,
                Set.of(Feature.AI_AGENT), Credits.ZERO, 7, 10, Map.of(), daily, 0, 0, Map.of());
        Balance ran = new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND,
                Set.of(Feature.AI_AGENT), Credits.ZERO, 8, 11, Map.of(), daily, 0, 0, Map.of(Feature.AI_AGENT, 1L));

        assertThat(Items.balanceChanges(before, enabled)).isEqualTo(diff(before, enabled)).containsKey(Items.BYOS_FEATURES);
        assertThat(Items.balanceChanges(enabled, ran)).isEqualTo(diff(enabled, ran))
                .containsOnlyKeys("sequence", "revision", Items.byosAttribute(Feature.AI_AGENT));
    }

    @Test
    void whenEveryFieldDiffersEveryAttributeButTheKeysAndTypeIsSet() {
        Map<Feature, Credits> features = new EnumMap<>(Feature.class);
        Map<Feature, Credits> otherFeatures = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.CHARGEABLE) {
            features.put(feature, Credits.of(1));
            otherFeatures.put(feature, Credits.of(2));
        }
        Map<Feature, Long> byosRuns = new EnumMap<>(Feature.class);
        Map<Feature, Long> otherByosRuns = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            byosRuns.put(feature, 1L);
            otherByosRuns.put(feature, 2L);
        }
        Balance before = new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND,
                Set.of(Feature.AI_AGENT), Credits.of(12), 7, 9, features, Collections.nCopies(31, Credits.of(1)), 2, 1, byosRuns);
        Balance after = new Balance("ws-2", "org-2", new Period(YearMonth.of(2027, 1)), Credits.of(20_000), Credits.of(700), 200, false,
                PricingModel.values()[(PricingModel.EXTEND.ordinal() + 1) % PricingModel.values().length],
                Set.of(Feature.AI_TASK), Credits.of(13), 8, 10, otherFeatures, Collections.nCopies(31, Credits.of(2)), 3, 2, otherByosRuns, null, true);

        Map<String, AttributeValue> changes = Items.balanceChanges(before, after);

        assertThat(changes).isEqualTo(diff(before, after));
        Map<String, AttributeValue> full = Items.balance(after);
        full.keySet().removeAll(List.of(Keys.PK, Keys.SK, Items.TYPE));
        assertThat(changes.keySet()).isEqualTo(full.keySet());
    }

    /**
     * Each component of Balance changed alone gives exactly the attributes its full item changes: a field added to the
     * record and to {@link Items#balance(Balance)} but forgotten in {@link Items#balanceChanges} would be lost on every
     * update, so this walks the record's components instead of a hand-kept list.
     */
    @Test
    void everyComponentOfABalanceChangedAloneIsWritten() throws Exception {
        Map<Feature, Credits> features = new EnumMap<>(Feature.class);
        Map<Feature, Long> byosRuns = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            byosRuns.put(feature, 1L);
        }
        for (Feature feature : Feature.CHARGEABLE) {
            features.put(feature, Credits.of(1));
        }
        Balance base = new Balance("ws", "org", DECEMBER, BASE, ADDONS, 150, true, PricingModel.EXTEND, Set.of(Feature.AI_AGENT),
                Credits.of(12), 7, 9, features, Collections.nCopies(31, Credits.of(1)), 2, 1, byosRuns);
        RecordComponent[] components = Balance.class.getRecordComponents();
        Constructor<Balance> canonical = Balance.class.getDeclaredConstructor(
                java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        for (int changed = 0; changed < components.length; changed++) {
            if (components[changed].getType() == Period.class) {
                continue; // the daily counters' length depends on it: changed with every field at once above
            }
            if (components[changed].getName().equals("blockedAt")) {
                // Written once by a write of its own (DynamoDbCreditStore.markBlocked), never by a balance update, which
                // leaves it as it is: neither the full item nor an update carries it.
                Object[] values = new Object[components.length];
                for (int i = 0; i < components.length; i++) {
                    values[i] = components[i].getAccessor().invoke(base);
                }
                values[changed] = java.time.Instant.parse("2026-12-10T00:00:00Z");
                Balance blocked = canonical.newInstance(values);
                assertThat(Items.balanceChanges(base, blocked)).isEmpty();
                assertThat(Items.balanceChanges(blocked, blocked.debit(
                        com.aicredits.domain.Charge.of(com.aicredits.json.PriceCatalogFile.loadDefault()
                                .priceAt("agent.execution", java.time.Instant.parse("2026-12-10T00:00:00Z")),
                                PricingModel.EXTEND, com.aicredits.domain.ExecutionModel.PLATFORM),
                        java.time.Instant.parse("2026-12-10T00:00:00Z")))).doesNotContainKey("blockedAt");
                assertThat(Items.balance(blocked)).doesNotContainKey("blockedAt");
                continue;
            }
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(base);
            }
            values[changed] = different(components[changed].getName(), values[changed]);
            Balance after = canonical.newInstance(values);

            assertThat(Items.balanceChanges(base, after)).as(components[changed].getName())
                    .isEqualTo(diff(base, after)).isNotEmpty();
        }
    }

    private static Object different(String component, Object value) {
        return switch (value) {
            case String text -> text + "-2";
            case Long number -> number + 1;
            case Integer number -> number + 1;
            case Boolean flag -> !flag;
            case PricingModel model -> PricingModel.values()[(model.ordinal() + 1) % PricingModel.values().length];
            case Set<?> set -> set.isEmpty() ? Set.of(Feature.AI_TASK) : Set.of();
            case Credits credits -> credits.plus(Credits.parse("0.25"));
            case Map<?, ?> map -> {
                Map<Feature, Object> other = new EnumMap<>(Feature.class);
                map.forEach((feature, amount) -> other.put((Feature) feature, different(component, amount)));
                yield other;
            }
            case List<?> list -> {
                List<Object> other = new ArrayList<>();
                list.forEach(amount -> other.add(different(component, amount)));
                yield other;
            }
            default -> throw new AssertionError("no different value for " + component + " of type " + value.getClass());
        };
    }
}
