package com.aicredits.service;

import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.mail.Email;
import com.aicredits.observability.Log;
import com.aicredits.observability.Metrics;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import com.aicredits.port.ResetStore;
import com.aicredits.port.ResetStore.Claim;
import com.aicredits.service.ResetProgress.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A closed period's summary sent once, a workspace's or an organization's credit pool's alike: its marker is claimed
 * (a conditional write) before the email goes out, and marked sent after, to every recipient SES takes.
 */
final class SummaryDelivery {
    /** What a summary's marker holds as its message id when SES refused it for good to every recipient. */
    static final String PARKED = "parked";

    private final ResetStore resets;
    private final Mailer mailer;
    private final Clock clock;

    SummaryDelivery(ResetStore resets, Mailer mailer, Clock clock) {
        this.resets = resets;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** How the summary ended, and until when a claim it deferred to (or its own uncertain send) holds. */
    record Sent(Outcome outcome, Instant heldUntil) {
    }

    /**
     * Claims {@code whose} summary of {@code closing} for {@code owner} until {@code leaseUntil} and, once it is ours,
     * sends the email {@code email} makes (made only then: it may read what it tells) and marks it sent.
     */
    Sent deliver(LedgerOwner whose, Period closing, String owner, Instant leaseUntil, Supplier<Email> email) {
        switch (resets.claimSummary(whose, closing, owner, clock.instant(), leaseUntil)) {
            case Claim.AlreadySent sent -> {
                return new Sent(Outcome.ALREADY_SENT, null);
            }
            case Claim.HeldUntil held -> {
                return new Sent(Outcome.DEFERRED, held.leaseUntil());
            }
            case Claim.Claimed claimed -> {
                String messageId;
                try {
                    messageId = send(email.get(), whose, closing);
                } catch (RuntimeException e) {
                    if (e instanceof MailDeliveryException mail && mail.outcomeUnknown()) {
                        // SES may have accepted it and cannot be asked: no resend before the wait, at most one more copy.
                        Instant resendFrom = clock.instant().plus(MonthlyReset.UNCERTAIN_RESEND_WAIT);
                        resets.releaseSummary(whose, closing, owner, resendFrom);
                        Log.warn("summary may have been sent; a round after the wait sends it again", idField(whose), whose.id(),
                                "period", closing.toString(), "cause", e.getMessage());
                        return new Sent(Outcome.UNCERTAIN, resendFrom);
                    }
                    resets.releaseSummary(whose, closing, owner, Instant.EPOCH);
                    Log.warn("summary not sent; a later round retries", idField(whose), whose.id(), "period", closing.toString(),
                            "cause", e.getMessage());
                    return new Sent(Outcome.FAILED, null);
                }
                // Between the send and this mark is the one window where a crash sends the summary twice.
                if (!resets.markSummarySent(whose, closing, owner, messageId, clock.instant())) {
                    Log.warn("the claim on the summary ran out before it was marked sent; it may be sent again",
                            idField(whose), whose.id(), "period", closing.toString());
                }
                return new Sent(messageId.equals(PARKED) ? Outcome.PARKED : Outcome.SENT, null);
            }
        }
    }

    /** The log field naming whose summary it is. */
    static String idField(LedgerOwner whose) {
        return whose.isOrganization() ? "organizationId" : "workspaceId";
    }

    /**
     * Sends the summary to all its recipients at once; when SES refuses it for good (an address it will never take),
     * to each recipient alone, so that one bad address does not hold back the others, and the ones SES refuses are
     * parked (logged, metered) rather than retried every round and every month. Returns the message id of a send
     * that went out, or {@link #PARKED} when none did. A temporary failure of a recipient's own send is thrown as any
     * failed send is (a later round sends the summary again, to each recipient: those served here get a second copy).
     */
    private String send(Email email, LedgerOwner whose, Period period) {
        try {
            return mailer.send(email);
        } catch (MailDeliveryException refused) {
            if (!refused.permanent()) {
                throw refused;
            }
            if (email.to().size() == 1) {
                park(email.to().getFirst(), whose, period, refused);
                return PARKED;
            }
        }
        String messageId = PARKED;
        for (String recipient : email.to()) {
            try {
                messageId = mailer.send(email.forRecipient(recipient));
            } catch (MailDeliveryException refused) {
                if (!refused.permanent()) {
                    throw refused;
                }
                park(recipient, whose, period, refused);
            }
        }
        return messageId;
    }

    private static void park(String recipient, LedgerOwner whose, Period period, MailDeliveryException refused) {
        Log.warn("SES refuses the summary to this recipient for good; it is parked, not retried", idField(whose), whose.id(),
                "period", period.toString(), "recipient", recipient, "cause", refused.getMessage());
        Metrics.emailParked("summary", period.toString(), refused.getMessage());
    }
}
