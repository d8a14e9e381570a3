package com.aicredits.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * The tests' DynamoDB: Amazon's DynamoDB Local in this JVM, or, under {@code make test-localstack}, LocalStack's
 * (see {@link LocalStackServices}); both reached through the same real SDK clients.
 *
 * <p>Amazon's DynamoDB Local is served on 127.0.0.1 only. Its own server ({@code ServerRunner}) binds every interface
 * and has no host option, so we mount its request handler on a Jetty connector we bind to loopback ourselves:
 * the real HTTP protocol for the real SDK v2 clients, no socket open to the network, and no telemetry (that is
 * switched on only by its command-line runner, which we do not use).
 */
public final class LocalDynamoDb implements AutoCloseable {
    /** One dummy identity everywhere, so every client sees the same database. */
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    public static final Region REGION = Region.US_EAST_1;
    public static final String TABLE_LOGICAL_ID = "CreditsTable";

    private static LocalDynamoDb shared;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final String host;
    private final Path dataDir;
    private final int port;
    private Serving serving;
    /** Set when the database runs elsewhere (LocalStack); then there is no server of ours. */
    private final URI external;

    /** What one run of DynamoDB Local holds: its database and the Jetty server in front of it. */
    private record Serving(LocalDynamoDBRequestHandler requests, Server server) {
    }

    private LocalDynamoDb(String host, Path dataDir, Serving serving, int port) {
        this.host = host;
        this.dataDir = dataDir;
        this.serving = serving;
        this.port = port;
        this.external = null;
    }

    private LocalDynamoDb(URI external) {
        this.host = null;
        this.dataDir = null;
        this.serving = null;
        this.port = 0;
        this.external = external;
    }

    /**
     * Starts DynamoDB Local on 127.0.0.1:{@code port} (0 picks a free port), in memory when {@code dataDir} is null,
     * else keeping its data in {@code dataDir}.
     */
    public static LocalDynamoDb start(String host, int port, Path dataDir) {
        Serving serving = serve(host, port, dataDir);
        int bound = ((ServerConnector) serving.server().getConnectors()[0]).getLocalPort();
        return new LocalDynamoDb(host, dataDir, serving, bound);
    }

    private static Serving serve(String host, int port, Path dataDir) {
        try {
            LocalDynamoDBRequestHandler requests = new LocalDynamoDBRequestHandler(0, dataDir == null,
                    dataDir == null ? null : dataDir.toAbsolutePath().toString(), true, false);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(host);
            connector.setPort(port);
            server.addConnector(connector);
            ContextHandler context = new ContextHandler();
            context.setHandler(new LocalDynamoDBServerHandler(requests, null));
            server.setHandler(context);
            server.start();
            return new Serving(requests, server);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start DynamoDB Local on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes DynamoDB Local down as an outage would: the port stops answering (connections are refused) and its
     * database is closed. {@link #restart()} brings it back.
     */
    public synchronized void stop() {
        if (serving == null) {
            return;
        }
        try {
            serving.server().stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local", e);
        } finally {
            serving.requests().shutdown();
            serving = null;
        }
    }

    /**
     * Starts DynamoDB Local again on the same port, reopening its data folder: what was committed before {@link #stop()}
     * is there again (an in-memory instance comes back empty).
     */
    public synchronized void restart() {
        if (external != null) {
            throw new UnsupportedOperationException("LocalStack's DynamoDB cannot be restarted from here");
        }
        if (serving == null) {
            serving = serve(host, port, dataDir);
        }
    }

    /**
     * The in-memory instance this test JVM shares, started on first use and stopped when the JVM exits; LocalStack's
     * DynamoDB when the run asked for it ({@code -Daicredits.backend=localstack}; the test is skipped without Docker).
     */
    public static synchronized LocalDynamoDb shared() {
        if (shared == null && LocalStackServices.requested()) {
            shared = new LocalDynamoDb(LocalStackServices.endpoint());
        }
        if (shared == null) {
            LocalDynamoDb started = start("127.0.0.1", 0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "dynamodb-local-stop"));
            shared = started;
        }
        return shared;
    }

    public URI endpoint() {
        if (external != null) {
            return external;
        }
        return URI.create("http://" + host + ":" + port);
    }

    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    c.executionInterceptors(List.of(interceptors));
                    if (java.util.Arrays.stream(interceptors).anyMatch(ProductionSemantics.class::isInstance)) {
                        // Played by this client's own instance: the JVM-wide one stays out.
                        c.putExecutionAttribute(ProductionSemantics.OWN_MODE, true);
                    }
                })
                .build();
    }

    public DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Creates a new, empty table shaped exactly as template.yaml's {@code CreditsTable}; returns its name. */
    public String createTable(String namePrefix) {
        String name = namePrefix + "-" + TABLES.incrementAndGet();
        createTableNamed(name);
        return name;
    }

    /** Creates the table {@code name} from template.yaml (keys, indexes, stream, time to live). */
    public void createTableNamed(String name) {
        CloudFormationTemplate template = CloudFormationTemplate.load(CloudFormationTemplate.find());
        try (DynamoDbClient client = client()) {
            client.createTable(TemplateTable.createTableRequest(template, TABLE_LOGICAL_ID, name));
            TemplateTable.ttlAttribute(template, TABLE_LOGICAL_ID).ifPresent(attribute -> client.updateTimeToLive(
                    b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true))));
        }
    }

    /**
     * The global secondary indexes template.yaml declares and table {@code name} lacks: a table created before they
     * were added, kept on disk by the local stack.
     */
    public List<String> missingIndexes(String name) {
        CreateTableRequest wanted = TemplateTable.createTableRequest(CloudFormationTemplate.load(CloudFormationTemplate.find()),
                TABLE_LOGICAL_ID, name);
        try (DynamoDbClient client = client()) {
            Set<String> present = new HashSet<>();
            client.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes()
                    .forEach(index -> present.add(index.indexName()));
            return wanted.globalSecondaryIndexes().stream().map(GlobalSecondaryIndex::indexName)
                    .filter(index -> !present.contains(index)).toList();
        }
    }

    /** How many items {@code table} holds (a full scan: for tests). */
    public long itemCount(String table) {
        try (DynamoDbClient client = client()) {
            return client.scanPaginator(b -> b.tableName(table).select(Select.COUNT)).stream().mapToLong(r -> r.count()).sum();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
