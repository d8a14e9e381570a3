package com.aicredits.app;

import com.aicredits.adapter.AwsClients;
import com.aicredits.adapter.eventbridge.EventBridgePublisher;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.config.Env;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.mail.EmailText;
import com.aicredits.service.Retries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The wiring a deployed function uses: {@link Services} on the container's clients and environment, built on first use
 * and kept for the container's life (and captured in the SnapStart snapshot). Tests build {@link Services} on DynamoDB
 * Local and hand the handlers' other constructor what they take from it.
 */
public final class Production {
    private Production() {
    }

    /** Set by the local stack only (never in template.yaml): the instant its clock starts at, to show a given moment. */
    public static final String CLOCK_START = "AICREDITS_CLOCK_START";

    private static final class Time {
        static final Clock CLOCK = clockFrom(Env.get(CLOCK_START));
    }

    static Clock clockFrom(String start) {
        if (start == null || start.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(start)));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(CLOCK_START + " must be an ISO-8601 instant such as 2026-12-01T07:00:00Z; got '" + start + "'");
        }
    }

    /** The functions' clock: UTC, the system's own on Lambda; it ticks from {@link #CLOCK_START} where that is set. */
    public static Clock clock() {
        return Time.CLOCK;
    }

    /**
     * How long a call keeps retrying contention (lost races, transaction conflicts, throttles, unprocessed keys) before
     * a 503, in milliseconds: template.yaml sets it for every function, well under the function's Timeout.
     */
    public static final String RETRY_BUDGET = "RETRY_BUDGET_MILLIS";

    /**
     * Whether a Cognito user pool's claim names ({@code custom:org_id}, {@code cognito:groups}) count: {@code Cognito}
     * where template.yaml says the issuer is such a pool, else {@code Standard} (see {@link TokenClaims}).
     */
    public static final String TOKEN_CLAIMS = "TOKEN_CLAIMS";

    static Duration retryBudgetFrom(String millis) {
        if (millis == null || millis.isBlank()) {
            return Retries.DEFAULT_BUDGET;
        }
        try {
            long value = Long.parseLong(millis.strip());
            if (value > 0) {
                return Duration.ofMillis(value);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalStateException(RETRY_BUDGET + " must be a positive number of milliseconds such as 10000; got '" + millis + "'");
    }

    private static final class Container {
        static final Services SERVICES = new Services(AwsClients.dynamoDb(), Env.tableName(), clock(),
                PriceCatalogFile.loadDefault(), Production::notifications)
                .withRetries(Retries.within(retryBudgetFrom(Env.get(RETRY_BUDGET))))
                .withTokenClaims(TokenClaims.fromConfiguration(Env.get(TOKEN_CLAIMS)));

        static {
            SnapStartPriming.register(SERVICES.creditStore());
        }
    }

    /** The container's services, wired to its one DynamoDB client; the handlers' no-argument constructors start here. */
    public static Services services() {
        return Container.SERVICES;
    }

    /** SES and EventBridge as the environment configures them; built only by the functions that send (alerts, reset). */
    private static Services.Notifications notifications() {
        return new Services.Notifications(SesMailer.fromEnvironment(), EventBridgePublisher.fromEnvironment(),
                Env.required("USAGE_OVERVIEW_BASE_URL"), Env.get(EmailText.SETTINGS_URL));
    }
}
