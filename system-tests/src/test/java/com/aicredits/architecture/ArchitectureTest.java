package com.aicredits.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.app.Configuration;
import com.aicredits.testkit.LocalDynamoDb;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The package rules of README.md ("Where things are"), checked on the compiled product (shared/ and functions/) and
 * the tooling on this module's classpath (testkit/, local/, client/, the DynamoDB engine and the template reader of
 * emulation/), without tests. One rule: packages by role, each layer using only the ones below it; and the product
 * stands alone: its configuration read in one place, nothing of the local stack in it. bench/ is not on the
 * classpath: nothing may depend on it, which the rules check by name.
 */
class ArchitectureTest {
    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.aicredits");
    private static final String LAMBDA_EVENTS = "com.amazonaws.services.lambda.runtime.events..";
    /** The product: what is deployed. local/, testkit/ and bench/ play or measure the runtime around it. */
    private static final String[] PRODUCT = {"com.aicredits.domain..", "com.aicredits.port..", "com.aicredits.service..",
            "com.aicredits.mail..", "com.aicredits.json..", "com.aicredits.observability..",
            "com.aicredits.adapter..", "com.aicredits.app..", "com.aicredits.functions.."};
    /** The one class of the product that reads the environment. */
    private static final String CONFIGURATION = Configuration.class.getName();
    /** What reads an environment variable or a system property: everything else is handed its configuration. */
    private static final DescribedPredicate<JavaCall<?>> READS_THE_ENVIRONMENT =
            new DescribedPredicate<>("read an environment variable or a system property") {
                @Override
                public boolean test(JavaCall<?> call) {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    return owner.equals(System.class.getName()) && Set.of("getenv", "getProperty", "getProperties").contains(name)
                            || owner.equals(Integer.class.getName()) && name.equals("getInteger")
                            || owner.equals(Long.class.getName()) && name.equals("getLong")
                            || owner.equals(Boolean.class.getName()) && name.equals("getBoolean");
                }
            };

    @Test
    void theDomainUsesOnlyJavaAndJacksonAnnotations() {
        classes().that().resideInAPackage("com.aicredits.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("com.aicredits.domain..", "java..",
                        "com.fasterxml.jackson.annotation..")
                .check(ALL);
    }

    @Test
    void onlyTheFunctionsAndTheCompositionRootSeeLambdaEventTypes() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .and().resideOutsideOfPackages("com.aicredits.functions..", "com.aicredits.app..")
                .should().dependOnClassesThat().resideInAPackage(LAMBDA_EVENTS)
                .check(ALL);
    }

    @Test
    void servicesAndPortsKnowNoAwsSdkAndNoAdapter() {
        noClasses().that().resideInAnyPackage("com.aicredits.domain..", "com.aicredits.port..", "com.aicredits.service..",
                        "com.aicredits.mail..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "com.aicredits.adapter..",
                        "com.aicredits.app..", "com.aicredits.functions..")
                .check(ALL);
    }

    @Test
    void onlyTheCompositionRootAndTheFunctionsBuildAdapters() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .and().resideOutsideOfPackages("com.aicredits.adapter..", "com.aicredits.app..", "com.aicredits.functions..")
                .should().dependOnClassesThat().resideInAPackage("com.aicredits.adapter..")
                .check(ALL);
    }

    @Test
    void localAndBenchAreUsedByNothing() {
        noClasses().that().resideOutsideOfPackages("com.aicredits.local..", "com.aicredits.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("com.aicredits.local..", "com.aicredits.bench..")
                .check(ALL);
        noClasses().that().resideInAPackage("com.aicredits.local..")
                .should().dependOnClassesThat().resideInAPackage("com.aicredits.bench..")
                .check(ALL);
    }

    /**
     * The local stack is packaged by concern (the HTTP API, identity, the functions in process, streams, schedules, SES,
     * Node.js) under its root ({@code DevStack} and what only the stack does): a concern never reaches up to the root,
     * so imports point one way (and {@link #noCyclesBetweenPackages} keeps the concerns from going round in circles).
     */
    @Test
    void theLocalStacksConcernsDoNotReachUpToTheStack() {
        noClasses().that().resideInAPackage("com.aicredits.local..").and().resideOutsideOfPackage("com.aicredits.local")
                .should().dependOnClassesThat().resideInAPackage("com.aicredits.local")
                .check(ALL);
    }

    /**
     * testkit is the tests' harness; the local stack takes one thing from it, the DynamoDB engine's launcher
     * ({@code LocalDynamoDb}, which also carries the JVM-wide production-semantics switch the reliability suite runs the
     * stack under). Anything else it needs lives in local/ or in emulation/.
     */
    @Test
    void theLocalStackTakesOnlyTheEngineLauncherFromTestkit() {
        noClasses().that().resideInAPackage("com.aicredits.local..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("com.aicredits.testkit..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(LocalDynamoDb.class))))
                .check(ALL);
    }

    @Test
    void theProductDoesNotDependOnItsTooling() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage("com.aicredits.testkit..", "com.aicredits.local..",
                        "com.aicredits.bench..", "com.aicredits.client..")
                .check(ALL);
    }

    /** The product never stands on our DynamoDB engine: it talks to DynamoDB through the SDK, wherever that is. */
    @Test
    void theProductNeverDependsOnTheEmulation() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAPackage("com.aicredits.emulation..")
                .check(ALL);
    }

    /** The emulation (the DynamoDB engine, the template reader) is reusable by anyone: it depends on nothing of ours outside it. */
    @Test
    void theEngineDependsOnNothingOfTheProjectOutsideTheEmulation() {
        noClasses().that().resideInAPackage("com.aicredits.emulation..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("com.aicredits..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("com.aicredits.emulation.."))))
                .check(ALL);
    }

    /**
     * A deployed function's configuration is read once, by the composition root's {@code Configuration}, and handed to
     * what needs it: no other class of the product reads an environment variable or a system property.
     */
    @Test
    void onlyTheConfigurationReadsTheEnvironment() {
        noClasses().that().resideInAnyPackage(PRODUCT).and().doNotHaveFullyQualifiedName(CONFIGURATION)
                .should().callCodeUnitWhere(READS_THE_ENVIRONMENT)
                .check(ALL);
    }

    /**
     * Nothing local-only in the product: no class or member named after the local stack or an in-process stand-in
     * (the local stack brings its own, in {@code local/}, through the constructors that take {@code Services}).
     */
    @Test
    void theProductHasNothingLocalOnly() {
        String localOnly = "(?i)(local|inprocess|in_process|devstack).*";
        noClasses().that().resideInAnyPackage(PRODUCT).should().haveSimpleNameStartingWith("Local")
                .orShould().haveSimpleNameStartingWith("InProcess")
                .check(ALL);
        noMethods().that().areDeclaredInClassesThat().resideInAnyPackage(PRODUCT).should().haveNameMatching(localOnly)
                .check(ALL);
        noFields().that().areDeclaredInClassesThat().resideInAnyPackage(PRODUCT).should().haveNameMatching(localOnly)
                .check(ALL);
    }

    /**
     * The local stack's knobs are all named {@code AICREDITS_…} (its clock start, its data directory, its token
     * lifetime): none of them is read, or even named, by a deployed class (its compiled constants included).
     */
    @Test
    void noDeployedClassNamesALocalKnob() throws IOException {
        List<String> naming = new ArrayList<>();
        for (JavaClass type : ALL.that(JavaClass.Predicates.resideInAnyPackage(PRODUCT))) {
            URI location = type.getSource().orElseThrow().getUri();
            try (InputStream in = location.toURL().openStream()) {
                if (new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("AICREDITS_")) {
                    naming.add(type.getName());
                }
            }
        }
        assertThat(naming).as("deployed classes naming an AICREDITS_ variable (the local stack's)").isEmpty();
    }

    @Test
    void noCyclesBetweenPackages() {
        // The emulation included: the engine's packages point one way (the engine, its expressions, values, errors).
        slices().matching("com.aicredits.(**)").should().beFreeOfCycles().check(ALL);
    }
}
