package com.aicredits.mail;

import java.util.List;

/** One email to send: recipients, subject, and the same content as plain text and HTML. */
public record Email(List<String> to, String subject, String text, String html) {
    public Email {
        to = List.copyOf(to);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("an email needs at least one recipient");
        }
    }

    /** The same email to {@code recipient} alone. */
    public Email forRecipient(String recipient) {
        return forRecipients(List.of(recipient));
    }

    /** The same email to {@code recipients} (at least one). */
    public Email forRecipients(List<String> recipients) {
        return new Email(recipients, subject, text, html);
    }
}
