package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Balance;
import com.aicredits.domain.BalanceChange;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.mail.AlertEmails;
import com.aicredits.mail.Email;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryAlertStore;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.InMemoryEventPublisher;
import com.aicredits.testkit.memory.InMemoryMailer;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The pool's alerts on in-memory ports, from balances the real debit path wrote: the pool's thresholds once per
 * organization and period to the pool's recipients, by workspace and by feature; none of a pooled workspace's own.
 */
class PoolAlertsTest {
    /** Late in the month: no forecast at these paces. */
    private static final Instant LATE = Instant.parse("2026-11-28T12:00:00Z");
    private static final Period NOVEMBER = Period.of(LATE);
    private static final LedgerOwner POOL = LedgerOwner.organization(PooledOrganization.ORG);
    private final TestClock clock = new TestClock(LATE);
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryAlertStore markers = new InMemoryAlertStore(credits);
    private final InMemoryMailer mailer = new InMemoryMailer();
    private final InMemoryEventPublisher events = new InMemoryEventPublisher();
    private final AlertService alerts = new AlertService(markers, mailer, events, new AlertEmails("https://overview.example"), clock);
    private final PooledOrganization org = new PooledOrganization(credits, clock, NOVEMBER);

    private BalanceChange poolDebited() {
        return new BalanceChange(org.pool(NOVEMBER).ledger(), true, clock.instant());
    }

    private List<Alert> fired(LedgerOwner owner) {
        return markers.markers(owner, NOVEMBER).stream().map(AlertMarker::alert).toList();
    }

    @Test
    void thePoolCrossing80FromTwoWorkspacesEmailsItsRecipientsOnceNamingBoth() {
        org.debitUpTo(80);
        alerts.poolChanged(List.of(poolDebited()));

        assertThat(fired(POOL)).containsExactly(Alert.threshold(80));
        assertThat(mailer.sent()).hasSize(1);
        Email email = mailer.sent().getFirst();
        assertThat(email.to()).containsExactly(PooledOrganization.POOL_RECIPIENT);
        assertThat(email.subject()).isEqualTo("[aicredits] Usage alert: 80% of the organization's monthly AI credits used — Acme Group");
        Balance alpha = credits.balance(PooledOrganization.ALPHA, NOVEMBER);
        Balance beta = credits.balance(PooledOrganization.BETA, NOVEMBER);
        assertThat(alpha.used().plus(beta.used())).isEqualTo(org.pool(NOVEMBER).ledger().used());
        assertThat(email.text())
                .contains("Organization: Acme Group (org-pool), credit pool")
                .contains("By workspace, when this email was written (" + org.pool(NOVEMBER).ledger().used() + " credits in all):")
                .contains("Alpha (ws-alpha): " + alpha.used() + " credits")
                .contains("Beta (ws-beta): " + beta.used() + " credits")
                .contains("Case investigations: " + org.pool(NOVEMBER).ledger().used() + " credits")
                .contains("https://overview.example/?period=2026-11");
        assertThat(email.html()).contains("data-workspace=\"ws-alpha\"").contains("data-workspace=\"ws-beta\"");
        assertThat(events.published()).singleElement().satisfies(event -> assertThat(event.detail())
                .containsEntry("pool", PoolBalance.ORGANIZATION).containsEntry("organizationId", PooledOrganization.ORG)
                .containsEntry("threshold", 80).doesNotContainKey("blockedAt").doesNotContainKey("workspaceId"));

        // The stream delivers it again: nothing more.
        alerts.poolChanged(List.of(poolDebited()));
        assertThat(mailer.sent()).hasSize(1);
        assertThat(events.published()).hasSize(1);
    }

    @Test
    void aPooledWorkspacesOwnBalanceFiresNothingThoughItIsOverItsOwnThresholds() {
        org.debitUpTo(95);
        Balance alpha = credits.balance(PooledOrganization.ALPHA, NOVEMBER);
        // Alpha alone used far more than 80% of its own 500: as its own balance it would fire.
        assertThat(alpha.pooled()).isTrue();
        assertThat(alpha.used().hundredths()).isGreaterThan(400_00);

        alerts.balanceChanged(List.of(new BalanceChange(alpha, true, clock.instant())));

        assertThat(fired(LedgerOwner.workspace(PooledOrganization.ALPHA))).isEmpty();
        assertThat(mailer.sent()).isEmpty();
        assertThat(events.published()).isEmpty();
    }

    @Test
    void aFailedSendToThePoolsRecipientIsRetriedAloneOnRedelivery() {
        org.debitUpTo(90);
        mailer.failNext(InMemoryMailer.Failure.TEMPORARY);
        Assertions.assertThatThrownBy(() -> alerts.poolChanged(List.of(poolDebited()))).isInstanceOf(MailDeliveryException.class);
        assertThat(fired(POOL)).containsExactly(Alert.threshold(80), Alert.threshold(90));

        alerts.poolChanged(List.of(poolDebited()));
        alerts.poolChanged(List.of(poolDebited()));
        assertThat(mailer.sent()).hasSize(2);
        assertThat(mailer.sent()).extracting(Email::subject).containsExactlyInAnyOrder(
                "[aicredits] Usage alert: 80% of the organization's monthly AI credits used — Acme Group",
                "[aicredits] Usage alert: 90% of the organization's monthly AI credits used — Acme Group");
        assertThat(markers.markers(POOL, NOVEMBER)).allMatch(AlertMarker::delivered);
    }

    @Test
    void theFirstPooledRefusalAtTheHardLimitMarksThePoolBlockedAndFiresItsHardLimitAlertOnce() {
        org.debitUntilRefused();
        Balance pool = org.pool(NOVEMBER).ledger();
        assertThat(pool.blockedAt()).isEqualTo(LATE);
        // 12-credit runs stop at 1,992 of the 2,000 limit: the 200% threshold is never reached by usage.
        assertThat(pool.used().hundredths()).isLessThan(2_000_00);
        assertThat(credits.balance(PooledOrganization.ALPHA, NOVEMBER).blockedAt()).isNull();
        org.debitUntilRefused();
        assertThat(org.pool(NOVEMBER).ledger().blockedAt()).isEqualTo(LATE);

        alerts.poolChanged(List.of(new BalanceChange(pool, false, LATE, true)));
        assertThat(fired(POOL)).containsExactly(Alert.threshold(200));
        assertThat(mailer.sent()).singleElement().satisfies(email -> {
            assertThat(email.subject()).startsWith("[aicredits] Usage alert: 200% of the organization's monthly AI credits used");
            assertThat(email.text()).contains("Hard limit reached: paid runs refused");
        });
        assertThat(events.published()).singleElement().satisfies(event -> assertThat(event.detail())
                .containsEntry("threshold", 200).containsEntry("blockedAt", LATE.toString()));
    }

    @Test
    void thePoolsForecastNamesTheOrganization() {
        TestClock early = new TestClock(Instant.parse("2026-11-07T12:00:00Z"));
        InMemoryCreditStore store = new InMemoryCreditStore();
        PooledOrganization fast = new PooledOrganization(store, early, NOVEMBER);
        fast.debitUpTo(50);
        AlertService service = new AlertService(new InMemoryAlertStore(store), mailer, events,
                new AlertEmails("https://overview.example"), early);
        service.poolChanged(List.of(new BalanceChange(fast.pool(NOVEMBER).ledger(), true, early.instant())));

        assertThat(mailer.sent()).singleElement().satisfies(email -> assertThat(email.subject())
                .startsWith("[aicredits] Forecast: the organization's AI credits projected to run out on 2026-11-")
                .endsWith(" — Acme Group"));
    }

    @Test
    void aDisabledPoolsChangeIsNoDebitAndFiresNothing() {
        org.debitUpTo(85);
        alerts.poolChanged(List.of(new BalanceChange(org.pool(NOVEMBER).ledger(), false, LATE)));
        assertThat(fired(POOL)).isEmpty();
        assertThat(mailer.sent()).isEmpty();
    }
}
