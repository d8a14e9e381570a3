package com.aicredits.port;

/**
 * The mail provider did not accept a message, or may have: {@link #outcomeUnknown()} when the call failed after the
 * message may have reached the provider (a timeout, a reset connection, a server error), so that sending it again
 * may deliver it twice. The caller decides whether and when to retry.
 */
public final class MailDeliveryException extends RuntimeException {
    private final boolean outcomeUnknown;

    /** The provider refused the message, or it never reached the provider: it was not sent. */
    public MailDeliveryException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public MailDeliveryException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** True when the message may have been accepted although the call failed. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
