package com.aicredits.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * AWS clients, built once per container with everything explicit: region, credentials provider and the
 * URLConnection HTTP client, so a cold start does no provider-chain or classpath lookups.
 */
public final class AwsClients {
    /** Set by the local stack only: where DynamoDB Local listens. */
    public static final String DYNAMODB_ENDPOINT = "AICREDITS_DYNAMODB_ENDPOINT";

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(region())
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.builder().build());
        String endpoint = Env.get(DYNAMODB_ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    public static Region region() {
        return Region.of(Env.required("AWS_REGION"));
    }

    /**
     * Under SnapStart, Lambda serves credentials from the container endpoint, not environment variables (they
     * would be frozen into the snapshot); elsewhere the environment carries them, or, in the local stack, the
     * system properties {@code aws.accessKeyId} and {@code aws.secretAccessKey}.
     */
    public static AwsCredentialsProvider credentials() {
        if (System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
                || System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") != null) {
            return SystemPropertyCredentialsProvider.create();
        }
        return EnvironmentVariableCredentialsProvider.create();
    }
}
