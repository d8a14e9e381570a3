package com.aicredits.port;

/**
 * The mail provider did not accept a message, or may have: {@link #outcomeUnknown()} when the call failed after the
 * message may have reached the provider (a timeout, a reset connection, a server error), so that sending it again
 * may deliver it twice; {@link #permanent()} when the provider refused this message for what it is (an address or a
 * content it will never accept), so that sending it again can only be refused again. The caller decides whether and
 * when to retry.
 */
public final class MailDeliveryException extends RuntimeException {
    /** The longest {@link #reason()}. */
    public static final int MAX_REASON_LENGTH = 300;
    private final boolean outcomeUnknown;
    private final boolean permanent;

    /** The provider refused the message for now, or it never reached the provider: it was not sent. */
    public MailDeliveryException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public MailDeliveryException(String message, Throwable cause, boolean outcomeUnknown) {
        this(message, cause, outcomeUnknown, false);
    }

    private MailDeliveryException(String message, Throwable cause, boolean outcomeUnknown, boolean permanent) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
        this.permanent = permanent;
    }

    /** The provider refused this message and will refuse it again (a malformed or rejected address, say): not sent. */
    public static MailDeliveryException permanent(String message, Throwable cause) {
        return new MailDeliveryException(message, cause, false, true);
    }

    /** The provider's message, cut to {@link #MAX_REASON_LENGTH} characters: what a parked recipient's marker keeps. */
    public String reason() {
        String message = String.valueOf(getMessage());
        return message.length() > MAX_REASON_LENGTH ? message.substring(0, MAX_REASON_LENGTH) : message;
    }

    /** True when the message may have been accepted although the call failed. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** True when sending the same message again is pointless: it was refused for what it is, not for now. */
    public boolean permanent() {
        return permanent;
    }
}
