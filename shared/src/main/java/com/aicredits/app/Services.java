package com.aicredits.app;

import com.aicredits.adapter.dynamodb.DynamoDbAgentStore;
import com.aicredits.adapter.dynamodb.DynamoDbAlertStore;
import com.aicredits.adapter.dynamodb.DynamoDbCreditStore;
import com.aicredits.adapter.dynamodb.DynamoDbResetStore;
import com.aicredits.adapter.dynamodb.DynamoDbUsageStore;
import com.aicredits.app.http.ExchangeObserver;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.mail.AlertEmails;
import com.aicredits.mail.SummaryEmails;
import com.aicredits.port.CreditStore;
import com.aicredits.port.EventPublisher;
import com.aicredits.port.Mailer;
import com.aicredits.service.AddonService;
import com.aicredits.service.AgentService;
import com.aicredits.service.AlertService;
import com.aicredits.service.DebitService;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.OrganizationService;
import com.aicredits.service.PoolAddonService;
import com.aicredits.service.RefundService;
import com.aicredits.service.Retries;
import com.aicredits.service.UsageService;
import com.aicredits.service.WorkspaceService;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The composition root: every service, built from one DynamoDB client and table, a clock, the price catalog and the
 * notifications (mailer, event publisher, the emails' links). Each handler's no-argument constructor takes its
 * service from {@link Production#services()}; tests, the bench and the local stack build theirs here too, on
 * our DynamoDB engine. The notifications are a supplier, called only by the services that send something, so a function
 * that sends nothing (the debit) never builds an SES or EventBridge client.
 */
public final class Services {
    /** Where alerts and summaries go: the mailer, the event bus, and the links the emails carry. */
    public record Notifications(Mailer mailer, EventPublisher events, String overviewBaseUrl, String settingsUrl) {
        public Notifications {
            Objects.requireNonNull(mailer, "mailer");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(overviewBaseUrl, "overviewBaseUrl");
        }
    }

    /** For wirings that send nothing: a service that would send refuses to be built. */
    public static final Supplier<Notifications> NO_NOTIFICATIONS = () -> {
        throw new IllegalStateException("this wiring sends no notifications; build it withNotifications(...)");
    };

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final PriceCatalog catalog;
    private final Supplier<Notifications> notifications;
    private final Retries retries;
    private final TokenClaims tokenClaims;
    private final ExchangeObserver exchanges;
    private final CreditStore credits;

    /** With the {@linkplain Retries#standard() standard retry budget}. */
    public Services(DynamoDbClient dynamoDb, String table, Clock clock, PriceCatalog catalog, Supplier<Notifications> notifications) {
        this(dynamoDb, table, clock, catalog, notifications, Retries.standard(), TokenClaims.STANDARD, ExchangeObserver.NONE);
    }

    private Services(DynamoDbClient dynamoDb, String table, Clock clock, PriceCatalog catalog, Supplier<Notifications> notifications,
                     Retries retries, TokenClaims tokenClaims, ExchangeObserver exchanges) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.tokenClaims = Objects.requireNonNull(tokenClaims, "tokenClaims");
        this.exchanges = Objects.requireNonNull(exchanges, "exchanges");
        this.credits = new DynamoDbCreditStore(dynamoDb, table, retries);
    }

    /** The deployed price catalog, no notifications: what most tests need. */
    public static Services on(DynamoDbClient dynamoDb, String table, Clock clock) {
        return new Services(dynamoDb, table, clock, PriceCatalogFile.loadDefault(), NO_NOTIFICATIONS);
    }

    public Services withClock(Clock other) {
        return new Services(dynamoDb, table, other, catalog, notifications, retries, tokenClaims, exchanges);
    }

    public Services withCatalog(PriceCatalog other) {
        return new Services(dynamoDb, table, clock, other, notifications, retries, tokenClaims, exchanges);
    }

    public Services withNotifications(Notifications other) {
        return new Services(dynamoDb, table, clock, catalog, () -> other, retries, tokenClaims, exchanges);
    }

    /**
     * How long every service and store keeps retrying contention and unprocessed keys before a 503 (production: the
     * function's configured budget, under its timeout).
     */
    public Services withRetries(Retries other) {
        return new Services(dynamoDb, table, clock, catalog, notifications, other, tokenClaims, exchanges);
    }

    public Retries retries() {
        return retries;
    }

    /** Which token claims name a caller's organization and roles (production: the stack's identity provider). */
    public Services withTokenClaims(TokenClaims other) {
        return new Services(dynamoDb, table, clock, catalog, notifications, retries, other, exchanges);
    }

    public TokenClaims tokenClaims() {
        return tokenClaims;
    }

    /** Who sees each exchange of the HTTP handlers (tests: the OpenAPI contract check; production: nobody). */
    public Services withExchanges(ExchangeObserver other) {
        return new Services(dynamoDb, table, clock, catalog, notifications, retries, tokenClaims, other);
    }

    public ExchangeObserver exchanges() {
        return exchanges;
    }

    /** The wiring's DynamoDB client (one per container in production). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public String table() {
        return table;
    }

    public Clock clock() {
        return clock;
    }

    public PriceCatalog catalog() {
        return catalog;
    }

    /** The one credit store of this wiring (stateless; kept so SnapStart priming and the services share it). */
    public CreditStore creditStore() {
        return credits;
    }

    /** A debit service with its own balance cache, as one container has. */
    public DebitService debits() {
        return new DebitService(credits, catalog, clock, retries);
    }

    public WorkspaceService workspaces() {
        return new WorkspaceService(credits, clock, retries);
    }

    public OrganizationService organizations() {
        return new OrganizationService(credits, clock, retries);
    }

    public AgentService agents() {
        return new AgentService(credits, new DynamoDbAgentStore(dynamoDb, table, retries), clock, retries);
    }

    public AddonService addons() {
        return new AddonService(credits, clock, retries);
    }

    /** The add-on packages of organizations' credit pools. */
    public PoolAddonService poolAddons() {
        return new PoolAddonService(credits, clock, retries);
    }

    public RefundService refunds() {
        return new RefundService(credits, clock, retries);
    }

    public UsageService usage() {
        return new UsageService(new DynamoDbUsageStore(dynamoDb, table, retries), new DynamoDbAlertStore(dynamoDb, table), clock);
    }

    public AlertService alerts() {
        Notifications sending = notifications.get();
        return new AlertService(new DynamoDbAlertStore(dynamoDb, table), sending.mailer(), sending.events(),
                new AlertEmails(sending.overviewBaseUrl(), sending.settingsUrl()), clock);
    }

    /** The monthly reset; {@code sleeper} waits between its retry rounds (Thread::sleep in production). */
    public MonthlyReset monthlyReset(MonthlyReset.Settings settings, MonthlyReset.Sleeper sleeper) {
        Notifications sending = notifications.get();
        return new MonthlyReset(credits, new DynamoDbResetStore(dynamoDb, table, retries), sending.mailer(),
                new SummaryEmails(sending.overviewBaseUrl(), sending.settingsUrl()), clock, sleeper, settings);
    }
}
