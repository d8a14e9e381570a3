package com.aicredits.testkit;

import java.net.URI;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack (DynamoDB with its stream, SES) in Docker through Testcontainers, one container per test JVM, removed
 * when the JVM exits (Testcontainers' reaper). {@code make test-localstack} runs the integration suite on it
 * ({@code -Daicredits.backend=localstack}); without a Docker engine every test that needs it is skipped (aborted),
 * never failed. Only tests load this class: {@code make run} does not have Testcontainers on its class path.
 */
public final class LocalStackServices {
    /** {@code -Daicredits.backend=localstack}: the tests' DynamoDB is LocalStack's instead of our engine. */
    public static final String BACKEND_PROPERTY = "aicredits.backend";
    /** Pinned, overridable with {@code -Daicredits.localstack.image=...}. */
    static final String DEFAULT_IMAGE = "localstack/localstack:4.4.0";

    private static LocalStackContainer container;

    private LocalStackServices() {
    }

    /** Whether this test run asked for LocalStack instead of our engine. */
    public static boolean requested() {
        return "localstack".equals(System.getProperty(BACKEND_PROPERTY));
    }

    /** Whether a Docker engine answers (Testcontainers' own check). */
    public static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** The shared container's endpoint (every service on one port), started on first use; skips the test without Docker. */
    public static synchronized URI endpoint() {
        if (container == null) {
            if (!dockerAvailable()) {
                throw new TestAbortedException("no Docker engine: the tests on LocalStack are skipped");
            }
            LocalStackContainer started = new LocalStackContainer(
                    DockerImageName.parse(System.getProperty("aicredits.localstack.image", DEFAULT_IMAGE))
                            .asCompatibleSubstituteFor("localstack/localstack"))
                    .withServices("dynamodb", "dynamodbstreams", "ses");
            started.start();
            container = started;
        }
        return container.getEndpoint();
    }
}
