package com.aicredits.testkit;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API's contract, {@code openapi.yaml} beside template.yaml, checked against real exchanges: parameters,
 * bodies and answers are validated by networknt's JSON Schema validator with the OpenAPI 3.1 dialect, on the schemas
 * of the document itself (its {@code $ref}s resolved in place). A request the document accepts must get an answer the
 * document lists for the operation, with its schema; a request the document refuses must get a 4xx (the API must not
 * accept what its contract refuses).
 */
public final class OpenApiContract {
    /** Where the document is registered for the validator; never fetched. */
    private static final String DOCUMENT_IRI = "https://aicredits.example/openapi.json";
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final List<String> DOCUMENT_FIELDS = List.of("openapi", "info", "servers", "tags", "paths", "components",
            "security", "webhooks", "jsonSchemaDialect", "externalDocs");
    private static volatile OpenApiContract shared;

    /** One exchange: the operation is named by method and path template (as API Gateway's route key names it). */
    public record Exchange(String method, String pathTemplate, Map<String, String> pathParameters, Map<String, String> query,
                           Map<String, String> requestHeaders, String requestBody, boolean checkSecurity, int status,
                           Map<String, String> responseHeaders, String responseBody) {
    }

    /** A path of the document matched against a request path, with its decoded parameters. */
    public record PathMatch(String pathTemplate, Map<String, String> pathParameters) {
    }

    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final Map<Pattern, String> pathPatterns = new LinkedHashMap<>();

    private OpenApiContract(String yaml) {
        try {
            this.document = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("openapi.yaml is not valid YAML: " + e.getOriginalMessage(), e);
        }
        String json = document.toString();
        // The document's top-level fields are not schema keywords: known, not validated (else a warning each).
        JsonMetaSchema.Builder dialectBuilder = JsonMetaSchema.builder(OpenApi31.getInstance());
        DOCUMENT_FIELDS.forEach(field -> dialectBuilder.keyword(new NonValidationKeyword(field)));
        JsonMetaSchema dialect = dialectBuilder.build();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(dialect)
                .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, json))));
        this.config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).locale(Locale.ENGLISH).build();
        // Literal paths first, so /executions:check is never taken for a parameter.
        List<String> paths = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        paths.sort((a, b) -> Long.compare(a.chars().filter(c -> c == '{').count(), b.chars().filter(c -> c == '{').count()));
        for (String path : paths) {
            pathPatterns.put(compile(path), path);
        }
    }

    /** {@code openapi.yaml} beside template.yaml, read once per JVM. */
    public static OpenApiContract load() {
        OpenApiContract contract = shared;
        if (contract == null) {
            synchronized (OpenApiContract.class) {
                if (shared == null) {
                    shared = new OpenApiContract(read(documentPath()));
                }
                contract = shared;
            }
        }
        return contract;
    }

    public static OpenApiContract of(String yaml) {
        return new OpenApiContract(yaml);
    }

    public static Path documentPath() {
        return CloudFormationTemplate.find().toAbsolutePath().getParent().resolve("openapi.yaml");
    }

    public JsonNode document() {
        return document;
    }

    /** Every operation as a route key, {@code POST /v1/workspaces/{workspaceId}/executions}. */
    public Set<String> routeKeys() {
        Set<String> keys = new LinkedHashSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                keys.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return keys;
    }

    /** The document's path a raw request path falls on, if any. */
    public Optional<PathMatch> matchPath(String rawPath) {
        for (Map.Entry<Pattern, String> entry : pathPatterns.entrySet()) {
            Matcher matcher = entry.getKey().matcher(rawPath);
            if (matcher.matches()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                List<String> names = parameterNames(entry.getValue());
                for (int i = 0; i < names.size(); i++) {
                    parameters.put(names.get(i), java.net.URLDecoder.decode(matcher.group(i + 1).replace("+", "%2B"),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                return Optional.of(new PathMatch(entry.getValue(), parameters));
            }
        }
        return Optional.empty();
    }

    public boolean hasOperation(String method, String pathTemplate) {
        return !document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT)).isMissingNode();
    }

    /** Throws an AssertionError naming every way the exchange breaks the contract. */
    public void check(Exchange exchange) {
        List<String> violations = violations(exchange);
        if (!violations.isEmpty()) {
            throw new AssertionError("openapi.yaml contract: " + exchange.method() + " " + exchange.pathTemplate() + " -> "
                    + exchange.status() + ": " + String.join("; ", violations)
                    + "\n  request: " + exchange.query() + " " + cut(exchange.requestBody())
                    + "\n  answer: " + cut(exchange.responseBody()));
        }
    }

    /** What is wrong with the exchange; empty when it keeps the contract. */
    public List<String> violations(Exchange exchange) {
        String operationPointer = "/paths/" + escape(exchange.pathTemplate()) + "/" + exchange.method().toLowerCase(Locale.ROOT);
        JsonNode operation = document.at(operationPointer);
        if (operation.isMissingNode()) {
            return List.of("the document has no operation " + exchange.method() + " " + exchange.pathTemplate());
        }
        List<String> violations = new ArrayList<>();
        List<String> refused = requestProblems(exchange, operationPointer, operation);
        if (!refused.isEmpty() && (exchange.status() < 400 || exchange.status() >= 500)) {
            violations.add("the document refuses the request (" + String.join("; ", refused) + ") but the API answered "
                    + exchange.status());
        }
        violations.addAll(responseProblems(exchange, operationPointer, operation));
        return violations;
    }

    private List<String> requestProblems(Exchange exchange, String operationPointer, JsonNode operation) {
        List<String> problems = new ArrayList<>();
        Map<String, String> pathParameters = exchange.pathParameters() == null ? Map.of() : exchange.pathParameters();
        Map<String, String> query = exchange.query() == null ? Map.of() : exchange.query();
        Set<String> knownQuery = new LinkedHashSet<>();
        List<String[]> parameters = new ArrayList<>(); // pointer, resolved pointer
        collectParameters("/paths/" + escape(exchange.pathTemplate()) + "/parameters", parameters);
        collectParameters(operationPointer + "/parameters", parameters);
        for (String[] parameter : parameters) {
            JsonNode definition = document.at(parameter[1]);
            String name = definition.path("name").asText();
            String in = definition.path("in").asText();
            String value = in.equals("path") ? pathParameters.get(name) : in.equals("query") ? query.get(name) : null;
            if (in.equals("query")) {
                knownQuery.add(name);
            }
            if (value == null) {
                if (definition.path("required").asBoolean(false)) {
                    problems.add(in + " parameter " + name + " is required");
                }
                continue;
            }
            String schemaPointer = parameter[1] + "/schema";
            JsonNode instance = isInteger(schemaPointer) && INTEGER.matcher(value).matches()
                    ? JsonNodeFactory.instance.numberNode(new BigInteger(value.startsWith("+") ? value.substring(1) : value))
                    : JsonNodeFactory.instance.textNode(value);
            validate(schemaPointer, instance).forEach(message -> problems.add(in + " parameter " + name + ": " + message));
        }
        for (String name : query.keySet()) {
            if (!knownQuery.contains(name)) {
                problems.add("unknown query parameter " + name);
            }
        }
        if (exchange.checkSecurity() && operation.has("security")) {
            String authorization = header(exchange.requestHeaders(), "authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
                problems.add("no bearer token");
            }
        }
        String bodyPointer = resolve(operationPointer + "/requestBody");
        JsonNode requestBody = document.at(bodyPointer);
        String body = exchange.requestBody();
        if (body == null || body.isEmpty()) {
            if (requestBody.path("required").asBoolean(false)) {
                problems.add("a body is required");
            }
            return problems;
        }
        if (requestBody.isMissingNode()) {
            problems.add("the operation takes no body");
            return problems;
        }
        String contentType = header(exchange.requestHeaders(), "content-type");
        if (contentType != null && !contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            problems.add("content-type " + contentType + " is not application/json");
            return problems;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            problems.add("the body is not JSON: " + e.getOriginalMessage());
            return problems;
        }
        validate(bodyPointer + "/content/application~1json/schema", json).forEach(message -> problems.add("body: " + message));
        return problems;
    }

    private List<String> responseProblems(Exchange exchange, String operationPointer, JsonNode operation) {
        String status = Integer.toString(exchange.status());
        if (!operation.path("responses").has(status)) {
            return List.of("status " + status + " is not documented for the operation (answer: " + cut(exchange.responseBody()) + ")");
        }
        String responsePointer = resolve(operationPointer + "/responses/" + status);
        JsonNode response = document.at(responsePointer);
        String body = exchange.responseBody();
        if (!response.has("content")) {
            return body == null || body.isEmpty() ? List.of() : List.of("the answer " + status + " has no body in the document");
        }
        List<String> problems = new ArrayList<>();
        String contentType = header(exchange.responseHeaders(), "content-type");
        if (contentType == null || !contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            problems.add("the answer's content-type is " + contentType + ", not application/json");
        }
        if (body == null || body.isEmpty()) {
            problems.add("the answer " + status + " has no body");
            return problems;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            problems.add("the answer is not JSON: " + e.getOriginalMessage());
            return problems;
        }
        validate(responsePointer + "/content/application~1json/schema", json).forEach(message -> problems.add("answer: " + message));
        return problems;
    }

    /** Validates {@code instance} against the schema at {@code pointer} in the document. */
    public List<String> validate(String pointer, JsonNode instance) {
        JsonSchema schema = schemas.computeIfAbsent(pointer, p -> {
            JsonSchema compiled = factory.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p), config);
            compiled.initializeValidators(); // before it is shared: the load tests validate from many threads at once
            return compiled;
        });
        try {
            List<String> messages = schema.validate(instance).stream().map(ValidationMessage::getMessage).sorted().toList();
            // A failing allOf branch drops its annotations, so every field it declares reads as "not evaluated" too:
            // say what failed, and the unevaluated fields only when nothing else did (an unknown field).
            List<String> failures = messages.stream().filter(message -> !message.contains("is not evaluated")).toList();
            return failures.isEmpty() ? messages : failures;
        } catch (RuntimeException e) { // e.g. a number beyond a double's range (1e999): not a value the schema admits
            return List.of("the validator cannot take it: " + e);
        }
    }

    private void collectParameters(String pointer, List<String[]> into) {
        JsonNode list = document.at(pointer);
        for (int i = 0; i < list.size(); i++) {
            into.add(new String[] {pointer + "/" + i, resolve(pointer + "/" + i)});
        }
    }

    /** Follows a local {@code $ref} (components/parameters, requestBodies, responses) to the pointer it names. */
    private String resolve(String pointer) {
        JsonNode node = document.at(pointer);
        for (int hops = 0; node.has("$ref") && hops < 5; hops++) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#")) {
                throw new IllegalStateException("openapi.yaml: only local $refs are supported, got " + ref);
            }
            pointer = ref.substring(1);
            node = document.at(pointer);
        }
        return pointer;
    }

    private boolean isInteger(String schemaPointer) {
        JsonNode schema = document.at(resolve(schemaPointer));
        return "integer".equals(schema.path("type").asText());
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** The body as text, base64-decoded when API Gateway encoded it. */
    public static String text(String body, boolean base64) {
        if (body == null || !base64) {
            return body;
        }
        try {
            return new String(Base64.getDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return body; // not base64 at all: the document refuses it as a body that is not JSON
        }
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = Pattern.compile("\\{([^}]+)}").matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start()))).append("([^/]+)");
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private static List<String> parameterNames(String template) {
        List<String> names = new ArrayList<>();
        Matcher matcher = Pattern.compile("\\{([^}]+)}").matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String cut(String text) {
        return text == null ? "(none)" : text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API's contract " + path, e);
        }
    }
}
