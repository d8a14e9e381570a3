package com.aicredits.app;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.service.Retries;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import software.amazon.awssdk.regions.Region;

/**
 * What a deployed function is configured with: the environment Lambda gives it (template.yaml's variables, the region,
 * how credentials are served), read once per container by {@link Production} and checked here, so a bad value stops
 * the container's init with a message naming the variable. The one class of the product that reads the environment
 * ({@code ArchitectureTest}); everything else is handed what it needs.
 *
 * <p>Tests, the bench and the local stack do not come through here: they build {@link Services} in code.
 *
 * @param region           {@code AWS_REGION}, set by Lambda
 * @param credentials      where the SDK finds credentials: the container endpoint under SnapStart, else the environment
 * @param table            {@code TABLE_NAME}
 * @param retryBudget      {@code RETRY_BUDGET_MILLIS}: how long a call keeps retrying contention before a 503
 * @param tokenClaims      {@code TOKEN_CLAIMS}: whether a Cognito user pool's claim names count
 * @param metricsNamespace {@code METRICS_NAMESPACE}
 * @param overviewBaseUrl  {@code USAGE_OVERVIEW_BASE_URL}, the emails' link to the usage overview (null if unset)
 * @param settingsUrl      {@code NOTIFICATION_SETTINGS_URL}, optional: a workspace's notification settings page
 * @param senderEmail      {@code SENDER_EMAIL}, for the functions that send email (null if unset)
 * @param replyToEmail     {@code REPLY_TO_EMAIL}, optional
 * @param eventBusName     {@code EVENT_BUS_NAME}, optional: without one, events are only logged
 * @param resetConcurrency {@code RESET_CONCURRENCY}, optional: how many workspaces the monthly reset handles at once
 */
public record Configuration(Region region, AwsClients.CredentialsSource credentials, String table, Duration retryBudget,
                            TokenClaims tokenClaims, String metricsNamespace, String overviewBaseUrl, String settingsUrl,
                            String senderEmail, String replyToEmail, String eventBusName, OptionalInt resetConcurrency) {
    public static final String REGION = "AWS_REGION";
    public static final String TABLE_NAME = "TABLE_NAME";
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
    /** The metrics namespace; the template sets it per stack. */
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    public static final String DEFAULT_METRICS_NAMESPACE = "aicredits";
    public static final String OVERVIEW_BASE_URL = "USAGE_OVERVIEW_BASE_URL";
    /** Optional: the page of a workspace's notification settings, {@code {workspaceId}} standing for its id. */
    public static final String SETTINGS_URL = "NOTIFICATION_SETTINGS_URL";
    public static final String SENDER_EMAIL = "SENDER_EMAIL";
    /** Optional: where replies go (a team's address; the sender may be a no-reply one). */
    public static final String REPLY_TO_EMAIL = "REPLY_TO_EMAIL";
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    public static final String RESET_CONCURRENCY = "RESET_CONCURRENCY";
    /** Set by Lambda where SnapStart serves credentials from the container endpoint instead of the environment. */
    static final String CONTAINER_CREDENTIALS_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    static final String CONTAINER_CREDENTIALS_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";

    public Configuration {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(retryBudget, "retryBudget");
        Objects.requireNonNull(tokenClaims, "tokenClaims");
        Objects.requireNonNull(metricsNamespace, "metricsNamespace");
        Objects.requireNonNull(resetConcurrency, "resetConcurrency");
    }

    /** The container's environment, read once. */
    public static Configuration fromEnvironment() {
        return from(System.getenv());
    }

    /** {@code environment} as Lambda would set it: unset and blank optional variables alike mean "not configured". */
    public static Configuration from(Map<String, String> environment) {
        return new Configuration(
                Region.of(required(environment, REGION)),
                present(environment, CONTAINER_CREDENTIALS_FULL_URI) || present(environment, CONTAINER_CREDENTIALS_RELATIVE_URI)
                        ? AwsClients.CredentialsSource.CONTAINER : AwsClients.CredentialsSource.ENVIRONMENT,
                required(environment, TABLE_NAME),
                retryBudget(optional(environment, RETRY_BUDGET)),
                TokenClaims.fromConfiguration(optional(environment, TOKEN_CLAIMS)),
                Objects.requireNonNullElse(optional(environment, METRICS_NAMESPACE), DEFAULT_METRICS_NAMESPACE),
                optional(environment, OVERVIEW_BASE_URL),
                optional(environment, SETTINGS_URL),
                optional(environment, SENDER_EMAIL),
                optional(environment, REPLY_TO_EMAIL),
                optional(environment, EVENT_BUS_NAME),
                resetConcurrency(optional(environment, RESET_CONCURRENCY)));
    }

    /** {@code value} of {@code variable}, which this function cannot do without (an email's sender, its link). */
    public static String required(String variable, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " is not set");
        }
        return value;
    }

    private static String required(Map<String, String> environment, String variable) {
        return required(variable, environment.get(variable));
    }

    private static String optional(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean present(Map<String, String> environment, String variable) {
        return environment.get(variable) != null;
    }

    static Duration retryBudget(String millis) {
        if (millis == null) {
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

    static OptionalInt resetConcurrency(String workspaces) {
        if (workspaces == null) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(workspaces.strip());
            if (value > 0) {
                return OptionalInt.of(value);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalStateException(RESET_CONCURRENCY + " must be a positive number of workspaces such as 8; got '" + workspaces + "'");
    }
}
