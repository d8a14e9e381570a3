package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalanceChangeTest {
    private static final List<Integer> THRESHOLDS = Workspace.DEFAULT_THRESHOLDS;
    // Early in the month: the forecast needs 24 hours of history, so only thresholds play here.
    private static final Instant AT = Instant.parse("2026-11-01T12:00:00Z");

    private static BalanceChange change(long allocated, long used, boolean debited) {
        Period period = Period.parse("2026-11");
        Balance balance = new Balance("ws", "org", period, Credits.of(allocated), Credits.ZERO, 200, true, PricingModel.EXTEND,
                Credits.of(used), 1, 1, Map.of(), Collections.nCopies(period.lengthInDays(), Credits.ZERO), 0, 0);
        return new BalanceChange(balance, debited, AT);
    }

    @Test
    void aCrossingFollowedByARefundOrAnAddonStillFiresWithTheImageThatReachedIt() {
        BalanceChange crossing = change(500, 401, true);

        assertThat(BalanceChange.due(List.of(crossing, change(500, 389, false)), THRESHOLDS))
                .isEqualTo(Map.of(Alert.threshold(80), crossing));
        assertThat(BalanceChange.due(List.of(crossing, change(10_500, 401, false)), THRESHOLDS))
                .isEqualTo(Map.of(Alert.threshold(80), crossing));
    }

    @Test
    void onlyADebitFires() {
        // A downgrade 5,000 -> 500 with 450 used is 90% without a debit: nothing until the next one.
        assertThat(BalanceChange.due(List.of(change(500, 450, false)), THRESHOLDS)).isEmpty();
        assertThat(BalanceChange.due(List.of(change(500, 450, false), change(500, 451, true)), THRESHOLDS).keySet())
                .containsExactly(Alert.threshold(80), Alert.threshold(90));
    }

    @Test
    void whatFiresIsTheSameHoweverTheChangesAreBatched() {
        List<BalanceChange> changes = List.of(change(500, 395, true), change(500, 401, true), change(500, 389, false),
                change(500, 460, true), change(10_500, 460, false), change(10_500, 470, true), change(500, 520, false));
        Set<Alert> together = BalanceChange.due(changes, THRESHOLDS).keySet();

        // Every split of the sequence into consecutive batches fires the same alerts in all.
        for (int splits = 0; splits < 1 << (changes.size() - 1); splits++) {
            Set<Alert> fired = new LinkedHashSet<>();
            List<BalanceChange> batch = new ArrayList<>();
            for (int i = 0; i < changes.size(); i++) {
                batch.add(changes.get(i));
                if (i == changes.size() - 1 || (splits & 1 << i) != 0) {
                    fired.addAll(BalanceChange.due(batch, THRESHOLDS).keySet());
                    batch = new ArrayList<>();
                }
            }
            assertThat(fired).as("split %s", Integer.toBinaryString(splits)).isEqualTo(together);
        }
        assertThat(together).containsExactly(Alert.threshold(80), Alert.threshold(90));
    }
}
