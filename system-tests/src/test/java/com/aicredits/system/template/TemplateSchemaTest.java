package com.aicredits.system.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
  * template.yaml is valid against the official SAM JSON schema (draft-04), once its short-form
  * intrinsics are in their long JSON form. What the schema checks: every {@code AWS::Serverless::*}
  * resource, its properties, events, auth and {@code Globals}, with no unknown property anywhere
  * there. What it does not: plain CloudFormation resources (only their {@code Type}), Parameters and
  * Outputs; cfn-lint covers those.
  */
class TemplateSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchemaFactory factory;
    private static JsonNode schemaNode;
    private static JsonSchema schema;
    private static JsonNode template;
    private static final Map<String, JsonSchema> FOCUSED_SCHEMAS = new HashMap<>();

    /** The repository root (where template.yaml is); the shared schemas sit beside the clone. */
    static Path schemaFile() {
        Path root = CloudFormationTemplate.find().getParent();
        return root.resolve("../shared/schemas/sam.schema.json").normalize();
    }

    @BeforeAll
    static void loadSchemaAndTemplate() throws IOException {
        Path schemaFile = schemaFile();
        assertThat(schemaFile).as("the SAM schema, expected at ../shared/schemas beside the repository").isRegularFile();

        // Draft-04 as the schema declares it, plus the two annotation keywords the SAM schema
        // generator adds. Any other keyword is an error rather than silently ignored, so a schema
        // update that brings a keyword we do not understand cannot weaken the check unnoticed.
        JsonMetaSchema samDraft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                .keyword(new NonValidationKeyword("__samPassThrough"))
                .keyword(new NonValidationKeyword("markdownDescription"))
                .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
                .build();
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder.metaSchema(samDraft4));
        schemaNode = JSON.readTree(schemaFile.toFile());
        schema = factory.getSchema(schemaNode);

        template = JSON.readTree(CloudFormationTemplate.load(CloudFormationTemplate.find()).toJson());
    }

    private static Set<ValidationMessage> validate(JsonNode document) {
        return schema.validate(document);
    }

    /**
      * What is wrong, readably. The schema matches each resource against every resource kind (an
      * anyOf), and each function event against every event kind, so its raw result repeats each error
      * once per kind and adds every other kind's complaints. Here each resource, and each of its
      * events, is checked again against the one kind its {@code Type} names.
      */
    private static String explain(JsonNode document) {
        Set<String> lines = new TreeSet<>();
        schema.validate(document).stream()
                .filter(message -> !message.getInstanceLocation().toString().startsWith("$.Resources."))
                .forEach(message -> lines.add(message.toString()));
        JsonNode resourceKinds = schemaNode.at("/properties/Resources/additionalProperties/anyOf");
        document.path("Resources").properties().forEach(resource -> {
            String at = "$.Resources." + resource.getKey();
            Optional<String> kind = kindOf(resourceKinds, resource.getValue());
            if (kind.isEmpty()) {
                lines.add(at + ".Type: no resource kind of the SAM schema has this type");
                return;
            }
            explain(at, kind.get(), resource.getValue(), ".Properties.Events.", lines);
            String propertiesRef = definition("#/definitions/" + kind.get()).at("/properties/Properties/$ref").asText();
            JsonNode eventKinds = propertiesRef.isEmpty() ? JSON.missingNode()
                    : definition(propertiesRef).at("/properties/Events/additionalProperties/anyOf");
            resource.getValue().path("Properties").path("Events").properties().forEach(event -> {
                String eventAt = at + ".Properties.Events." + event.getKey();
                kindOf(eventKinds, event.getValue()).ifPresentOrElse(
                        eventKind -> explain(eventAt, eventKind, event.getValue(), null, lines),
                        () -> lines.add(eventAt + ".Type: no event kind of the SAM schema has this type"));
            });
        });
        return String.join(System.lineSeparator(), lines);
    }

    /** Validates {@code instance} against one definition; messages under {@code skip} are left out. */
    private static void explain(String at, String definition, JsonNode instance, String skip, Set<String> lines) {
        JsonSchema focused = FOCUSED_SCHEMAS.computeIfAbsent(definition, name -> factory.getSchema(JSON.createObjectNode()
                .put("$schema", schemaNode.path("$schema").asText())
                .put("$ref", "#/definitions/" + name)
                .set("definitions", schemaNode.path("definitions"))));
        focused.validate(instance).forEach(message -> {
            String relative = message.getInstanceLocation().toString().substring(1);
            if (skip == null || !relative.startsWith(skip)) {
                lines.add(at + relative + ": " + message.getError());
            }
        });
    }

    /** Of the anyOf's kinds, the one whose {@code Type} enum names the instance's type, else the generic one. */
    private static Optional<String> kindOf(JsonNode anyOf, JsonNode instance) {
        String type = instance.path("Type").asText();
        Optional<String> generic = Optional.empty();
        for (JsonNode kind : anyOf) {
            String name = kind.path("$ref").asText().substring("#/definitions/".length());
            JsonNode typeSchema = definition("#/definitions/" + name).at("/properties/Type");
            if (!typeSchema.has("enum")) {
                generic = Optional.of(name);
            }
            for (JsonNode allowed : typeSchema.path("enum")) {
                if (allowed.asText().equals(type)) {
                    return Optional.of(name);
                }
            }
        }
        return type.startsWith("AWS::Serverless::") ? Optional.empty() : generic;
    }

    private static JsonNode definition(String ref) {
        return schemaNode.at(ref.substring(1));
    }

    @Test
    void templateIsValidAgainstTheSamSchema() {
        Set<ValidationMessage> messages = validate(template);

        String explanation = messages.isEmpty() ? "" : explain(template);
        if (!messages.isEmpty()) {
            System.out.println("template.yaml against sam.schema.json:" + System.lineSeparator() + explanation);
        }
        assertThat(messages).as("template.yaml against sam.schema.json:%n%s", explanation).isEmpty();
    }

    @Test
    void templateHasTheLongFormIntrinsicsTheSchemaExpects() {
        // A check that passed on an unconverted tree would prove nothing: make sure it is the long form.
        assertThat(template.at("/Globals/Function/Environment/Variables/TABLE_NAME/Ref").asText())
                .isEqualTo("CreditsTable");
        assertThat(template.at("/Outputs/TableStreamArn/Value/Fn::GetAtt").toString())
                .isEqualTo("[\"CreditsTable\",\"StreamArn\"]");
    }

    static Stream<Arguments> misspellings() {
        return Stream.of(
                Arguments.of("Runtim on a function", "/Resources/RecordExecutionFunction/Properties", "Runtim",
                        (Consumer<ObjectNode>) node -> node.put("Runtim", "java25")),
                Arguments.of("Runtim in Globals.Function", "/Globals/Function", "Runtim",
                        (Consumer<ObjectNode>) node -> node.set("Runtim", node.remove("Runtime"))),
                Arguments.of("AuthorizationScope on an HttpApi event",
                        "/Resources/WorkspaceAdminFunction/Properties/Events/PutWorkspace/Properties/Auth", "AuthorizationScope",
                        (Consumer<ObjectNode>) node -> node.set("AuthorizationScope", node.remove("AuthorizationScopes"))),
                Arguments.of("Authorisers on the HttpApi", "/Resources/HttpApi/Properties/Auth", "Authorisers",
                        (Consumer<ObjectNode>) node -> node.set("Authorisers", node.remove("Authorizers"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misspellings")
    void aMisspelledPropertyFailsValidation(String what, String pointer, String misspelled,
            Consumer<ObjectNode> misspell) {
        JsonNode broken = template.deepCopy();
        JsonNode target = broken.at(pointer);
        assertThat(target.isObject()).as("%s exists in template.yaml", pointer).isTrue();
        misspell.accept((ObjectNode) target);

        Set<ValidationMessage> messages = validate(broken);

        assertThat(messages).as("validation of a template with %s", what).isNotEmpty();
        String explanation = explain(broken);
        System.out.println(what + ":" + System.lineSeparator() + explanation);
        assertThat(explanation).as("the explanation of %s", what)
                .isEqualTo("$" + pointer.replace('/', '.') + ": property '" + misspelled
                        + "' is not defined in the schema and the schema does not allow additional properties");
    }
}
