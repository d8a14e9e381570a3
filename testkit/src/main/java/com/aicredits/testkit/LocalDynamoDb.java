package com.aicredits.testkit;

import com.aicredits.emulation.dynamodb.DynamoDbEngine;
import com.aicredits.emulation.dynamodb.ProductionMode;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.emulation.template.TemplateTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * The tests' DynamoDB: our engine ({@code emulation/dynamodb}, {@link DynamoDbEngine}) in this JVM on 127.0.0.1, or,
 * under {@code make test-localstack}, LocalStack's (see {@link LocalStackServices}); both reached through the same
 * real SDK clients.
 *
 * <p>An engine started here plays production at its least kind ({@link ProductionSemantics}) when the JVM-wide switch
 * is on ({@value ProductionSemantics#SEED_PROPERTY}), or when a test asks for it ({@link #start(ProductionSemantics)}).
 */
public final class LocalDynamoDb implements AutoCloseable {
    /** One dummy identity everywhere (the engine does not verify signatures). */
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    public static final Region REGION = Region.US_EAST_1;
    public static final String TABLE_LOGICAL_ID = "CreditsTable";

    private static LocalDynamoDb shared;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final DynamoDbEngine engine;
    /** Set when the database runs elsewhere (LocalStack); then there is no engine of ours. */
    private final URI external;

    private LocalDynamoDb(DynamoDbEngine engine) {
        this.engine = engine;
        this.external = null;
    }

    private LocalDynamoDb(URI external) {
        this.engine = null;
        this.external = external;
    }

    /**
     * Starts the engine on {@code host} (127.0.0.1: it listens on loopback only) and {@code port} (0 picks a free
     * port), in memory when {@code dataDir} is null, else keeping its data in {@code dataDir}, which it then owns: a
     * second engine on the same directory fails at once, saying so. Under the JVM-wide switch it plays production.
     */
    public static LocalDynamoDb start(String host, int port, Path dataDir) {
        return start(host, port, dataDir, ProductionSemantics.fromSystemProperties(), InstantSource.system(), true);
    }

    /**
     * The same, on {@code clock}: the time its stream records, time to live and idempotency tokens go by. The local
     * stack passes its own (moved by {@code AICREDITS_CLOCK_START}), so a stream record is stamped with the time the
     * functions saw when they wrote, as on AWS.
     */
    public static LocalDynamoDb start(String host, int port, Path dataDir, InstantSource clock) {
        return start(host, port, dataDir, ProductionSemantics.fromSystemProperties(), clock, true);
    }

    /**
     * A fresh in-memory engine on a free port playing {@code semantics} (null: none), for tests: it deletes no
     * expired item by itself (see {@link #shared()}).
     */
    public static LocalDynamoDb start(ProductionSemantics semantics) {
        return start("127.0.0.1", 0, null, semantics, InstantSource.system(), false);
    }

    /** A fresh in-memory engine on a free port playing the engine's own production mode {@code mode} (the bench). */
    public static LocalDynamoDb start(ProductionMode.Settings mode) {
        return new LocalDynamoDb(DynamoDbEngine.inMemory().port(0).productionMode(mode).start());
    }

    private static LocalDynamoDb start(String host, int port, Path dataDir, ProductionSemantics semantics, InstantSource clock,
                                       boolean sweepExpiredItems) {
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("the DynamoDB engine listens on 127.0.0.1 only, not " + host);
        }
        DynamoDbEngine.Builder builder = dataDir == null ? DynamoDbEngine.inMemory() : DynamoDbEngine.onDisk(dataDir);
        builder.port(port).clock(clock);
        if (!sweepExpiredItems) {
            builder.ttlSweepInterval(Duration.ZERO);
        }
        if (semantics != null) {
            builder.productionMode(semantics.settings().engineSettings());
        }
        DynamoDbEngine engine = builder.start();
        if (semantics != null) {
            semantics.playedBy(engine);
        }
        return new LocalDynamoDb(engine);
    }

    /**
     * Takes the engine down as an outage would: the port stops answering (connections are refused) and, on disk, its
     * data directory is released. {@link #restart()} brings it back.
     */
    public synchronized void stop() {
        if (engine != null) {
            engine.stop();
        }
    }

    /**
     * Starts the engine again on the same port: on disk, what was acknowledged before {@link #stop()} is read back
     * from its directory; in memory, the tables are kept.
     */
    public synchronized void restart() {
        if (external != null) {
            throw new UnsupportedOperationException("LocalStack's DynamoDB cannot be restarted from here");
        }
        engine.restart();
    }

    /** What the production mode played on this engine so far (all zero when it is off). */
    public ProductionMode.Stats stats() {
        return engine == null ? new ProductionMode.Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : engine.stats();
    }

    /**
     * The in-memory instance this test JVM shares, started on first use and stopped when the JVM exits; LocalStack's
     * DynamoDB when the run asked for it ({@code -Daicredits.backend=localstack}; the test is skipped without Docker).
     * It deletes no expired item by itself: tests run on clocks of their own, and a sweeper on the machine's would
     * delete what a test's clock still sees as live (alert markers of a fixed December 2026 once the machine's date
     * passes their time to live: found by {@code make test-calendar}). DynamoDB may take days to delete an expired
     * item, so never within a test is within what it documents.
     */
    public static synchronized LocalDynamoDb shared() {
        if (shared == null && LocalStackServices.requested()) {
            shared = new LocalDynamoDb(LocalStackServices.endpoint());
        }
        if (shared == null) {
            LocalDynamoDb started = start("127.0.0.1", 0, null, ProductionSemantics.fromSystemProperties(), InstantSource.system(), false);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "dynamodb-engine-stop"));
            shared = started;
        }
        return shared;
    }

    public URI endpoint() {
        if (external != null) {
            return external;
        }
        return engine.endpoint();
    }

    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
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

    /** How many items {@code table} holds (a full, strongly consistent scan: for tests). */
    public long itemCount(String table) {
        try (DynamoDbClient client = client()) {
            // Consistent: under the production mode an eventually consistent Scan may be served stale.
            return client.scanPaginator(b -> b.tableName(table).select(Select.COUNT).consistentRead(true)).stream()
                    .mapToLong(r -> r.count()).sum();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
