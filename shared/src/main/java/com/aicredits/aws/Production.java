package com.aicredits.aws;

import com.aicredits.domain.PriceCatalog;
import com.aicredits.service.DebitService;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.CreditStore;
import com.aicredits.store.dynamodb.DynamoDbCreditStore;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The wiring a deployed function uses, built on first use and kept for the container's life (and captured in the
 * SnapStart snapshot). Tests wire the same services to DynamoDB Local through the handlers' other constructor.
 */
public final class Production {
    private Production() {
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
        return new DebitService(store(), PriceCatalog.loadDefault(), Clock.systemUTC());
    }

    public static WorkspaceService workspaceService() {
        return new WorkspaceService(store(), Clock.systemUTC());
    }
}
