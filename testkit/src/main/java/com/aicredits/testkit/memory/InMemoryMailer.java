package com.aicredits.testkit.memory;

import com.aicredits.mail.Email;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Mailer} in memory: keeps what it accepted, in order, with a message id each; fails the next sends, or the next
 * sends to one address alone, as told (refused for now, outcome unknown, refused for good) and always refuses the
 * addresses it is told are bad, as SES refuses a rejected address.
 */
public final class InMemoryMailer implements Mailer {
    /** How a send fails. */
    public enum Failure { TEMPORARY, OUTCOME_UNKNOWN, PERMANENT }

    private final List<Email> sent = new ArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final Map<String, Deque<Failure>> failuresTo = new ConcurrentHashMap<>();
    private final Set<String> refusedAddresses = ConcurrentHashMap.newKeySet();

    /** The next sends fail, one failure each, in order. */
    public synchronized InMemoryMailer failNext(Failure... next) {
        failures.addAll(List.of(next));
        return this;
    }

    /** The next sends to {@code address} alone (an email with no other recipient) fail, one failure each, in order. */
    public synchronized InMemoryMailer failNextTo(String address, Failure... next) {
        failuresTo.computeIfAbsent(address, to -> new ArrayDeque<>()).addAll(List.of(next));
        return this;
    }

    /** Every send to {@code address} is refused for good. */
    public InMemoryMailer refuse(String address) {
        refusedAddresses.add(address);
        return this;
    }

    public synchronized List<Email> sent() {
        return List.copyOf(sent);
    }

    @Override
    public synchronized String send(Email email) {
        Failure failure = failures.poll();
        Deque<Failure> failuresToAlone = email.to().size() == 1 ? failuresTo.get(email.to().getFirst()) : null;
        if (failure == null && failuresToAlone != null) {
            failure = failuresToAlone.poll();
        }
        if (failure != null) {
            throw switch (failure) {
                case TEMPORARY -> new MailDeliveryException("throttled", null);
                case OUTCOME_UNKNOWN -> new MailDeliveryException("timed out", null, true);
                case PERMANENT -> MailDeliveryException.permanent("rejected", null);
            };
        }
        if (email.to().stream().anyMatch(refusedAddresses::contains)) {
            throw MailDeliveryException.permanent("address rejected", null);
        }
        sent.add(email);
        return "message-" + sent.size();
    }
}
