package com.aicredits.adapter.ses;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/** Which SES failures mean "not sent" (safe to send again) and which leave the outcome unknown. */
class SesMailerTest {
    @Test
    void aRefusalOrAConnectionThatNeverOpenedWasNotSent() {
        assertThat(SesMailer.notSent(service(400, "MessageRejected"))).isTrue();
        assertThat(SesMailer.notSent(service(429, "TooManyRequestsException"))).isTrue();
        assertThat(SesMailer.notSent(client(new ConnectException("Connection refused")))).isTrue();
        assertThat(SesMailer.notSent(client(new UnknownHostException("email.eu-west-1.amazonaws.com")))).isTrue();
    }

    @Test
    void aTimeoutAResetOrAServerErrorLeavesTheOutcomeUnknown() {
        assertThat(SesMailer.notSent(service(500, "InternalFailure"))).isFalse();
        assertThat(SesMailer.notSent(service(503, "ServiceUnavailable"))).isFalse();
        assertThat(SesMailer.notSent(client(new SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(SesMailer.notSent(client(new IOException("Connection reset")))).isFalse();
        assertThat(SesMailer.notSent(ApiCallAttemptTimeoutException.create(5_000))).isFalse();
    }

    @Test
    void aRefusalOfTheMessageItselfIsPermanentAndEveryOtherIsTemporary() {
        assertThat(SesMailer.refusedForGood(BadRequestException.builder().statusCode(400)
                .message("Local address contains control or whitespace").build())).isTrue();
        assertThat(SesMailer.refusedForGood(MessageRejectedException.builder().statusCode(400)
                .message("Email address is not verified").build())).isTrue();
        assertThat(SesMailer.refusedForGood(TooManyRequestsException.builder().statusCode(429).build())).isFalse();
        assertThat(SesMailer.refusedForGood(SendingPausedException.builder().statusCode(400).build())).isFalse();
        assertThat(SesMailer.refusedForGood(AccountSuspendedException.builder().statusCode(400).build())).isFalse();
        assertThat(SesMailer.refusedForGood(service(403, "AccessDeniedException"))).isFalse();
        assertThat(SesMailer.refusedForGood(service(500, "InternalFailure"))).isFalse();
        assertThat(SesMailer.refusedForGood(client(new ConnectException("Connection refused")))).isFalse();
    }

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    private static SdkClientException client(Throwable cause) {
        return SdkClientException.builder().message(cause.getMessage()).cause(cause).build();
    }
}
