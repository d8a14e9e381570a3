package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.LedgerBodies;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.service.RefundService.RefundRequest;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RefundService on the in-memory ledger, at a fixed time: once, the running ledger, a lost race, contention. */
class RefundServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-07T12:00:00Z");
    private static final Period PERIOD = Period.of(NOW);
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryCreditStore store = new InMemoryCreditStore();
    private final VirtualRetries time = new VirtualRetries();
    private final DebitService debits = new DebitService(store, PriceCatalogFile.loadDefault(), clock, time.within(Duration.ofSeconds(10)));
    private final RefundService refunds = new RefundService(store, clock, time.within(Duration.ofSeconds(10)));

    RefundServiceTest() {
        store.saveWorkspace(new Workspace("ws-1", "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null, List.of(),
                null, 200, List.of(), 1), 0, List.of());
    }

    private DebitOutcome debit(String executionId, String activity) {
        return debits.record("ws-1", new RecordExecution(executionId, activity, null));
    }

    @Test
    void aRefundReturnsTheCreditsOnceAsTheNextLineOfTheLedger() {
        DebitOutcome refunded = debit("run-1", "case.investigation");
        DebitOutcome other = debit("run-2", "task.execution");
        clock.advance(Duration.ofHours(1));

        RefundService.Refunded first = refunds.refund("ws-1", "run-1", new RefundRequest("aborted"));
        assertThat(first.refundedNow()).isTrue();
        assertThat(first.body()).isEqualTo(LedgerBodies.refunded(refunded.body(), "2026-11-07T13:00:00.000Z", "aborted"));
        List<String> ledger = store.ledgerBodies();
        assertThat(ledger).hasSize(3);
        assertThat(ledger.get(2)).contains("\"creditsConsumed\":" + refunded.record().creditsConsumed().negated(), "\"sequence\":3",
                "\"creditsUsed\":" + other.record().creditsConsumed(), "\"entry\":\"REFUND\"");
        assertThat(store.balance("ws-1", PERIOD).used()).isEqualTo(other.record().creditsConsumed());

        RefundService.Refunded again = refunds.refund("ws-1", "run-1", new RefundRequest("aborted again"));
        assertThat(again.refundedNow()).isFalse();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(store.ledgerBodies()).hasSize(3);
        assertThat(debit("run-1", "case.investigation").body()).isEqualTo(refunded.body());
    }

    @Test
    void aRefundThatLosesTheRaceToADebitIsTheLineAfterIt() {
        debit("run-1", "case.investigation");
        store.beforeEachWrite(write -> debit("run-2", "task.execution"));
        refunds.refund("ws-1", "run-1", new RefundRequest("aborted"));
        assertThat(store.ledgerBodies()).hasSize(3);
        assertThat(store.ledgerBodies().get(2)).contains("\"sequence\":3", "\"entry\":\"REFUND\"");
        assertThat(store.balance("ws-1", PERIOD).sequence()).isEqualTo(3);
        assertThat(time.elapsed()).isZero();
    }

    @Test
    void contentionIsRetriedAndThroughTheBudgetIsA503() {
        debit("run-1", "case.investigation");
        debit("run-2", "case.investigation");
        store.contention(3);
        assertThat(refunds.refund("ws-1", "run-1", new RefundRequest("aborted")).refundedNow()).isTrue();
        store.contention(Integer.MAX_VALUE);
        assertThatThrownBy(() -> refunds.refund("ws-1", "run-2", new RefundRequest("aborted")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTENTION));
    }

    @Test
    void anUnknownRecordOrABadReasonIsRefusedWritingNothing() {
        assertThatThrownBy(() -> refunds.refund("ws-1", "run-nothing", new RefundRequest("aborted")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_EXECUTION));
        debit("run-1", "case.investigation");
        assertThatThrownBy(() -> refunds.refund("ws-1", "run-1", new RefundRequest(" ")))
                .isInstanceOfSatisfying(CreditsException.class, e -> assertThat(e.subject()).isEqualTo("reason"));
        assertThat(store.ledgerBodies()).hasSize(1);
    }
}
