package com.aicredits.adapter;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS clients, built once per container with everything explicit: region, credentials provider and the
 * URLConnection HTTP client, so a cold start does no provider-chain or classpath lookups. The endpoint is the
 * region's (or what the SDK's own {@code AWS_ENDPOINT_URL_<SERVICE>} says, which the bench uses).
 */
public final class AwsClients {
    /**
     * Where the SDK finds credentials. Under SnapStart, Lambda serves them from the container endpoint, not environment
     * variables (they would be frozen into the snapshot); elsewhere the environment carries them.
     */
    public enum CredentialsSource {
        CONTAINER, ENVIRONMENT
    }

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Region region, CredentialsSource credentials) {
        return configure(DynamoDbClient.builder(), region, credentials).build();
    }

    /** Region, credentials and the URLConnection HTTP client for any SDK client. */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, Region region,
                                                                                             CredentialsSource credentials) {
        return configure(builder, region, credentials(credentials));
    }

    /** The same with credentials of the caller's choosing (the bench's, where no environment carries them). */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, Region region,
                                                                                             AwsCredentialsProvider credentials) {
        return builder.region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.builder().build());
    }

    public static AwsCredentialsProvider credentials(CredentialsSource source) {
        return switch (source) {
            case CONTAINER -> ContainerCredentialsProvider.builder().build();
            case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
        };
    }
}
