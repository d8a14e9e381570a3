package com.aicredits.mail;

import com.aicredits.aws.AwsClients;
import com.aicredits.aws.Env;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Message;

/**
 * {@link Mailer} on SES v2. Only the functions that send email put the sesv2 artifact on their classpath (it is
 * optional in {@code shared}), so the debit path's jar does not carry it.
 */
public final class SesMailer implements Mailer {
    /** Set by the local stack only: where the SES emulator listens. */
    public static final String SES_ENDPOINT = "AICREDITS_SES_ENDPOINT";

    /** Optional: where replies go (a team's address; the sender may be a no-reply one). */
    public static final String REPLY_TO = "REPLY_TO_EMAIL";

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

    /**
     * Built once per container, explicit like every client; the sender comes from {@code SENDER_EMAIL}, the Reply-To
     * from {@code REPLY_TO_EMAIL} when set.
     */
    public static SesMailer fromEnvironment() {
        return new SesMailer(AwsClients.configure(SesV2Client.builder(), SES_ENDPOINT).build(), Env.required("SENDER_EMAIL"),
                Env.get(REPLY_TO));
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
            throw new MailDeliveryException("SES did not accept \"" + email.subject() + "\": " + e.getMessage(), e);
        }
    }

    private static Content utf8(String data) {
        return Content.builder().charset("UTF-8").data(data).build();
    }
}
