package com.aicredits.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.emulation.template.TemplateTable;
import com.aicredits.testkit.LocalDynamoDb;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/** `make run` on data kept from before an index was added to template.yaml: a clear message, not a broken stack. */
class LocalTableUpgradeIntegrationTest {

    @Test
    void aTableFromBeforeTheWorkspaceIndexIsAClearErrorThatSaysWhatToDo() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String name = "before-gsi2-" + UUID.randomUUID();
        CreateTableRequest current = TemplateTable.createTableRequest(CloudFormationTemplate.load(CloudFormationTemplate.find()),
                LocalDynamoDb.TABLE_LOGICAL_ID, name);
        try (DynamoDbClient client = dynamoDb.client()) {
            client.createTable(current.toBuilder()
                    .globalSecondaryIndexes(current.globalSecondaryIndexes().stream()
                            .filter(index -> !index.indexName().equals(Keys.GSI2)).toList())
                    .attributeDefinitions(current.attributeDefinitions().stream()
                            .filter(attribute -> !attribute.attributeName().startsWith("GSI2")).toList())
                    .build());
        }

        assertThat(dynamoDb.missingIndexes(name)).containsExactly(Keys.GSI2);
        assertThatThrownBy(() -> DevStack.ensureTable(dynamoDb, name)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the local table was created before template.yaml's GSI2; run `make clean-local` to start afresh"
                        + " (the demo data is written again)");
    }

    @Test
    void aTableWithRecordsOnTheBalancesPartitionIsAClearErrorThatSaysWhatToDo() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String name = "records-before-batches-" + UUID.randomUUID();
        DevStack.ensureTable(dynamoDb, name);
        try (DynamoDbClient client = dynamoDb.client()) {
            client.putItem(b -> b.tableName(name).item(Map.of("PK", AttributeValue.fromS("WS#ws-1"),
                    "SK", AttributeValue.fromS("EXEC#run-1"), "body", AttributeValue.fromS("{}"))));
        }

        assertThatThrownBy(() -> DevStack.ensureTable(dynamoDb, name)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run `make clean-local` to start afresh");
    }

    @Test
    void aTableOfTodaysShapeIsLeftAsItIs() {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String name = "current-" + UUID.randomUUID();
        DevStack.ensureTable(dynamoDb, name);
        DevStack.ensureTable(dynamoDb, name);

        assertThat(dynamoDb.missingIndexes(name)).isEmpty();
    }
}
