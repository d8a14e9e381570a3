package com.aicredits.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemsTest {
    private static final Period DECEMBER = new Period(YearMonth.of(2026, 12));

    private static Balance balance(long used, Map<Feature, Long> features, List<Long> daily) {
        return new Balance("ws", "org", DECEMBER, 10_000, 500, 150, true, PricingModel.EXTEND, used, 7, 9, features, daily, 2, 1);
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
        List<Long> daily = new ArrayList<>(Collections.nCopies(31, 0L));
        daily.set(4, 12L);
        Balance before = balance(12, Map.of(Feature.AI_TASK, 12L), daily);
        List<Long> later = new ArrayList<>(daily);
        later.set(6, 3L);
        Balance after = new Balance("ws", "org", DECEMBER, 10_000, 500, 150, true, PricingModel.EXTEND, 15, 8, 10,
                Map.of(Feature.AI_TASK, 15L), later, 2, 1);

        assertThat(Items.balanceChanges(before, after)).isEqualTo(diff(before, after))
                .containsOnlyKeys("used", "sequence", "revision", "feature_AI_TASK", "day_07");
        assertThat(Items.balanceChanges(before, before)).isEmpty();
    }

    @Test
    void whenEveryFieldDiffersEveryAttributeButTheKeysAndTypeIsSet() {
        Map<Feature, Long> features = new EnumMap<>(Feature.class);
        Map<Feature, Long> otherFeatures = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.CHARGEABLE) {
            features.put(feature, 1L);
            otherFeatures.put(feature, 2L);
        }
        Balance before = new Balance("ws", "org", DECEMBER, 10_000, 500, 150, true, PricingModel.EXTEND, 12, 7, 9, features,
                Collections.nCopies(31, 1L), 2, 1);
        Balance after = new Balance("ws-2", "org-2", new Period(YearMonth.of(2027, 1)), 20_000, 700, 200, false,
                PricingModel.values()[(PricingModel.EXTEND.ordinal() + 1) % PricingModel.values().length], 13, 8, 10,
                otherFeatures, Collections.nCopies(31, 2L), 3, 2);

        Map<String, AttributeValue> changes = Items.balanceChanges(before, after);

        assertThat(changes).isEqualTo(diff(before, after));
        Map<String, AttributeValue> full = Items.balance(after);
        full.keySet().removeAll(List.of(Keys.PK, Keys.SK, Items.TYPE));
        assertThat(changes.keySet()).isEqualTo(full.keySet());
    }
}
