package com.aicredits.mail;

import com.aicredits.aws.AwsClients;
import com.aicredits.aws.Env;
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

    private final SesV2Client ses;
    private final String sender;

    public SesMailer(SesV2Client ses, String sender) {
        this.ses = ses;
        this.sender = sender;
    }

    /** Built once per container, explicit like every client; the sender comes from {@code SENDER_EMAIL}. */
    public static SesMailer fromEnvironment() {
        return new SesMailer(AwsClients.configure(SesV2Client.builder(), SES_ENDPOINT).build(), Env.required("SENDER_EMAIL"));
    }

    @Override
    public String send(Email email) {
        try {
            return ses.sendEmail(b -> b.fromEmailAddress(sender)
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
