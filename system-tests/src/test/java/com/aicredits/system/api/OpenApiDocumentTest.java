package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.testkit.OpenApiContract;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** openapi.yaml itself: a valid OpenAPI 3.1 document, exactly template.yaml's routes, examples its schemas accept. */
class OpenApiDocumentTest {
    private final OpenApiContract contract = OpenApiContract.load();

    @Test
    void isAValidOpenApi31DocumentWithNoParserMessage() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(Files.readString(OpenApiContract.documentPath()), null, options);
        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    /** The validator is not a formality: a dangling $ref or a response without its description is reported. */
    @Test
    void theParserReportsABrokenDocument() throws Exception {
        String document = Files.readString(OpenApiContract.documentPath());
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        String danglingRef = document.replace("'#/components/schemas/UsageRecord'}", "'#/components/schemas/NoSuchRecord'}");
        assertThat(new OpenAPIV3Parser().readContents(danglingRef, null, options).getMessages()).isNotEmpty();
        String noDescription = document.replace("          description: released\n", "");
        assertThat(noDescription).isNotEqualTo(document);
        assertThat(new OpenAPIV3Parser().readContents(noDescription, null, options).getMessages()).isNotEmpty();
    }

    @Test
    void documentsExactlyTheRoutesOfTemplateYaml() {
        Set<String> template = HttpApiRoutes.fromTemplate(CloudFormationTemplate.load(CloudFormationTemplate.find())).routes().stream()
                .map(HttpApiRoutes.Route::routeKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(contract.routeKeys())).as("openapi.yaml's operations vs template.yaml's HttpApi routes")
                .isEqualTo(template);
    }

    @Test
    void everyOperationSaysWhoMayCallItAndListsItsErrors() {
        JsonNode paths = contract.document().get("paths");
        List<String> missing = new ArrayList<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (operation.getKey().equals("parameters")) {
                return;
            }
            String name = operation.getKey().toUpperCase() + " " + path.getKey();
            if (!operation.getValue().has("security")) {
                missing.add(name + ": security");
            }
            for (String status : List.of("400", "401", "429", "500")) {
                if (!operation.getValue().path("responses").has(status)) {
                    missing.add(name + ": " + status);
                }
            }
        }));
        assertThat(missing).isEmpty();
    }

    /** The examples are taken from real answers; each must be what its schema accepts (the spot a copy goes stale). */
    @Test
    void everyExampleMatchesItsSchema() {
        List<String> problems = new ArrayList<>();
        int[] checked = {0};
        JsonNode paths = contract.document().get("paths");
        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String base = "/paths/" + path.getKey().replace("/", "~1") + "/" + operation.getKey();
            JsonNode body = operation.getValue().path("requestBody").path("content").path("application/json");
            checkExamples(base + "/requestBody/content/application~1json", body, problems, checked);
            operation.getValue().path("responses").properties().forEach(response -> checkExamples(
                    base + "/responses/" + response.getKey() + "/content/application~1json",
                    response.getValue().path("content").path("application/json"), problems, checked));
        }));
        assertThat(problems).isEmpty();
        assertThat(checked[0]).as("examples checked").isGreaterThanOrEqualTo(15);
    }

    private void checkExamples(String pointer, JsonNode media, List<String> problems, int[] checked) {
        if (media.has("example")) {
            checked[0]++;
            contract.validate(pointer + "/schema", media.get("example")).forEach(m -> problems.add(pointer + " example: " + m));
        }
        media.path("examples").properties().forEach(example -> {
            JsonNode value = example.getValue().has("$ref")
                    ? contract.document().at(example.getValue().get("$ref").asText().substring(1)).get("value")
                    : example.getValue().get("value");
            checked[0]++;
            contract.validate(pointer + "/schema", value).forEach(m -> problems.add(pointer + " example " + example.getKey() + ": " + m));
        });
    }
}
