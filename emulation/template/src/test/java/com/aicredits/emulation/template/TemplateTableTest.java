package com.aicredits.emulation.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** The local table is built from the real template.yaml; these are the names the code relies on. */
class TemplateTableTest {

    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(CloudFormationTemplate.find());

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    @Test
    void createTableRequestHasTheTemplatesKeysIndexesBillingAndStream() {
        CreateTableRequest request = TemplateTable.createTableRequest(TEMPLATE, "CreditsTable", "credits-test");

        assertThat(request.tableName()).isEqualTo("credits-test");
        assertThat(request.billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(request.provisionedThroughput()).isNull();
        assertThat(request.keySchema()).containsExactly(key("PK", KeyType.HASH), key("SK", KeyType.RANGE));
        assertThat(request.attributeDefinitions())
                .containsExactlyInAnyOrder(string("PK"), string("SK"), string("GSI1PK"), string("GSI1SK"),
                        string("GSI2PK"), string("GSI2SK"));

        assertThat(request.globalSecondaryIndexes()).hasSize(2);
        assertThat(request.globalSecondaryIndexes()).element(0).satisfies(gsi -> {
            assertThat(gsi.indexName()).isEqualTo("GSI1");
            assertThat(gsi.keySchema()).containsExactly(key("GSI1PK", KeyType.HASH), key("GSI1SK", KeyType.RANGE));
            assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.ALL);
            assertThat(gsi.provisionedThroughput()).isNull();
        });
        assertThat(request.globalSecondaryIndexes()).element(1).satisfies(gsi -> {
            assertThat(gsi.indexName()).isEqualTo("GSI2");
            assertThat(gsi.keySchema()).containsExactly(key("GSI2PK", KeyType.HASH), key("GSI2SK", KeyType.RANGE));
            assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.ALL);
        });
        assertThat(request.hasLocalSecondaryIndexes()).isFalse();

        assertThat(request.streamSpecification().streamEnabled()).isTrue();
        assertThat(request.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    }

    @Test
    void ttlAttributeIsTheTemplatesExpiresAt() {
        assertThat(TemplateTable.ttlAttribute(TEMPLATE, "CreditsTable")).contains("expiresAt");
    }

    @Test
    void provisionedTablesCarryTheirThroughputAndLocalIndexes() {
        CloudFormationTemplate template = CloudFormationTemplate.parse("""
        Resources:
          T:
            Type: AWS::DynamoDB::Table
            Properties:
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: n, AttributeType: N}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: '2'}
              GlobalSecondaryIndexes:
                - IndexName: ByN
                  KeySchema: [{AttributeName: n, KeyType: HASH}]
                  Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [a, b]}
                  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
              TimeToLiveSpecification: {AttributeName: ttl, Enabled: false}
        """);

        CreateTableRequest request = TemplateTable.createTableRequest(template, "T", "t");

        assertThat(request.billingMode()).isEqualTo(BillingMode.PROVISIONED);
        assertThat(request.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
        assertThat(request.provisionedThroughput().writeCapacityUnits()).isEqualTo(2L);
        GlobalSecondaryIndex gsi = request.globalSecondaryIndexes().getFirst();
        assertThat(gsi.projection().nonKeyAttributes()).containsExactly("a", "b");
        assertThat(gsi.provisionedThroughput().readCapacityUnits()).isEqualTo(1L);
        assertThat(request.streamSpecification()).isNull();
        assertThat(TemplateTable.ttlAttribute(template, "T")).isEmpty();
    }

    @Test
    void refusesWhatItCannotBuildFaithfully() {
        CloudFormationTemplate template = CloudFormationTemplate.parse("""
        Resources:
          Fn:
            Type: AWS::Serverless::Function
          T:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: !If [IsProd, PAY_PER_REQUEST, PROVISIONED]
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
        """);

        assertThatThrownBy(() -> TemplateTable.createTableRequest(template, "Missing", "t"))
                .hasMessageContaining("Missing");
        assertThatThrownBy(() -> TemplateTable.createTableRequest(template, "Fn", "t"))
                .hasMessageContaining("not an AWS::DynamoDB::Table");
        assertThatThrownBy(() -> TemplateTable.createTableRequest(template, "T", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("T.Properties.BillingMode")
                .hasMessageContaining("Fn::If");
    }
}
