package com.aicredits.aws;

import com.aicredits.domain.PriceCatalog;
import com.aicredits.service.DebitService;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.CreditStore;
import com.aicredits.store.dynamodb.DynamoDbCreditStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The wiring a deployed function uses, built on first use and kept for the container's life (and captured in the
 * SnapStart snapshot). Tests wire the same services to DynamoDB Local through the handlers' other constructor.
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

    private static final class Store {
        static final DynamoDbClient DYNAMODB = AwsClients.dynamoDb();
        static final CreditStore INSTANCE = new DynamoDbCreditStore(DYNAMODB, Env.tableName());

        static {
            SnapStartPriming.register(INSTANCE);
        }
    }

    /** The container's one DynamoDB client, for stores beyond the credit store. */
    public static DynamoDbClient dynamoDb() {
        return Store.DYNAMODB;
    }

    public static CreditStore store() {
        return Store.INSTANCE;
    }

    public static DebitService debitService() {
        return new DebitService(store(), PriceCatalog.loadDefault(), clock());
    }

    public static WorkspaceService workspaceService() {
        return new WorkspaceService(store(), clock());
    }
}
