package com.aicredits.system.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
  * Every function template.yaml declares is one the code can run: its handler exists on the
  * classpath with the shape the Java runtime needs, its routes are authorized with scopes, it is
  * built by its Makefile from a Maven module, and it logs to a log group with a retention.
  */
class TemplateHandlersTest {

    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(CloudFormationTemplate.find());
    private static final Path ROOT = TEMPLATE.path().orElseThrow().getParent();

    static Stream<String> functions() {
        return TEMPLATE.resourcesOfType(FUNCTION).keySet().stream();
    }

    private static Map<String, Object> properties(String function) {
        return TEMPLATE.effectiveProperties(function);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** The function's events of type HttpApi, by name. */
    private static Map<String, Map<String, Object>> httpApiEvents(String function) {
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        Object declared = properties(function).get("Events");
        if (declared != null) {
            map(declared).forEach((name, event) -> {
                if ("HttpApi".equals(map(event).get("Type"))) {
                    events.put(name, map(event).get("Properties") == null ? Map.of() : map(map(event).get("Properties")));
                }
            });
        }
        return events;
    }

    private static Class<?> handlerClass(String function) throws ClassNotFoundException {
        String handler = (String) properties(function).get("Handler");
        assertThat(handler).as("%s Handler", function).matches("[\\w.$]+::\\w+");
        // Not initialized: the class's static setup (AWS clients, ...) is not what is checked here.
        return Class.forName(handler.substring(0, handler.indexOf("::")), false,
                TemplateHandlersTest.class.getClassLoader());
    }

    @Test
    void templateDeclaresFunctions() {
        assertThat(functions()).contains("RecordExecutionFunction", "WorkspaceAdminFunction");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void handlerIsARequestHandlerTheRuntimeCanConstruct(String function) throws ClassNotFoundException {
        String handler = (String) properties(function).get("Handler");
        Class<?> type = handlerClass(function);
        String method = handler.substring(handler.indexOf("::") + 2);

        assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type).isTrue();
        assertThat(Modifier.isAbstract(type.getModifiers())).as("%s is abstract", type).isFalse();
        assertThat(type.getEnclosingClass() == null || Modifier.isStatic(type.getModifiers()))
                .as("%s is not an inner class", type).isTrue();
        assertThat(Arrays.stream(type.getConstructors()).map(Constructor::getParameterCount))
                .as("%s has a public no-argument constructor", type).contains(0);
        assertThat(RequestHandler.class.isAssignableFrom(type)).as("%s implements RequestHandler", type).isTrue();
        assertThat(Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(method) && !m.isBridge()))
                .as("%s has a public method %s", type, method).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void httpApiHandlersTakeThePayloadFormat2Event(String function) throws ClassNotFoundException {
        Map<String, Map<String, Object>> events = httpApiEvents(function);
        if (events.isEmpty()) {
            return;
        }
        events.forEach((name, event) -> assertThat(String.valueOf(event.getOrDefault("PayloadFormatVersion", "2.0")))
                .as("%s.%s PayloadFormatVersion", function, name).isEqualTo("2.0"));

        Class<?> type = handlerClass(function);
        assertThat(typeArgument(type, RequestHandler.class, 0))
                .as("the input type of %s's RequestHandler", type)
                .contains(APIGatewayV2HTTPEvent.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyHttpApiRouteHasTheAuthorizerAndServiceRoutesHaveScopes(String function) {
        httpApiEvents(function).forEach((name, event) -> {
            String where = function + ".Events." + name;
            assertThat(event.get("Path")).as("%s Path", where).asString().startsWith("/v1/");
            assertThat(event.get("Method")).as("%s Method", where).isNotNull();

            Object apiId = event.get("ApiId");
            assertThat(apiId).as("%s ApiId refers to the template's HttpApi", where).isInstanceOf(Map.class);
            String api = String.valueOf(map(apiId).get("Ref"));
            assertThat(TEMPLATE.resourcesOfType("AWS::Serverless::HttpApi")).as("%s ApiId", where).containsKey(api);
            Map<String, Object> authorizers = map(map(TEMPLATE.effectiveProperties(api).get("Auth")).get("Authorizers"));

            assertThat(event.get("Auth")).as("%s Auth", where).isNotNull();
            Map<String, Object> auth = map(event.get("Auth"));
            assertThat(auth.get("Authorizer")).as("%s Auth.Authorizer", where).isIn(authorizers.keySet());
            // Service and admin routes need a scope; the manager routes (usage) decide on the people's role
            // claims in the handler, and the pricing is open to any valid token.
            if (!function.equals("UsageQueryFunction")) {
                assertThat(auth.get("AuthorizationScopes")).as("%s Auth.AuthorizationScopes", where)
                        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                        .isNotEmpty()
                        .allSatisfy(scope -> assertThat(scope).asString().matches("credits/\\w+"));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void runsOnJava25AndIsBuiltByMakefileFromAMavenModule(String function) {
        Map<String, Object> properties = properties(function);
        assertThat(properties.get("Runtime")).as("%s Runtime (with Globals)", function).isEqualTo("java25");

        Object metadata = TEMPLATE.resource(function).get("Metadata");
        assertThat(metadata).as("%s Metadata", function).isNotNull();
        assertThat(map(metadata).get("BuildMethod")).as("%s Metadata.BuildMethod", function).isEqualTo("makefile");

        Object codeUri = properties.get("CodeUri");
        assertThat(codeUri).as("%s CodeUri", function).isInstanceOf(String.class);
        Path module = ROOT.resolve((String) codeUri).normalize();
        assertThat(module).as("%s CodeUri", function).isDirectory();
        assertThat(module.resolve("pom.xml")).as("%s CodeUri's Maven module", function).isRegularFile();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void makefileHasTheBuildTargetSamCalls(String function) throws IOException {
        // sam build with BuildMethod makefile runs `make build-<LogicalId>` in the CodeUri directory
        // (or in Metadata.ContextPath when set).
        Object contextPath = map(TEMPLATE.resource(function).get("Metadata")).get("ContextPath");
        Path dir = ROOT.resolve(contextPath != null ? (String) contextPath : (String) properties(function).get("CodeUri"));
        Path makefile = dir.resolve("Makefile");
        assertThat(makefile).as("%s Makefile", function).isRegularFile();
        Pattern target = Pattern.compile("(?m)^build-" + Pattern.quote(function) + "\\s*:");
        assertThat(target.matcher(Files.readString(makefile)).find())
                .as("%s has a build-%s target", makefile, function).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void logsToALogGroupWithRetention(String function) {
        Map<String, Object> lambdaLogGroup = Map.of("Fn::Sub", "/aws/lambda/${" + function + "}");
        List<String> logGroups = new ArrayList<>();
        TEMPLATE.resourcesOfType("AWS::Logs::LogGroup").forEach((id, resource) -> {
            Map<String, Object> properties = TEMPLATE.effectiveProperties(id);
            boolean named = lambdaLogGroup.equals(properties.get("LogGroupName"));
            boolean configured = Optional.ofNullable(properties(function).get("LoggingConfig"))
                    .map(config -> map(config).get("LogGroup"))
                    .filter(Map.of("Ref", id)::equals)
                    .isPresent();
            if ((named || configured) && properties.get("RetentionInDays") != null) {
                logGroups.add(id);
            }
        });
        assertThat(logGroups).as("log groups of %s with a RetentionInDays", function).hasSize(1);
    }

    /**
      * The actual type bound to {@code target}'s type parameter {@code index} somewhere up
      * {@code type}'s hierarchy (through superclasses and interfaces, following type variables).
      */
    static Optional<Type> typeArgument(Type type, Class<?> target, int index) {
        return typeArgument(type, target, index, Map.of());
    }

    private static Optional<Type> typeArgument(Type type, Class<?> target, int index,
            Map<TypeVariable<?>, Type> outer) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            Type[] actual = parameterized.getActualTypeArguments();
            TypeVariable<?>[] declared = raw.getTypeParameters();
            for (int i = 0; i < declared.length; i++) {
                bindings.put(declared[i], actual[i] instanceof TypeVariable<?> v ? outer.getOrDefault(v, v) : actual[i]);
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return Optional.empty();
        }
        if (raw == target) {
            return type instanceof ParameterizedType ? Optional.of(bindings.get(raw.getTypeParameters()[index]))
                    : Optional.empty();
        }
        List<Type> supertypes = new ArrayList<>(Arrays.asList(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            supertypes.add(raw.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            Optional<Type> found = typeArgument(supertype, target, index, bindings);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
