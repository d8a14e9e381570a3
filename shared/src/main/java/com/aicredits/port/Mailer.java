package com.aicredits.port;

import com.aicredits.mail.Email;

/** Sends email. Implementations throw {@link MailDeliveryException} when the message was not accepted. */
public interface Mailer {
    /** Sends {@code email}; returns the provider's message id. */
    String send(Email email);
}
