package com.aicredits.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.reset.ResetStore;
import com.aicredits.service.WorkspaceService;
import com.aicredits.store.dynamodb.DynamoDbCreditStore;
import com.aicredits.store.dynamodb.DynamoDbResetStore;
import com.aicredits.store.dynamodb.Keys;
import com.aicredits.testkit.CloudFormationTemplate;
import com.aicredits.testkit.LocalDynamoDb;
import com.aicredits.testkit.TemplateTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/** `make run` on data kept from before GSI2 existed: the index is added and the old workspaces are listed in it. */
class LocalTableUpgradeIntegrationTest {

    @Test
    void aTableFromBeforeTheWorkspaceIndexGetsItAndItsWorkspacesAreListed() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String name = "upgrade-" + UUID.randomUUID();
        CreateTableRequest current = TemplateTable.createTableRequest(CloudFormationTemplate.load(CloudFormationTemplate.find()),
                LocalDynamoDb.TABLE_LOGICAL_ID, name);
        try (DynamoDbClient client = dynamoDb.client()) {
            client.createTable(current.toBuilder()
                    .globalSecondaryIndexes(current.globalSecondaryIndexes().stream()
                            .filter(index -> !index.indexName().equals(Keys.GSI2)).toList())
                    .attributeDefinitions(current.attributeDefinitions().stream()
                            .filter(attribute -> !attribute.attributeName().startsWith("GSI2")).toList())
                    .build());
            WorkspaceService workspaces = new WorkspaceService(new DynamoDbCreditStore(client, name), Clock.systemUTC());
            for (String id : List.of("ws-old-1", "ws-old-2", "ws-old-3")) {
                workspaces.put(id, new WorkspaceSpec(null, "org-old", "Old " + id, "DEV", null, null, null, null, List.of(),
                        null, null));
                // As written before the index existed.
                client.updateItem(b -> b.tableName(name).key(Keys.workspace(id)).updateExpression("REMOVE GSI2PK, GSI2SK"));
            }

            LocalStack.ensureTable(dynamoDb, name);
            LocalStack.ensureTable(dynamoDb, name); // and on every later start, nothing more

            assertThat(client.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes())
                    .extracting(i -> i.indexName()).containsExactlyInAnyOrder("GSI1", "GSI2");
            ResetStore index = new DynamoDbResetStore(client, name);
            List<String> listed = new ArrayList<>();
            for (int shard = 0; shard < index.workspaceShards(); shard++) {
                index.workspaces(shard, null, 100).workspaces().forEach(w -> listed.add(w.workspaceId()));
            }
            assertThat(listed).containsExactlyInAnyOrder("ws-old-1", "ws-old-2", "ws-old-3");
        }
    }
}
