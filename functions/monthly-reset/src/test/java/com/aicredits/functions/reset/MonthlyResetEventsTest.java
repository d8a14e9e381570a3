package com.aicredits.functions.reset;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.app.InvocationContext;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Period;
import com.aicredits.service.ResetCursor;
import com.aicredits.testkit.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/** The events the reset reads and hands on, as the Lambda runtime deserializes them (aws-lambda-java-tests). */
class MonthlyResetEventsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:03Z");
    private static final String ALIAS_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:aicredits-monthly-reset:live";

    private static ScheduledEvent sample() {
        return EventLoader.loadScheduledEvent(ApiEvents.eventsDirectory().resolve("monthly-reset.json").toString());
    }

    @Test
    void theScheduledEventStartsAResetOfTheMonthOfItsTime() {
        assertThat(MonthlyResetHandler.cursor(sample(), NOW)).isEqualTo(ResetCursor.start(Period.parse("2026-12")));
    }

    @Test
    void aContinuationIsTheSameEventWithItsCursorAndReadsBackAsTheRuntimeDeliversIt(@TempDir Path dir) throws Exception {
        ScheduledEvent original = sample();
        ResetCursor cursor = new ResetCursor(Period.parse("2026-12"), 1, 9, "ws-acme-prod", 2, null, null);
        ScheduledEvent next = ScheduledEvents.withDetail(original, Map.of(MonthlyResetHandler.CURSOR, cursor.toMap()));
        Path file = dir.resolve("continuation.json");
        Files.writeString(file, ScheduledEvents.toJson(next), StandardCharsets.UTF_8);

        ScheduledEvent delivered = EventLoader.loadScheduledEvent(file.toString());

        assertThat(delivered.getTime().getMillis()).isEqualTo(original.getTime().getMillis());
        assertThat(delivered.getId()).isEqualTo(original.getId());
        assertThat(delivered.getSource()).isEqualTo("aws.events");
        assertThat(delivered.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(delivered.getResources()).isEqualTo(original.getResources());
        assertThat(MonthlyResetHandler.cursor(delivered, NOW)).isEqualTo(cursor);
        assertThat(original.getDetail()).as("the original is left alone").isEmpty();
    }

    @Test
    void anEventItCannotActOnIsA400() {
        ScheduledEvent future = sample();
        future.setTime(new org.joda.time.DateTime(NOW.plus(Duration.ofMinutes(6)).toEpochMilli()));
        assertRefused(future, "at most 5 minutes in the future");
        ScheduledEvent noTime = sample();
        noTime.setTime(null);
        assertRefused(noTime, "the event has no time");
        ScheduledEvent extra = sample();
        extra.setDetail(Map.of("cursor", ResetCursor.start(Period.parse("2026-12")).toMap(), "force", true));
        assertRefused(extra, "unknown field 'force' in detail");
        ScheduledEvent otherMonth = sample();
        otherMonth.setDetail(Map.of("cursor", ResetCursor.start(Period.parse("2027-01")).toMap()));
        assertRefused(otherMonth, "the cursor resets 2027-01 but the event's time is in 2026-12");
    }

    @Test
    void onAwsTheContinuationIsAnAsynchronousInvocationOfTheRunningAlias() {
        // No Lambda service here: the SDK request is captured just before it would leave, then stopped.
        AtomicReference<InvokeRequest> sent = new AtomicReference<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        ExecutionAttributes attributes) {
                sent.set((InvokeRequest) context.request());
                throw new StopHere();
            }
        };
        LambdaClient lambda = LambdaClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(capture)).build();
        ScheduledEvent next = ScheduledEvents.withDetail(sample(),
                Map.of(MonthlyResetHandler.CURSOR, ResetCursor.start(Period.parse("2026-12")).toMap()));

        assertThatThrownBy(() -> new LambdaSelfInvocation(lambda).submit(next, new InvocationContext("test", "aicredits-monthly-reset", "7", ALIAS_ARN, 1024, null, 0), Duration.ofMinutes(5)))
                .isInstanceOf(StopHere.class);

        assertThat(sent.get().functionName()).isEqualTo(ALIAS_ARN);
        assertThat(sent.get().invocationType()).isEqualTo(InvocationType.EVENT);
        assertThat(sent.get().payload().asUtf8String()).isEqualTo(ScheduledEvents.toJson(next))
                .contains("\"time\":\"2026-12-01T00:00:00Z\"").contains("\"detail\":{\"cursor\":{\"period\":\"2026-12\"");
    }

    private static void assertRefused(ScheduledEvent event, String message) {
        assertThatThrownBy(() -> MonthlyResetHandler.cursor(event, NOW)).isInstanceOf(CreditsException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(Refusals.status((CreditsException) e)).isEqualTo(400));
    }

    private static final class StopHere extends RuntimeException {
    }
}
