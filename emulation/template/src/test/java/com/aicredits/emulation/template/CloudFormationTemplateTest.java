package com.aicredits.emulation.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFormationTemplateTest {

    private static Object value(String yaml) {
        return CloudFormationTemplate.parse("v: " + yaml + "\n").root().get("v");
    }

    @Test
    void shortTagsOnScalarsBecomeTheirLongForm() {
        assertThat(value("!Ref CreditsTable")).isEqualTo(Map.of("Ref", "CreditsTable"));
        assertThat(value("!Sub /aws/lambda/${Fn}")).isEqualTo(Map.of("Fn::Sub", "/aws/lambda/${Fn}"));
        assertThat(value("!Base64 hello")).isEqualTo(Map.of("Fn::Base64", "hello"));
        assertThat(value("!ImportValue shared-vpc")).isEqualTo(Map.of("Fn::ImportValue", "shared-vpc"));
        assertThat(value("!GetAZs ''")).isEqualTo(Map.of("Fn::GetAZs", ""));
        assertThat(value("!Condition IsProd")).isEqualTo(Map.of("Condition", "IsProd"));
    }

    @Test
    void getAttScalarSplitsAtTheFirstDotAndKeepsTheSequenceForm() {
        assertThat(value("!GetAtt CreditsTable.StreamArn"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("CreditsTable", "StreamArn")));
        assertThat(value("!GetAtt Nested.Outputs.ApiUrl"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("Nested", "Outputs.ApiUrl")));
        assertThat(value("!GetAtt [CreditsTable, Arn]"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("CreditsTable", "Arn")));
        assertThatThrownBy(() -> value("!GetAtt NoAttribute"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Resource.Attribute");
    }

    @Test
    void shortTagsOnSequencesAndMappingsNestAsCloudFormationReadsThem() {
        assertThat(value("!Join ['', [a, !Ref B]]"))
                .isEqualTo(Map.of("Fn::Join", List.of("", List.of("a", Map.of("Ref", "B")))));
        assertThat(value("!Select [0, !GetAZs '']"))
                .isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))));
        assertThat(value("!Split [',', !Ref List]"))
                .isEqualTo(Map.of("Fn::Split", List.of(",", Map.of("Ref", "List"))));
        assertThat(value("!If [IsProd, 1024, !Ref AWS::NoValue]"))
                .isEqualTo(Map.of("Fn::If", List.of("IsProd", 1024, Map.of("Ref", "AWS::NoValue"))));
        assertThat(value("!Not [!Equals [!Ref Stage, prod]]"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "prod")))));
        assertThat(value("!And [!Condition A, !Or [!Condition B, !Condition C]]"))
                .isEqualTo(Map.of("Fn::And", List.of(Map.of("Condition", "A"),
                        Map.of("Fn::Or", List.of(Map.of("Condition", "B"), Map.of("Condition", "C"))))));
        assertThat(value("!FindInMap [Tiers, !Ref Tier, Credits]"))
                .isEqualTo(Map.of("Fn::FindInMap", List.of("Tiers", Map.of("Ref", "Tier"), "Credits")));
        assertThat(value("!Cidr [10.0.0.0/16, 4, 8]"))
                .isEqualTo(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)));
        assertThat(value("!Sub ['${Api}.${Zone}', {Zone: !Ref Zone}]"))
                .isEqualTo(Map.of("Fn::Sub", List.of("${Api}.${Zone}", Map.of("Zone", Map.of("Ref", "Zone")))));
        assertThat(value("!Base64 {Fn::Sub: x}"))
                .isEqualTo(Map.of("Fn::Base64", Map.of("Fn::Sub", "x")));
    }

    @Test
    void keepsDatesAsStringsAndRefusesWhatCloudFormationRefuses() {
        assertThat(value("2010-09-09")).isEqualTo("2010-09-09");
        assertThatThrownBy(() -> CloudFormationTemplate.parse("a: 1\na: 2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> CloudFormationTemplate.parse("a: !NoSuchTag x\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("!NoSuchTag");
        assertThatThrownBy(() -> CloudFormationTemplate.parse("- a\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheRepositoryTemplateAndLooksUpResources() {
        Path file = CloudFormationTemplate.find();
        assertThat(file.getFileName()).hasToString("template.yaml");
        assertThat(Files.isDirectory(file.getParent().resolve("testkit"))).isTrue();

        CloudFormationTemplate template = CloudFormationTemplate.load(file);
        assertThat(template.path()).contains(file.toAbsolutePath().normalize());
        assertThat(template.root()).containsEntry("Transform", "AWS::Serverless-2016-10-31");
        assertThat(template.resource("CreditsTable")).containsEntry("Type", "AWS::DynamoDB::Table");
        assertThat(template.resourcesOfType("AWS::Serverless::Function"))
                .containsKeys("RecordExecutionFunction", "WorkspaceAdminFunction")
                .allSatisfy((id, resource) -> assertThat(resource).containsEntry("Type", "AWS::Serverless::Function"));
        assertThat(template.resourcesOfType("AWS::Nothing::Here")).isEmpty();
        assertThatThrownBy(() -> template.resource("NoSuchResource"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoSuchResource");
        assertThatThrownBy(() -> template.root().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void effectivePropertiesMergeGlobalsTheWaySamDoes() {
        CloudFormationTemplate template = CloudFormationTemplate.parse("""
        Globals:
          Function:
            Runtime: java25
            Timeout: 15
            Layers: [a]
            Environment:
              Variables:
                TABLE_NAME: !Ref Table
                LEVEL: info
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Timeout: 30
              Layers: [b]
              Environment:
                Variables:
                  LEVEL: debug
          Bare:
            Type: AWS::Serverless::Function
            IgnoreGlobals: [Timeout]
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
        """);

        Map<String, Object> fn = template.effectiveProperties("Fn");
        assertThat(fn).containsEntry("Runtime", "java25").containsEntry("Timeout", 30)
                .containsEntry("Layers", List.of("a", "b"))
                .containsEntry("Environment", Map.of("Variables",
                        Map.of("TABLE_NAME", Map.of("Ref", "Table"), "LEVEL", "debug")));
        assertThat(template.effectiveProperties("Bare")).containsEntry("Runtime", "java25").doesNotContainKey("Timeout");
        assertThat(template.effectiveProperties("Table")).isEqualTo(Map.of("BillingMode", "PAY_PER_REQUEST"));
    }

    @Test
    void writesTheLongFormAsJson() {
        String json = CloudFormationTemplate.parse("Outputs:\n  Arn:\n    Value: !GetAtt T.Arn\n").toJson();
        assertThat(json.replaceAll("\\s", "")).isEqualTo("{\"Outputs\":{\"Arn\":{\"Value\":{\"Fn::GetAtt\":[\"T\",\"Arn\"]}}}}");
    }
}
