package com.aicredits.aws;

import com.aicredits.domain.PriceCatalog;
import com.aicredits.service.DebitService;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.CreditStore;
import com.aicredits.store.dynamodb.DynamoDbCreditStore;
import java.time.Clock;

/**
 * The wiring a deployed function uses, built on first use and kept for the container's life (and captured in the
 * SnapStart snapshot). Tests wire the same services to DynamoDB Local through the handlers' other constructor.
 */
public final class Production {
    private Production() {
    }

    private static final class Store {
        static final CreditStore INSTANCE = new DynamoDbCreditStore(AwsClients.dynamoDb(), Env.tableName());

        static {
            SnapStartPriming.register(INSTANCE);
        }
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
