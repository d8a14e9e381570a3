package com.aicredits.adapter;

import com.aicredits.config.Env;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS clients, built once per container with everything explicit: region, credentials provider and the
 * URLConnection HTTP client, so a cold start does no provider-chain or classpath lookups.
 */
public final class AwsClients {
    /** Set by the local stack only: where its DynamoDB (our engine, emulation/dynamodb) listens. */
    public static final String DYNAMODB_ENDPOINT = "AICREDITS_DYNAMODB_ENDPOINT";

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), DYNAMODB_ENDPOINT).build();
    }

    /**
     * Region, credentials and the URLConnection HTTP client for any SDK client; the endpoint comes from
     * {@code endpointVariable} when that is set (the local stack's emulators), else from the region.
     */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, String endpointVariable) {
        builder.region(region()).credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.builder().build());
        String endpoint = endpointVariable == null ? null : Env.get(endpointVariable);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
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
