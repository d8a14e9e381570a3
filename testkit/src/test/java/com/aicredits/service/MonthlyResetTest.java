package com.aicredits.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Credits;
import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.Workspace;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.mail.Email;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.port.Mailer;
import com.aicredits.port.ResetStore;
import com.aicredits.service.ResetProgress.Outcome;
import com.aicredits.service.ResetProgress.Status;
import com.aicredits.testkit.TestClock;
import com.aicredits.testkit.memory.InMemoryCreditStore;
import com.aicredits.testkit.memory.InMemoryMailer;
import com.aicredits.testkit.memory.InMemoryResetStore;
import com.aicredits.testkit.memory.VirtualRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MonthlyReset on in-memory ports at a fixed time (its sleeps move the clock): its rounds, leases and resumption, each
 * summary once.
 */
class MonthlyResetTest {
    private static final Instant FIRST = Instant.parse("2026-12-01T00:00:30Z");
    private static final Period DECEMBER = Period.of(FIRST);
    private static final Period NOVEMBER = DECEMBER.previous();
    /** Three recipients; the tests that email them have SES refuse the second for good. */
    private static final List<String> THREE = List.of("a@example.com", "bad@example.com", "c@example.com");
    private final TestClock clock = new TestClock(FIRST);
    private final InMemoryCreditStore credits = new InMemoryCreditStore();
    private final InMemoryResetStore resets = new InMemoryResetStore(credits, 4);
    private final InMemoryMailer mailer = new InMemoryMailer();

    private MonthlyReset reset(MonthlyReset.Settings settings, Mailer through) {
        return new MonthlyReset(credits, credits, resets, through, new SummaryEmails("https://overview.example"), clock,
                clock::advance, settings);
    }

    private MonthlyReset reset() {
        return reset(settings(100, 1), mailer);
    }

    private static MonthlyReset.Settings settings(int pageSize, int concurrency) {
        return MonthlyReset.Settings.defaults().withPaging(pageSize, concurrency);
    }

    /** {@code count} workspaces with recipients and a November balance; returns their ids. */
    private List<String> workspacesWithANovember(int count) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(workspaceWithANovember("ws-%02d".formatted(i), "Acme " + i, List.of("admin-" + i + "@example.com")));
        }
        return ids;
    }

    /** A workspace with {@code recipients} and a November balance; returns its id. */
    private String workspaceWithANovember(String id, String name, List<String> recipients) {
        Workspace workspace = new Workspace(id, "org-1", name, Tier.DEV, PricingModel.EXTEND, true, null, null,
                recipients, null, 200, List.of(), 1);
        credits.saveWorkspace(workspace, 0, List.of());
        credits.open(Allocation.opening(workspace, NOVEMBER), 1);
        return id;
    }

    private ResetProgress runAll(MonthlyReset reset, Duration budget) {
        return reset.run(ResetCursor.start(DECEMBER), clock.instant().plus(budget), "invocation-1");
    }

    @Test
    void everyPeriodOpensAndEverySummaryGoesOutOnceAcrossShardsAndPages() {
        List<String> ids = workspacesWithANovember(9);
        ResetProgress progress = runAll(reset(settings(2, 1), mailer), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.OPENED)).isEqualTo(9);
        assertThat(progress.count(Outcome.SENT)).isEqualTo(9);
        assertThat(progress.pages()).isGreaterThanOrEqualTo(5);
        assertThat(mailer.sent()).hasSize(9);
        for (String id : ids) {
            Balance december = credits.balance(id, DECEMBER);
            assertThat(december.used()).isEqualTo(Credits.ZERO);
            assertThat(december.allocated()).isEqualTo(credits.balance(id, NOVEMBER).allocated());
            assertThat(resets.sentMessageId(id, NOVEMBER)).isNotNull();
        }

        ResetProgress again = runAll(reset(), Duration.ofMinutes(10));
        assertThat(again.count(Outcome.ALREADY_OPEN)).isEqualTo(9);
        assertThat(again.count(Outcome.ALREADY_SENT)).isEqualTo(9);
        assertThat(mailer.sent()).hasSize(9);
    }

    @Test
    void onAPoolOfWorkersTheSameOnce() {
        workspacesWithANovember(12);
        ResetProgress progress = runAll(reset(settings(5, 4), mailer), Duration.ofMinutes(10));
        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(mailer.sent()).hasSize(12);
    }

    @Test
    void aPeriodADebitOpenedFirstIsFoundOpenAndAWorkspaceWithoutANovemberHasNothingToSummarize() {
        List<String> ids = workspacesWithANovember(1);
        Workspace workspace = credits.findWorkspace(ids.getFirst(), true).orElseThrow();
        credits.open(Allocation.opening(workspace, DECEMBER), 1);
        Workspace fresh = new Workspace("ws-new", "org-1", "New", Tier.DEV, PricingModel.EXTEND, true, null, null,
                List.of("new@example.com"), null, 200, List.of(), 1);
        credits.saveWorkspace(fresh, 0, List.of());

        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));
        assertThat(progress.count(Outcome.ALREADY_OPEN)).isEqualTo(1);
        assertThat(progress.count(Outcome.OPENED)).isEqualTo(1);
        assertThat(progress.count(Outcome.NOTHING_TO_SUMMARIZE)).isEqualTo(1);
        assertThat(mailer.sent()).hasSize(1);
    }

    @Test
    void aSummaryNotAcceptedIsSentByALaterRound() {
        workspacesWithANovember(3);
        mailer.failNext(InMemoryMailer.Failure.TEMPORARY);
        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.FAILED)).isEqualTo(1);
        assertThat(progress.count(Outcome.SENT)).isEqualTo(3);
        assertThat(mailer.sent()).hasSize(3);
        assertThat(clock.instant()).isAfterOrEqualTo(FIRST.plus(MonthlyReset.Settings.defaults().roundPause()));
    }

    @Test
    void aSummaryThatMayHaveGoneOutIsSentAgainOnlyAfterTheWait() {
        workspacesWithANovember(1);
        mailer.failNext(InMemoryMailer.Failure.OUTCOME_UNKNOWN);
        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.UNCERTAIN)).isEqualTo(1);
        assertThat(mailer.sent()).hasSize(1);
        assertThat(clock.instant()).isAfterOrEqualTo(FIRST.plus(MonthlyReset.UNCERTAIN_RESEND_WAIT));
    }

    @Test
    void aSummaryRefusedForGoodIsParkedNotRetried() {
        workspacesWithANovember(1);
        mailer.refuse("admin-0@example.com");
        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));
        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.PARKED)).isEqualTo(1);
        assertThat(resets.sentMessageId("ws-00", NOVEMBER)).isEqualTo(WorkspaceReset.PARKED);
    }

    /**
     * ws-00 emails three recipients; the email to all three is refused for good (one bad address), so each gets one of
     * their own, and the third's fails once for now ({@code TEMPORARY}: the claim is released at once) or with its
     * outcome unknown (released for a claim after the wait). The next round sends to the third only.
     */
    @ParameterizedTest
    @EnumSource(value = InMemoryMailer.Failure.class, names = {"TEMPORARY", "OUTCOME_UNKNOWN"})
    void aRecipientServedBeforeALaterRecipientsSendFailedIsNotSentTheSummaryAgain(InMemoryMailer.Failure failure) {
        workspaceWithANovember("ws-00", "Acme", THREE);
        mailer.refuse("bad@example.com").failNextTo("c@example.com", failure);
        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(failure == InMemoryMailer.Failure.TEMPORARY ? Outcome.FAILED : Outcome.UNCERTAIN)).isEqualTo(1);
        assertThat(progress.count(Outcome.SENT)).isEqualTo(1);
        assertThat(mailer.sent()).extracting(Email::to).containsExactly(List.of("a@example.com"), List.of("c@example.com"));
        assertThat(resets.sentMessageId("ws-00", NOVEMBER)).isEqualTo("message-2");
        if (failure == InMemoryMailer.Failure.OUTCOME_UNKNOWN) {
            assertThat(clock.instant()).isAfterOrEqualTo(FIRST.plus(MonthlyReset.UNCERTAIN_RESEND_WAIT));
        }
    }

    @Test
    void aSummaryEveryRecipientOfWhichWasServedIsMarkedSentWithoutSending() {
        workspaceWithANovember("ws-00", "Acme", List.of("a@example.com", "bad@example.com"));
        LedgerOwner whose = LedgerOwner.workspace("ws-00");
        // A run served both recipients one by one, then died before it marked the summary sent; its lease is over.
        resets.claimSummary(whose, NOVEMBER, "crashed-run", FIRST, FIRST);
        resets.markSummaryRecipientSent(whose, NOVEMBER, "crashed-run", "a@example.com", "m-1");
        resets.markSummaryRecipientParked(whose, NOVEMBER, "crashed-run", "bad@example.com", "address rejected", FIRST);
        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.SENT)).isEqualTo(1);
        assertThat(mailer.sent()).isEmpty();
        assertThat(resets.sentMessageId("ws-00", NOVEMBER)).isEqualTo("m-1");
    }

    @Test
    void aRunWhoseClaimWasTakenOverWhileItSentToEachRecipientLeavesTheRestToTheNewHolder() {
        workspaceWithANovember("ws-00", "Acme", THREE);
        mailer.refuse("bad@example.com");
        LedgerOwner whose = LedgerOwner.workspace("ws-00");
        Mailer takenOver = email -> {
            String messageId = mailer.send(email);
            // This run's lease runs out during its send to the first recipient, and another run claims the summary.
            clock.advance(Duration.ofMinutes(20));
            assertThat(resets.claimSummary(whose, NOVEMBER, "other-run", clock.instant(), clock.instant().plusSeconds(60)))
                    .isEqualTo(new ResetStore.Claim.Claimed());
            return messageId;
        };
        runAll(reset(settings(100, 1), takenOver), Duration.ofMinutes(10));

        assertThat(mailer.sent()).extracting(Email::to).containsExactly(List.of("a@example.com"));
        assertThat(resets.summary("ws-00", NOVEMBER)).satisfies(marker -> {
            assertThat(marker.sent()).isFalse();
            assertThat(marker.owner()).isEqualTo("other-run");
        });
    }

    @Test
    void aClaimHeldByAnotherRunIsDeferredToItsLeaseThenTakenOver() {
        workspacesWithANovember(1);
        Instant otherLease = FIRST.plus(Duration.ofMinutes(3));
        // Another run claims the summary first, then dies without sending it.
        resets.beforeNextClaim(() -> resets.claimSummary(LedgerOwner.workspace("ws-00"), NOVEMBER, "other-run", FIRST, otherLease));
        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.DEFERRED)).isEqualTo(1);
        assertThat(progress.count(Outcome.SENT)).isEqualTo(1);
        assertThat(clock.instant()).isAfterOrEqualTo(otherLease);
        assertThat(mailer.sent()).hasSize(1);
        assertThat(resets.summary("ws-00", NOVEMBER).claims()).isEqualTo(2);
    }

    @Test
    void aLeaseBeyondTheInvocationHandsTheRoundOnToTheNextInvocation() {
        workspacesWithANovember(1);
        Instant otherLease = FIRST.plus(Duration.ofMinutes(30));
        resets.beforeNextClaim(() -> resets.claimSummary(LedgerOwner.workspace("ws-00"), NOVEMBER, "other-run", FIRST, otherLease));
        ResetProgress first = runAll(reset(), Duration.ofMinutes(5));
        assertThat(first.status()).isEqualTo(Status.CONTINUE);
        assertThat(first.next().notBefore()).isEqualTo(otherLease);
        assertThat(mailer.sent()).isEmpty();

        clock.set(otherLease.plusSeconds(1));
        ResetProgress resumed = reset().run(first.next(), clock.instant().plus(Duration.ofMinutes(5)), "invocation-2");
        assertThat(resumed.status()).isEqualTo(Status.DONE);
        assertThat(mailer.sent()).hasSize(1);
    }

    @Test
    void anInvocationOutOfTimeHandsOnItsCursorAndTheNextFinishesEachSummaryOnce() {
        workspacesWithANovember(8);
        // Each send takes 10 s; the invocation has 50 s and keeps a 20 s reserve.
        Mailer slow = email -> {
            clock.advance(Duration.ofSeconds(10));
            return mailer.send(email);
        };
        ResetProgress first = runAll(reset(settings(1, 1), slow), Duration.ofSeconds(50));
        assertThat(first.status()).isEqualTo(Status.CONTINUE);
        assertThat(mailer.sent()).hasSizeBetween(1, 7);

        ResetProgress next = first;
        int invocations = 1;
        while (next.status() == Status.CONTINUE && invocations < 20) {
            next = reset(settings(1, 1), slow).run(next.next(), clock.instant().plus(Duration.ofSeconds(50)), "invocation-" + ++invocations);
        }
        assertThat(next.status()).isEqualTo(Status.DONE);
        assertThat(mailer.sent()).hasSize(8);
        assertThat(mailer.sent().stream().map(email -> email.to().getFirst()).distinct()).hasSize(8);
    }

    @Test
    void whatIsStillPendingAfterTheLastRoundIsIncomplete() {
        workspacesWithANovember(1);
        InMemoryMailer.Failure[] always = new InMemoryMailer.Failure[10];
        java.util.Arrays.fill(always, InMemoryMailer.Failure.TEMPORARY);
        mailer.failNext(always);
        ResetProgress progress = runAll(reset(), Duration.ofHours(1));
        assertThat(progress.status()).isEqualTo(Status.INCOMPLETE);
        assertThat(progress.next().pending()).isEqualTo(1);
        assertThat(progress.count(Outcome.FAILED)).isEqualTo(MonthlyReset.Settings.defaults().maxRounds());
    }

    @Test
    void aPoolingOrganizationGetsItsPoolOpenedAndOneSummaryAndItsPooledWorkspacesNone() {
        workspacesWithANovember(1);
        PooledOrganization org = new PooledOrganization(credits, new TestClock(Instant.parse("2026-11-20T10:00:00Z")), NOVEMBER);
        org.debitUpTo(85);

        ResetProgress progress = runAll(reset(settings(1, 1), mailer), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.count(Outcome.POOLED)).isEqualTo(2);
        assertThat(progress.poolCount(Outcome.OPENED)).isEqualTo(1);
        assertThat(progress.poolCount(Outcome.SENT)).isEqualTo(1);
        // One summary for the workspace on its own allocation, one for the pool; none for Alpha or Beta.
        assertThat(mailer.sent()).hasSize(2);
        com.aicredits.mail.Email pool = mailer.sent().stream()
                .filter(email -> email.to().contains(PooledOrganization.POOL_RECIPIENT)).findFirst().orElseThrow();
        assertThat(pool.subject()).isEqualTo("[aicredits] Monthly AI credit summary for 2026-11 of the organization's credit pool — Acme Group");
        assertThat(pool.text()).contains("Alpha (ws-alpha)").contains("Beta (ws-beta)")
                .contains(org.pool(NOVEMBER).ledger().used() + " of 1,000 credits");
        assertThat(mailer.sent()).noneMatch(email -> email.to().contains("ws-alpha-admin@example.com")
                || email.to().contains("ws-beta-admin@example.com"));
        assertThat(resets.sentMessageId(LedgerOwner.organization(PooledOrganization.ORG), NOVEMBER)).isNotNull();
        assertThat(org.pool(DECEMBER).enabled()).isTrue();
        assertThat(org.pool(DECEMBER).ledger().allocated()).isEqualTo(Credits.of(1_000));
        assertThat(org.pool(DECEMBER).ledger().used()).isEqualTo(Credits.ZERO);
        assertThat(credits.balance(PooledOrganization.ALPHA, DECEMBER).pooled()).isTrue();

        ResetProgress again = runAll(reset(settings(1, 1), mailer), Duration.ofMinutes(10));
        assertThat(again.poolCount(Outcome.ALREADY_OPEN)).isEqualTo(1);
        assertThat(again.poolCount(Outcome.ALREADY_SENT)).isEqualTo(1);
        assertThat(mailer.sent()).hasSize(2);
    }

    @Test
    void aPoolSummaryThatFailsIsRetriedInALaterRoundAndSentOnce() {
        PooledOrganization org = new PooledOrganization(credits, new TestClock(Instant.parse("2026-11-20T10:00:00Z")), NOVEMBER);
        org.debitUpTo(10);
        mailer.failNext(InMemoryMailer.Failure.TEMPORARY);

        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.poolCount(Outcome.FAILED)).isEqualTo(1);
        assertThat(progress.poolCount(Outcome.SENT)).isEqualTo(1);
        assertThat(mailer.sent()).singleElement().satisfies(email -> assertThat(email.to()).containsExactly(PooledOrganization.POOL_RECIPIENT));
    }

    @Test
    void aPoolRecipientServedBeforeATemporaryFailureIsNotSentThePoolSummaryAgain() {
        PooledOrganization org = new PooledOrganization(credits, new TestClock(Instant.parse("2026-11-20T10:00:00Z")), NOVEMBER, THREE);
        org.debitUpTo(10);
        mailer.refuse("bad@example.com").failNextTo("c@example.com", InMemoryMailer.Failure.TEMPORARY);

        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.status()).isEqualTo(Status.DONE);
        assertThat(progress.poolCount(Outcome.FAILED)).isEqualTo(1);
        assertThat(progress.poolCount(Outcome.SENT)).isEqualTo(1);
        assertThat(mailer.sent()).extracting(Email::to)
                .containsExactly(List.of("a@example.com"), List.of("c@example.com"));
    }

    @Test
    void aDebitThatOpenedThePoolFirstIsFoundNotOverwritten() {
        PooledOrganization org = new PooledOrganization(credits, new TestClock(Instant.parse("2026-11-20T10:00:00Z")), NOVEMBER);
        org.debitUpTo(10);
        new DebitService(credits, PriceCatalogFile.loadDefault(), clock, new VirtualRetries().within(Duration.ofSeconds(10)))
                .record(PooledOrganization.ALPHA, new RecordExecution("december-1", "task.execution", null));
        Balance openedByTheDebit = org.pool(DECEMBER).ledger();
        assertThat(openedByTheDebit.sequence()).isEqualTo(1);

        ResetProgress progress = runAll(reset(), Duration.ofMinutes(10));

        assertThat(progress.poolCount(Outcome.ALREADY_OPEN)).isEqualTo(1);
        assertThat(org.pool(DECEMBER).ledger()).isEqualTo(openedByTheDebit);
        assertThat(mailer.sent()).hasSize(1);
    }
}
