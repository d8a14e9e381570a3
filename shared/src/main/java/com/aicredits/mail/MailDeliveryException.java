package com.aicredits.mail;

/** The mail provider did not accept a message; the caller decides whether to retry. */
public final class MailDeliveryException extends RuntimeException {
    public MailDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
