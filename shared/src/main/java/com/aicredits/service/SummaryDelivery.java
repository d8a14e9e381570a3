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
import java.util.List;
import java.util.function.Supplier;

/**
 * A closed period's summary sent once, a workspace's or an organization's credit pool's alike: its marker is claimed
 * (a conditional write) before the email goes out, and marked sent after, to every recipient SES takes. When it goes
 * to each recipient alone, each one served is marked on the marker, so that a later claim sends only to the others.
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
                    messageId = send(email.get(), whose, closing, owner, claimed);
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
                // Between a send and its mark (this one, or a recipient's in send) is the one window where a crash
                // sends the summary twice (to that send's recipients).
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
     * Sends the summary to all its recipients not served before ({@code claimed}) at once; when SES refuses it for good
     * (an address it will never take), to each of them alone, so that one bad address does not hold back the others,
     * and the ones SES refuses are parked (logged, metered) rather than retried every round and every month. Each
     * recipient served alone (sent or parked) is marked on the marker while the claim is {@code owner}'s. Returns the
     * message id of the last send that went out, here or before, or {@link #PARKED} when none did. A temporary failure
     * of a recipient's own send is thrown as any failed send is: a later round sends the summary to the recipients not
     * marked yet, those served here are not sent it again.
     */
    private String send(Email email, LedgerOwner whose, Period period, String owner, Claim.Claimed claimed) {
        String sentBefore = claimed.messageId() != null ? claimed.messageId() : PARKED;
        List<String> due = email.to().stream().filter(to -> !claimed.recipientsDone().contains(to)).toList();
        if (due.isEmpty()) {
            Log.info("every recipient was served before; the summary is marked sent", idField(whose), whose.id(),
                    "period", period.toString());
            return sentBefore;
        }
        Email toDue = email.forRecipients(due);
        try {
            return mailer.send(toDue);
        } catch (MailDeliveryException refused) {
            if (!refused.permanent()) {
                throw refused;
            }
            if (due.size() == 1) {
                park(due.getFirst(), whose, period, refused);
                return sentBefore;
            }
        }
        String messageId = sentBefore;
        for (String recipient : due) {
            boolean ours;
            try {
                messageId = mailer.send(toDue.forRecipient(recipient));
                ours = resets.markSummaryRecipientSent(whose, period, owner, recipient, messageId);
            } catch (MailDeliveryException refused) {
                if (!refused.permanent()) {
                    throw refused;
                }
                park(recipient, whose, period, refused);
                ours = resets.markSummaryRecipientParked(whose, period, owner, recipient, refused.reason(), clock.instant());
            }
            if (!ours) {
                // Another run claimed the summary since (our lease ran out): it sends to the recipients left.
                break;
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
