package com.aicredits.system.template;

import com.aicredits.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sam build} without the SAM CLI: for every function of template.yaml built with {@code BuildMethod: makefile},
 * does what SAM's makefile builder does (aws-lambda-builders' CustomMakeWorkflow, build in source as samconfig.toml
 * asks): runs {@code make --makefile <CodeUri>/Makefile build-<LogicalId>} in the CodeUri folder with ARTIFACTS_DIR in
 * the environment, then takes the folder SAM would zip. Checked: it holds one jar under lib/ (where the Java runtime
 * looks), the jar holds only what that function needs, and a fresh JVM with only that artifact on its class path
 * loads the template's Handler and constructs it (the function's init) with the template's environment.
 *
 * <p>Runs in the local module, after the reactor packaged every function: the jars are up to date then, so the build
 * targets copy them and never run Maven inside this Maven build; {@link #aJarIsRebuiltOnlyWhenASourceOfItsOwnChanges}
 * checks the rule that decides it.
 */
class SamBuildIntegrationTest {
    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(CloudFormationTemplate.find());
    private static final Path ROOT = TEMPLATE.path().orElseThrow().getParent();
    /** Action prefix of the template's IAM statements to the SDK client package the code needs for it. */
    private static final Map<String, String> SDK_CLIENT_OF_ACTION = Map.of(
            "dynamodb", "dynamodb", "ses", "sesv2", "events", "eventbridge", "lambda", "lambda");
    /**
     * What no function jar may hold: HTTP clients other than URLConnection, test code, the local stack's pieces and the
     * emulation (the DynamoDB engine, the template reader).
     */
    private static final List<String> FORBIDDEN = List.of(
            "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/",
            "software/amazon/awssdk/http/nio/netty/", "org/apache/http/", "org/apache/hc/", "io/netty/",
            "com/aicredits/testkit/", "com/aicredits/local/", "com/aicredits/emulation/", "org/junit/", "org/assertj/",
            "com/amazonaws/services/dynamodbv2/local/", "software/amazon/dynamodb/services/local/", "org/eclipse/jetty/",
            "org/yaml/snakeyaml/", "com/nimbusds/", "com/networknt/", "org/testcontainers/");

    static Stream<String> functions() {
        return TEMPLATE.resourcesOfType(FUNCTION).entrySet().stream()
                .filter(e -> e.getValue().get("Metadata") instanceof Map<?, ?> m && "makefile".equals(m.get("BuildMethod")))
                .map(Map.Entry::getKey);
    }

    @Test
    void samconfigBuildsInSourceAsTheFunctionsMakefilesNeed() throws IOException {
        // The function Makefiles call the root Makefile (../..): SAM's default scratch copy of CodeUri has no root.
        assertThat(Files.readString(ROOT.resolve("samconfig.toml"))).containsPattern("(?m)^build_in_source\\s*=\\s*true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void theBuildTargetLeavesAJarOfOnlyWhatTheFunctionNeedsThatLoadsItsHandler(String function, @TempDir Path scratch)
            throws Exception {
        Map<String, Object> properties = TEMPLATE.effectiveProperties(function);
        Path codeUri = ROOT.resolve((String) properties.get("CodeUri")).normalize();
        String handler = ((String) properties.get("Handler")).split("::")[0];
        Path artifacts = scratch.resolve("artifacts");
        Files.createDirectories(artifacts);

        Run build = run(List.of("make", "--makefile", codeUri.resolve("Makefile").toString(), "build-" + function),
                codeUri, Map.of("ARTIFACTS_DIR", artifacts.toString()), 600);

        assertThat(build.status()).as("make build-%s:%n%s", function, build.output()).isZero();
        List<Path> jars;
        try (Stream<Path> files = Files.walk(artifacts)) {
            jars = files.filter(Files::isRegularFile).toList();
        }
        assertThat(jars).as("the artifact SAM zips").hasSize(1)
                .allSatisfy(jar -> assertThat(jar.getParent()).isEqualTo(artifacts.resolve("lib")))
                .allSatisfy(jar -> assertThat(jar.getFileName().toString()).endsWith("-lambda.jar"));

        Set<String> entries = entries(jars.getFirst());
        assertThat(entries).as("%s's jar", function).contains(handler.replace('.', '/') + ".class");
        for (String other : functions().filter(f -> !f.equals(function)).toList()) {
            String otherPackage = packageOf(handlerOf(other));
            if (!otherPackage.equals(packageOf(handler))) {
                assertThat(entries).as("%s's jar holds nothing of %s", function, other)
                        .noneMatch(entry -> entry.startsWith(otherPackage + "/"));
            }
        }
        assertThat(entries).as("%s's jar: no other HTTP client, no test code, nothing of the local stack", function)
                .noneMatch(entry -> FORBIDDEN.stream().anyMatch(entry::startsWith))
                .noneMatch(entry -> entry.startsWith("com/aicredits/") && entry.matches(".*(Test|IntegrationTest|Bench)\\.class"));
        assertThat(sdkClients(entries)).as("%s's AWS SDK clients: those its IAM policy lets it call", function)
                .isEqualTo(clientsAllowedByPolicy(function));

        Run probe = probe(handler, artifacts, scratch.resolve("probe"), environment(properties));
        assertThat(probe.status()).as("a fresh JVM loading %s from the artifact:%n%s", handler, probe.output()).isZero();
        assertThat(probe.output()).contains("HANDLER READY: " + handler + " implements com.amazonaws.services.lambda.runtime.")
                .contains(artifacts.resolve("lib").toUri().getPath());
        // The cold start prints nothing but JSON (stdout and stderr both): no SLF4J start-up lines, no stray print.
        assertThat(probe.output().lines().filter(line -> !line.startsWith("HANDLER READY: ")))
                .as("%s's cold start, stdout and stderr", function)
                .allSatisfy(line -> assertThat(Json.MAPPER.readTree(line).isObject()).as(line).isTrue());
    }

    @Test
    void aJarIsRebuiltOnlyWhenASourceOfItsOwnChanges() throws Exception {
        String jar = "functions/record-execution/target/record-execution-0.1.0-SNAPSHOT-lambda.jar";
        // Make's question mode: exit 0 when the target is up to date; -W pretends a file was just modified.
        Run upToDate = run(List.of("make", "-q", jar), ROOT, Map.of(), 60);
        Run sharedChanged = run(List.of("make", "-q", "-W", "shared/src/main/java/com/aicredits/domain/Period.java", jar),
                ROOT, Map.of(), 60);
        Run ownChanged = run(List.of("make", "-q", "-W",
                "functions/record-execution/src/main/java/com/aicredits/functions/record/RecordExecutionHandler.java", jar),
                ROOT, Map.of(), 60);
        Run otherChanged = run(List.of("make", "-q", "-W",
                "functions/usage-query/src/main/java/com/aicredits/functions/usage/UsageQueryHandler.java", jar),
                ROOT, Map.of(), 60);

        assertThat(upToDate.status()).as("after the reactor's package: %s", upToDate.output()).isZero();
        assertThat(sharedChanged.status()).as("a shared source changed").isEqualTo(1);
        assertThat(ownChanged.status()).as("its own source changed").isEqualTo(1);
        assertThat(otherChanged.status()).as("another function's source changed").isZero();
    }

    private static String handlerOf(String function) {
        return ((String) TEMPLATE.effectiveProperties(function).get("Handler")).split("::")[0];
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.')).replace('.', '/');
    }

    private static Set<String> entries(Path jar) throws IOException {
        Set<String> entries = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(entry -> entries.add(entry.getName()));
        }
        return entries;
    }

    private static Set<String> sdkClients(Set<String> entries) {
        Set<String> clients = new TreeSet<>();
        for (String entry : entries) {
            if (entry.startsWith("software/amazon/awssdk/services/") && entry.split("/").length > 5) {
                clients.add(entry.split("/")[4]);
            }
        }
        return clients;
    }

    /**
     * The SDK clients the function's inline IAM statements call. SAM policy templates (SQSSendMessagePolicy) are left
     * out: the stream mapping's on-failure destination uses them through the role, not the code.
     */
    @SuppressWarnings("unchecked")
    private static Set<String> clientsAllowedByPolicy(String function) {
        Set<String> clients = new TreeSet<>();
        for (Object policy : (List<Object>) TEMPLATE.effectiveProperties(function).getOrDefault("Policies", List.of())) {
            if (policy instanceof Map<?, ?> document && document.get("Statement") instanceof List<?> statements) {
                for (Object statement : statements) {
                    Object actions = ((Map<String, Object>) statement).get("Action");
                    for (Object action : actions instanceof List<?> list ? list : List.of(actions)) {
                        String service = String.valueOf(action).split(":")[0];
                        assertThat(SDK_CLIENT_OF_ACTION).as("the SDK client for %s", action).containsKey(service);
                        clients.add(SDK_CLIENT_OF_ACTION.get(service));
                    }
                }
            }
        }
        return clients;
    }

    /**
     * The function's environment as deployed (Globals merged), each intrinsic replaced by a stand-in: a parameter's
     * default, else a made-up name. Plus what Lambda itself sets.
     */
    /** A variable's value: as written, a parameter's default for a Ref, the first branch of an If, else made up. */
    private static String standIn(String name, Object value, Map<String, Object> parameters) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.get("Ref") instanceof String ref
                && parameters.get(ref) instanceof Map<?, ?> parameter && parameter.get("Default") != null) {
            return String.valueOf(parameter.get("Default"));
        }
        if (value instanceof Map<?, ?> intrinsic && intrinsic.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
            return standIn(name, branches.get(1), parameters);
        }
        return value instanceof Map ? "stand-in-" + name.toLowerCase() : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> properties) {
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
        Map<String, Object> parameters = (Map<String, Object>) TEMPLATE.root().get("Parameters");
        variables.forEach((name, value) -> environment.put(name, standIn(name, value, parameters)));
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "probe");
        environment.put("AWS_SECRET_ACCESS_KEY", "probe");
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "probe");
        return environment;
    }

    /** A fresh JVM: the artifact's root and lib/*.jar (as the Java runtime loads them) and the probe class alone. */
    private static Run probe(String handler, Path artifacts, Path probeDir, Map<String, String> environment) throws Exception {
        String probeClass = HandlerProbe.class.getName().replace('.', '/') + ".class";
        Path probeFile = probeDir.resolve(probeClass);
        Files.createDirectories(probeFile.getParent());
        try (InputStream in = HandlerProbe.class.getClassLoader().getResourceAsStream(probeClass)) {
            Files.write(probeFile, in.readAllBytes());
        }
        String classPath = String.join(java.io.File.pathSeparator, artifacts.toString(),
                artifacts.resolve("lib").toString() + "/*", probeDir.toString());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classPath, HandlerProbe.class.getName(), handler));
        return run(command, artifacts, environment, 120);
    }

    record Run(int status, String output) {
    }

    /** Runs a command as SAM would: its own environment plus {@code extra}, nothing of the make that runs this build. */
    private static Run run(List<String> command, Path directory, Map<String, String> extra, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        for (String inherited : List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "ARTIFACTS_DIR")) {
            builder.environment().remove(inherited);
        }
        builder.environment().putAll(extra);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
