package com.aicredits.app;

import com.aicredits.adapter.AwsClients;
import com.aicredits.adapter.eventbridge.EventBridgePublisher;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.observability.Metrics;
import com.aicredits.service.Retries;
import java.time.Clock;

/**
 * The wiring a deployed function uses: {@link Services} on the container's {@link Configuration} (its environment, read
 * once), built on first use and kept for the container's life (and captured in the SnapStart snapshot). Tests, the
 * bench and the local stack build {@link Services} in code and hand the handlers' other constructors what they take.
 */
public final class Production {
    private Production() {
    }

    private static final class Container {
        static final Configuration CONFIGURATION = Configuration.fromEnvironment();
        static final Services SERVICES;

        static {
            Metrics.useNamespace(CONFIGURATION.metricsNamespace());
            SERVICES = services(CONFIGURATION);
            SnapStartPriming.register(SERVICES.creditStore());
        }
    }

    /** The container's configuration, read from its environment on first use. */
    public static Configuration configuration() {
        return Container.CONFIGURATION;
    }

    /** The container's services, wired to its one DynamoDB client; the handlers' no-argument constructors start here. */
    public static Services services() {
        return Container.SERVICES;
    }

    /** Services as {@code configuration} says, on a DynamoDB client of their own and the system's UTC clock. */
    public static Services services(Configuration configuration) {
        return new Services(AwsClients.dynamoDb(configuration.region(), configuration.credentials()), configuration.table(),
                Clock.systemUTC(), PriceCatalogFile.loadDefault(), () -> notifications(configuration))
                .withRetries(Retries.within(configuration.retryBudget()))
                .withTokenClaims(configuration.tokenClaims());
    }

    /** SES and EventBridge as configured; built only by the functions that send (alerts, reset). */
    private static Services.Notifications notifications(Configuration configuration) {
        return new Services.Notifications(
                SesMailer.on(configuration.region(), configuration.credentials(),
                        Configuration.required(Configuration.SENDER_EMAIL, configuration.senderEmail()), configuration.replyToEmail()),
                EventBridgePublisher.onBus(configuration.eventBusName(), configuration.region(), configuration.credentials()),
                Configuration.required(Configuration.OVERVIEW_BASE_URL, configuration.overviewBaseUrl()), configuration.settingsUrl());
    }
}
