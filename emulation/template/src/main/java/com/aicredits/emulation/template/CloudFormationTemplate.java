package com.aicredits.emulation.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
  * A CloudFormation / SAM template read from YAML, with every short-form intrinsic ({@code !Ref},
  * {@code !GetAtt}, {@code !Sub}, ...) turned into its long JSON form ({@code {"Ref": ...}},
  * {@code {"Fn::GetAtt": [...]}}, ...), as CloudFormation itself sees it.
  *
  * <p>template.yaml is the one source of truth for the table, the routes and the functions; tests
  * and the local stack read it through this class instead of restating it in Java. The parsed tree
  * is immutable: maps keep the template's key order.
  */
public final class CloudFormationTemplate {

    /** The file every lookup starts from. */
    public static final String FILE_NAME = "template.yaml";

    /** SAM resource type to its section under {@code Globals}. */
    private static final Map<String, String> GLOBALS_SECTIONS = Map.of(
            "AWS::Serverless::Function", "Function",
            "AWS::Serverless::Api", "Api",
            "AWS::Serverless::HttpApi", "HttpApi",
            "AWS::Serverless::SimpleTable", "SimpleTable",
            "AWS::Serverless::StateMachine", "StateMachine",
            "AWS::Serverless::LayerVersion", "LayerVersion",
            "AWS::Serverless::WebSocketApi", "WebSocketApi",
            "AWS::Serverless::CapacityProvider", "CapacityProvider");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final Map<String, Object> root;

    private CloudFormationTemplate(Path path, Map<String, Object> root) {
        this.path = path;
        this.root = root;
    }

    /** Reads and parses a template file. */
    public static CloudFormationTemplate load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(yaml, file.toAbsolutePath().normalize());
    }

    /** Parses template text (no file behind it: {@link #path()} is empty). */
    public static CloudFormationTemplate parse(String yaml) {
        return parse(yaml, null);
    }

    private static CloudFormationTemplate parse(String yaml, Path path) {
        String where = path == null ? "template" : path.toString();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation refuses them too
        Object document;
        try {
            document = new Yaml(new IntrinsicConstructor(options)).load(yaml);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse " + where + ": " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + " is not a YAML mapping");
        }
        return new CloudFormationTemplate(path, asStringMap(freeze(map), where));
    }

    /**
      * Finds {@code template.yaml} in the working directory or the nearest directory above it (tests
      * run with their module's directory as working directory; the template sits at the repository
      * root).
      */
    public static Path find() {
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(FILE_NAME + " not found in " + start + " or any directory above it");
    }

    /** The file this template was loaded from, if any. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The whole template, intrinsics in long form. */
    public Map<String, Object> root() {
        return root;
    }

    /** The resource with that logical id (its {@code Type}, {@code Properties}, ...). */
    public Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in " + describe());
        }
        return asStringMap(resource, "resource " + logicalId);
    }

    /** Every resource of that type, by logical id, in template order. */
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            Map<String, Object> r = asStringMap(resource, "resource " + id);
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return Collections.unmodifiableMap(found);
    }

    /**
      * The resource's {@code Properties} as SAM deploys them: for a serverless resource, its
      * {@code Globals} section merged in (the resource's own scalars win, maps merge key by key, lists
      * are the global items followed by the resource's), honouring {@code IgnoreGlobals}. For any
      * other resource, just its {@code Properties}.
      */
    public Map<String, Object> effectiveProperties(String logicalId) {
        Map<String, Object> resource = resource(logicalId);
        Map<String, Object> own = resource.get("Properties") == null
                ? Map.of()
                : asStringMap(resource.get("Properties"), logicalId + ".Properties");
        String section = GLOBALS_SECTIONS.get(String.valueOf(resource.get("Type")));
        if (section == null || !(root.get("Globals") instanceof Map<?, ?> globals)
                || !(globals.get(section) instanceof Map<?, ?> sectionGlobals)) {
            return own;
        }
        Object ignore = resource.get("IgnoreGlobals");
        Map<String, Object> merged = new LinkedHashMap<>();
        sectionGlobals.forEach((key, value) -> {
            boolean ignored = "*".equals(ignore)
                    || String.valueOf(key).equals(ignore)
                    || (ignore instanceof List<?> list && list.contains(key));
            if (!ignored) {
                merged.put(String.valueOf(key), value);
            }
        });
        own.forEach((key, value) -> mergeInto(merged, key, value));
        return Collections.unmodifiableMap(merged);
    }

    /** The template as JSON, the form JSON schemas and CloudFormation itself read. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + describe() + " as JSON", e);
        }
    }

    @Override
    public String toString() {
        return "CloudFormationTemplate[" + describe() + "]";
    }

    private String describe() {
        return path == null ? "template" : path.toString();
    }

    private Map<String, Object> resources() {
        Object resources = root.get("Resources");
        return resources == null ? Map.of() : asStringMap(resources, "Resources");
    }

    /** SAM's Globals merge: a resource value wins over a global one, except that maps and lists combine. */
    private static Object mergeGlobal(Object global, Object own) {
        if (global instanceof Map<?, ?> g && own instanceof Map<?, ?> o && !isIntrinsic(g) && !isIntrinsic(o)) {
            Map<String, Object> merged = new LinkedHashMap<>();
            g.forEach((k, v) -> merged.put(String.valueOf(k), v));
            o.forEach((k, v) -> mergeInto(merged, String.valueOf(k), v));
            return Collections.unmodifiableMap(merged);
        }
        if (global instanceof List<?> g && own instanceof List<?> o) {
            List<Object> merged = new ArrayList<>(g);
            merged.addAll(o);
            return Collections.unmodifiableList(merged);
        }
        return own;
    }

    private static void mergeInto(Map<String, Object> target, String key, Object own) {
        Object global = target.get(key);
        target.put(key, global == null || own == null ? own : mergeGlobal(global, own));
    }

    private static boolean isIntrinsic(Map<?, ?> map) {
        if (map.size() != 1) {
            return false;
        }
        String key = String.valueOf(map.keySet().iterator().next());
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(what + " is not a mapping: " + value);
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException(what + " has a non-string key: " + key);
            }
        }
        return (Map<String, Object>) map;
    }

    /** Deep, order-keeping, unmodifiable copy (values may be null, so no Map.copyOf). */
    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** SnakeYAML's safe constructor plus the CloudFormation short-form tags. */
    private static final class IntrinsicConstructor extends SafeConstructor {

        /** Short tag (without {@code !}) to the long form's key. */
        private static final Map<String, String> INTRINSICS = Map.ofEntries(
                Map.entry("Ref", "Ref"),
                Map.entry("Condition", "Condition"),
                Map.entry("GetAtt", "Fn::GetAtt"),
                Map.entry("Sub", "Fn::Sub"),
                Map.entry("Join", "Fn::Join"),
                Map.entry("Select", "Fn::Select"),
                Map.entry("Split", "Fn::Split"),
                Map.entry("If", "Fn::If"),
                Map.entry("Equals", "Fn::Equals"),
                Map.entry("Not", "Fn::Not"),
                Map.entry("And", "Fn::And"),
                Map.entry("Or", "Fn::Or"),
                Map.entry("FindInMap", "Fn::FindInMap"),
                Map.entry("Base64", "Fn::Base64"),
                Map.entry("Cidr", "Fn::Cidr"),
                Map.entry("ImportValue", "Fn::ImportValue"),
                Map.entry("GetAZs", "Fn::GetAZs"),
                Map.entry("Transform", "Fn::Transform"),
                Map.entry("Length", "Fn::Length"),
                Map.entry("ToJsonString", "Fn::ToJsonString"),
                Map.entry("ForEach", "Fn::ForEach"));

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            // CloudFormation reads an unquoted 2010-09-09 as a string, not a date.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            INTRINSICS.forEach((tag, key) -> yamlConstructors.put(new Tag("!" + tag), new Intrinsic(key)));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object argument = switch (node) {
                    case ScalarNode scalar when key.equals("Fn::GetAtt") -> splitGetAtt(scalar);
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected node for " + key + ": " + node);
                };
                Map<String, Object> intrinsic = new LinkedHashMap<>(1);
                intrinsic.put(key, argument);
                return intrinsic;
            }

            /** {@code !GetAtt Resource.Attribute.Path}: the resource is before the first dot. */
            private List<Object> splitGetAtt(ScalarNode scalar) {
                String value = constructScalar(scalar);
                int dot = value.indexOf('.');
                if (dot <= 0 || dot == value.length() - 1) {
                    throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got '" + value + "'");
                }
                return List.of(value.substring(0, dot), value.substring(dot + 1));
            }
        }
    }
}
