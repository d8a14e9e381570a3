package com.aicredits.bench;

import com.aicredits.emulation.template.CloudFormationTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What template.yaml deploys a function with, and where its Lambda jar is built, so the bench runs it the same way. */
final class DeployedFunction {
    private DeployedFunction() {
    }

    static Path repository() {
        return CloudFormationTemplate.find().getParent();
    }

    /**
     * The java25 runtime's own flags for a cold start on demand (not restored from a SnapStart snapshot): it stops
     * tiered compilation at C1 unless the function sets its own (AWS Lambda guide, "Customize Java runtime startup").
     */
    static final List<String> LAMBDA_ON_DEMAND_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    /**
     * The JVM flags a cold start of the function runs with: its {@code JAVA_TOOL_OPTIONS} (Globals merged in), split
     * into JVM arguments, or the runtime's own when the template sets none.
     */
    static List<String> javaToolOptions(String logicalId) {
        Map<String, Object> properties = CloudFormationTemplate.load(CloudFormationTemplate.find()).effectiveProperties(logicalId);
        Object options = properties.get("Environment") instanceof Map<?, ?> environment
                && environment.get("Variables") instanceof Map<?, ?> variables ? variables.get("JAVA_TOOL_OPTIONS") : null;
        return options == null ? LAMBDA_ON_DEMAND_FLAGS : List.of(String.valueOf(options).trim().split("\\s+"));
    }

    /** functions/{module}/target/*-lambda.jar, as {@code make build} leaves it. */
    static Path lambdaJar(String module) {
        Path target = repository().resolve("functions").resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-lambda.jar in " + target + "; run make build first"));
        } catch (IOException e) {
            throw new UncheckedIOException("no " + target + "; run make build first", e);
        }
    }
}
