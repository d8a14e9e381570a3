package com.aicredits.mail;

/** Sends email. Implementations throw {@link MailDeliveryException} when the message was not accepted. */
public interface Mailer {
    /** Sends {@code email}; returns the provider's message id. */
    String send(Email email);
}
