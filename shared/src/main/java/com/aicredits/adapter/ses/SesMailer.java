package com.aicredits.adapter.ses;

import com.aicredits.adapter.AwsClients;
import com.aicredits.mail.Email;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.port.Mailer;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Message;

/**
 * {@link Mailer} on SES v2. Only the functions that send email put the sesv2 artifact on their classpath (it is
 * optional in {@code shared}), so the debit path's jar does not carry it.
 *
 * <p>SES's SendEmail has no idempotency token and no way to ask whether a message was accepted, so a call that fails
 * after SES may have accepted it (a timeout, a connection reset, a 5xx) is reported as of unknown outcome, and the
 * client never retries it by itself: each such failure sends at most one more copy, when the caller retries. Only a
 * definite refusal (SES answered 4xx, throttling included) or a connection that never opened is retried at once.
 *
 * <p>A refusal of the message itself ({@code BadRequest}: a malformed address or header; {@code MessageRejected}: an
 * address or content SES will not take) is permanent: sending the same message again is refused again, so it is
 * reported as such and the caller parks it. Every other refusal is temporary: throttling and the account's own states
 * ({@code SendingPaused}, {@code AccountSuspended}, {@code MailFromDomainNotVerified}, a missing permission or
 * configuration set), which an operator or time fixes, so the alert waits for them rather than being parked.
 */
public final class SesMailer implements Mailer {
    /**
     * How long one SendEmail attempt may take (SES answers in well under a second): long enough not to cut a slow
     * acceptance short, short enough that the functions see the failure and handle it instead of timing out.
     */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final SesV2Client ses;
    private final String sender;
    private final String replyTo;

    public SesMailer(SesV2Client ses, String sender) {
        this(ses, sender, null);
    }

    /** {@code replyTo}: the Reply-To address, or null (or blank) for none. */
    public SesMailer(SesV2Client ses, String sender, String replyTo) {
        this.ses = ses;
        this.sender = sender;
        this.replyTo = replyTo == null || replyTo.isBlank() ? null : replyTo.strip();
    }

    /** Built once per container, explicit like every client (here, so the functions that send nothing never load SES). */
    public static SesMailer on(Region region, AwsClients.CredentialsSource credentials, String sender, String replyTo) {
        return new SesMailer(AwsClients.configure(SesV2Client.builder(), region, credentials)
                .overrideConfiguration(SesMailer::clientConfiguration).build(), sender, replyTo);
    }

    /** The SES client's retries and timeout (see the class comment); tests build their clients with it too. */
    public static ClientOverrideConfiguration.Builder clientConfiguration(ClientOverrideConfiguration.Builder configuration) {
        return configuration.apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .retryStrategy(DefaultRetryStrategy.standardStrategyBuilder()
                        .useClientDefaults(false)
                        .maxAttempts(3)
                        .retryOnException(SesMailer::notSentAndWorthRetrying)
                        .treatAsThrottling(e -> e instanceof SdkServiceException service && service.isThrottlingException())
                        .build());
    }

    /** SES said no (4xx, throttling included) or was never reached: nothing was sent. */
    static boolean notSent(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            return service.statusCode() >= 400 && service.statusCode() < 500;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** SES refused this very message and would refuse it again (see the class comment). */
    static boolean refusedForGood(Throwable failure) {
        return failure instanceof BadRequestException || failure instanceof MessageRejectedException;
    }

    private static boolean notSentAndWorthRetrying(Throwable failure) {
        return notSent(failure) && (!(failure instanceof SdkServiceException service) || service.isThrottlingException());
    }

    @Override
    public String send(Email email) {
        try {
            return ses.sendEmail(b -> b.fromEmailAddress(sender)
                    .replyToAddresses(replyTo == null ? List.of() : List.of(replyTo))
                    .destination(d -> d.toAddresses(email.to()))
                    .content(c -> c.simple(Message.builder()
                            .subject(utf8(email.subject()))
                            .body(Body.builder().text(utf8(email.text())).html(utf8(email.html())).build())
                            .build())))
                    .messageId();
        } catch (SdkException e) {
            if (refusedForGood(e)) {
                throw MailDeliveryException.permanent("SES refused \"" + email.subject() + "\" for good: " + e.getMessage(), e);
            }
            if (notSent(e)) {
                throw new MailDeliveryException("SES did not accept \"" + email.subject() + "\": " + e.getMessage(), e);
            }
            throw new MailDeliveryException("SES may or may not have accepted \"" + email.subject() + "\": " + e.getMessage(), e, true);
        }
    }

    private static Content utf8(String data) {
        return Content.builder().charset("UTF-8").data(data).build();
    }
}
