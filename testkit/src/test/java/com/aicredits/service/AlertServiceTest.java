package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.domain.Credits;
import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Balance;
import com.aicredits.domain.BalanceChange;
import com.aicredits.domain.Charge;
import com.aicredits.domain.Period;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.mail.AlertEmails;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryAlertStore;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.InMemoryEventPublisher;
import com.aicredits.testkit.memory.InMemoryMailer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AlertService on in-memory ports at a fixed time: batches, each alert once, pending markers, the forecast. */
class AlertServiceTest {
    /** Late in the month: usage at 80-90 % by then does not run out before its end, so no forecast fires. */
    private static final Instant LATE = Instant.parse("2026-11-28T12:00:00Z");
    private static final Period NOVEMBER = Period.of(LATE);
    private static final PriceCatalog CATALOG = PriceCatalogFile.loadDefault();
    private final TestClock clock = new TestClock(LATE);
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAlertStore markers = new InMemoryAlertStore(credits);
    private final InMemoryMailer mailer = new InMemoryMailer();
    private final InMemoryEventPublisher events = new InMemoryEventPublisher();
    private final AlertService alerts = new AlertService(markers, mailer, events, new AlertEmails("https://overview.example"), clock);
    private final Workspace workspace = new Workspace("ws-1", "org-1", "Acme", Tier.DEV, PricingModel.EXTEND, true, null, null,
            List.of("a@example.com", "b@example.com"), null, 200, List.of(), 1);

    AlertServiceTest() {
        credits.saveWorkspace(workspace, 0, List.of());
    }

    /** The balance after each debit of task.execution until usage reaches {@code percent} of the allocation. */
    private List<BalanceChange> debitsUpTo(int percent, Instant at) {
        Charge charge = Charge.of(CATALOG.priceAt("task.execution", at), PricingModel.EXTEND);
        Balance balance = Balance.open(workspace, NOVEMBER, Credits.ZERO);
        List<BalanceChange> changes = new ArrayList<>();
        while (balance.used().hundredths() * 100 < (long) percent * balance.allocated().hundredths()) {
            balance = balance.debit(charge, at);
            changes.add(new BalanceChange(balance, true, at));
        }
        return changes;
    }

    private List<Alert> fired() {
        return markers.markers("ws-1", NOVEMBER).stream().map(AlertMarker::alert).toList();
    }

    @Test
    void aBatchCrossingTwoThresholdsFiresEachOnceToEveryRecipient() {
        List<BalanceChange> batch = debitsUpTo(90, LATE);
        alerts.balanceChanged(batch);

        assertThat(fired()).containsExactly(Alert.threshold(80), Alert.threshold(90));
        assertThat(markers.markers("ws-1", NOVEMBER)).allMatch(AlertMarker::delivered);
        assertThat(mailer.sent()).hasSize(4);
        assertThat(events.published()).hasSize(2).allMatch(event -> event.detailType().equals(AlertService.THRESHOLD_EVENT));
        assertThat(events.published().getFirst().detail()).containsEntry("threshold", 80);

        alerts.balanceChanged(batch);
        alerts.balanceChanged(batch.getLast().balance(), true, LATE);
        assertThat(mailer.sent()).hasSize(4);
        assertThat(events.published()).hasSize(2);
    }

    @Test
    void aChangeThatDebitsNothingFiresNothing() {
        List<BalanceChange> batch = debitsUpTo(90, LATE);
        alerts.balanceChanged(batch.getLast().balance(), false, LATE);
        assertThat(fired()).isEmpty();
    }

    @Test
    void aFailedSendLeavesThePendingMarkerAndTheRetryRedoesOnlyWhatIsMissing() {
        List<BalanceChange> batch = debitsUpTo(80, LATE);
        mailer.failNext(InMemoryMailer.Failure.TEMPORARY);
        events.failNext(0);
        assertThatThrownBy(() -> alerts.balanceChanged(batch)).isInstanceOf(MailDeliveryException.class);
        AlertMarker pending = markers.markers("ws-1", NOVEMBER).getFirst();
        assertThat(pending.emailed()).isFalse();
        assertThat(pending.published()).isTrue();
        assertThat(events.published()).hasSize(1);

        alerts.balanceChanged(batch);
        assertThat(markers.markers("ws-1", NOVEMBER).getFirst().delivered()).isTrue();
        assertThat(mailer.sent()).hasSize(2);
        assertThat(events.published()).hasSize(1);
    }

    @Test
    void aFailingBusHoldsBackNeitherTheEmailNorTheOtherAlerts() {
        List<BalanceChange> batch = debitsUpTo(90, LATE);
        events.failNext(1);
        assertThatThrownBy(() -> alerts.balanceChanged(batch)).isInstanceOf(IllegalStateException.class);
        assertThat(mailer.sent()).hasSize(4);
        assertThat(events.published()).hasSize(1);
        alerts.balanceChanged(batch);
        assertThat(events.published()).hasSize(2);
        assertThat(markers.markers("ws-1", NOVEMBER)).allMatch(AlertMarker::delivered);
    }

    @Test
    void aSendThatMayHaveGoneOutIsNotRepeatedBeforeTheWait() {
        List<BalanceChange> batch = debitsUpTo(80, LATE);
        mailer.failNext(InMemoryMailer.Failure.OUTCOME_UNKNOWN);
        assertThatThrownBy(() -> alerts.balanceChanged(batch)).isInstanceOf(MailDeliveryException.class);
        assertThatThrownBy(() -> alerts.balanceChanged(batch)).isInstanceOfSatisfying(AlertService.ResendNotYetDue.class,
                e -> assertThat(e.retryIn()).isEqualTo(AlertService.UNCERTAIN_RESEND_WAIT));
        clock.advance(AlertService.UNCERTAIN_RESEND_WAIT);
        alerts.balanceChanged(batch);
        assertThat(mailer.sent()).hasSize(2);
    }

    @Test
    void aRecipientRefusedForGoodIsParkedAndTheOthersServed() {
        mailer.refuse("a@example.com");
        alerts.balanceChanged(debitsUpTo(80, LATE));
        assertThat(mailer.sent()).hasSize(1);
        assertThat(mailer.sent().getFirst().to()).containsExactly("b@example.com");
        assertThat(markers.markers("ws-1", NOVEMBER).getFirst().delivered()).isTrue();
    }

    @Test
    void theForecastFiresOnceWhenUsageRunsOutBeforeTheEndOfTheMonth() {
        Instant early = Instant.parse("2026-11-07T12:00:00Z");
        clock.set(early);
        List<BalanceChange> batch = debitsUpTo(40, early);
        alerts.balanceChanged(batch);
        assertThat(fired()).containsExactly(Alert.forecast());
        assertThat(mailer.sent()).hasSize(2);
        assertThat(events.published()).isEmpty();
        alerts.balanceChanged(batch);
        assertThat(mailer.sent()).hasSize(2);
    }

    @Test
    void noForecastInTheFirstDayOfTheMonth() {
        Instant firstHours = NOVEMBER.start().plus(Duration.ofHours(3));
        clock.set(firstHours);
        alerts.balanceChanged(debitsUpTo(40, firstHours));
        assertThat(fired()).isEmpty();
    }
}
