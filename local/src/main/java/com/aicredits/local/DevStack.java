package com.aicredits.local;

import com.aicredits.adapter.dynamodb.Keys;
import com.aicredits.adapter.ses.SesMailer;
import com.aicredits.app.Services;
import com.aicredits.app.http.ExchangeObserver;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.local.http.LocalApiServer;
import com.aicredits.local.identity.LocalAuthorizer;
import com.aicredits.local.lambda.LocalFunctions;
import com.aicredits.local.lambda.StartupFailure;
import com.aicredits.local.schedules.Schedules;
import com.aicredits.local.ses.SesEmulator;
import com.aicredits.local.streams.StreamPoller;
import com.aicredits.port.EventPublisher;
import com.aicredits.service.WorkspaceService;
import com.aicredits.testkit.LocalDynamoDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * {@code make run}: the whole system on a laptop, with no Docker and no AWS account, driven by template.yaml.
 * Our DynamoDB engine ({@code emulation/dynamodb}) keeps its data under {@code .local/dynamodb/}, which one stack at
 * a time owns (a second {@code make run} of the same checkout is refused at once); the SES emulator keeps every email; the HTTP API on
 * 127.0.0.1 routes to the real handlers; a poller feeds the stream functions and the schedules fire on time.
 */
public final class DevStack implements AutoCloseable {
    public static final String TABLE_NAME = "aicredits-local";
    /** The function the demo data runs at the 1st, as its schedule would, to close the previous month. */
    private static final String MONTHLY_RESET = "MonthlyResetFunction";
    private static final Region REGION = Region.US_EAST_1;
    /** Where {@code make run} (and the browser tests) start the stack's clock, to show a given moment of a month. */
    public static final String CLOCK_START = "AICREDITS_CLOCK_START";

    private final List<AutoCloseable> running = new ArrayList<>();
    private LocalApiServer api;
    private LocalAuthorizer authorizer;
    private LocalDynamoDb dynamoDb;
    private StreamPoller poller;
    private DemoData.Written demo;

    /**
     * Where the stack keeps its state and which port it serves; {@code containersPerFunction} instances of each
     * function take requests in turn, as Lambda scales out (1 for {@code make run}); {@code clockStart}: the instant
     * the stack's clock (and every function's) starts at, ticking from there, or null for the system's;
     * {@code exchanges}: sees each exchange of the HTTP handlers (the tests' contract check).
     */
    public record Settings(Path repositoryRoot, Path dataDirectory, int port, boolean demoData, int containersPerFunction,
                           Instant clockStart, ExchangeObserver exchanges) {
        public Settings(Path repositoryRoot, Path dataDirectory, int port, boolean demoData) {
            this(repositoryRoot, dataDirectory, port, demoData, 1);
        }

        public Settings(Path repositoryRoot, Path dataDirectory, int port, boolean demoData, int containersPerFunction) {
            this(repositoryRoot, dataDirectory, port, demoData, containersPerFunction, null, ExchangeObserver.NONE);
        }

        public Settings withExchanges(ExchangeObserver observer) {
            return new Settings(repositoryRoot, dataDirectory, port, demoData, containersPerFunction, clockStart, observer);
        }

        static Settings fromEnvironment() {
            Path root = CloudFormationTemplate.find().toAbsolutePath().getParent();
            String port = System.getenv().getOrDefault("PORT", "3000");
            String data = System.getenv("AICREDITS_LOCAL_DIR");
            int portNumber;
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("PORT must be a number; got '" + port + "'");
            }
            return new Settings(root, data == null ? root.resolve(".local") : Path.of(data), portNumber, true, 1,
                    clockStart(System.getenv(CLOCK_START)), ExchangeObserver.NONE);
        }

        static Instant clockStart(String start) {
            if (start == null || start.isBlank()) {
                return null;
            }
            try {
                return Instant.parse(start.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(CLOCK_START + " must be an ISO-8601 instant such as 2026-12-01T07:00:00Z; got '" + start + "'");
            }
        }

        /** The stack's clock: UTC, from {@link #clockStart} when set. */
        Clock clock() {
            return clockStart == null ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), clockStart));
        }
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        DevStack stack;
        Settings settings;
        try {
            settings = Settings.fromEnvironment();
            stack = start(settings);
        } catch (Throwable e) {
            // One line, then exit: start() has stopped what it started, and exit ends any thread a library left.
            System.err.println("make run: the local stack did not start: " + StartupFailure.describe(e));
            System.err.flush();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping the local stack ...");
            stack.close();
        }, "local-stack-stop"));
        stack.printBanner(Duration.ofNanos(System.nanoTime() - started), settings.repositoryRoot());
    }

    public static DevStack start(Settings settings) {
        DevStack stack = new DevStack();
        try {
            stack.startAll(settings);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Settings settings) {
        CloudFormationTemplate template = CloudFormationTemplate.load(settings.repositoryRoot().resolve(CloudFormationTemplate.FILE_NAME));
        Path data = settings.dataDirectory();
        try {
            Files.createDirectories(data.resolve("dynamodb"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + data, e);
        }
        // Fail on a taken API port before starting anything else.
        checkPortFree(settings.port());
        Clock clock = settings.clock();

        dynamoDb = startDynamoDb(data, clock);
        running.add(dynamoDb);
        ensureTable(dynamoDb, TABLE_NAME);

        SesEmulator ses = SesEmulator.start(settings.repositoryRoot().resolve("local/ses"), 0);
        running.add(ses);

        String apiBase = "http://127.0.0.1:" + settings.port();
        Services services = services(dynamoDb, ses, apiBase, clock).withExchanges(settings.exchanges());
        LocalFunctions functions = new LocalFunctions(template, services, settings.containersPerFunction());
        // Every handler now, as Lambda's init would: a class missing from the build fails the start, not a request.
        functions.instantiateAll();

        poller = StreamPoller.fromTemplate(template, dynamoDb.streamsClient(), streamArn(dynamoDb),
                functions::invoke, data);
        running.add(poller);
        poller.start();
        Schedules schedules = Schedules.fromTemplate(template, functions::invoke, clock);
        running.add(schedules);
        schedules.start();

        OverviewVendor.install(settings.repositoryRoot());
        authorizer = new LocalAuthorizer(data.resolve("jwt-signing-key.json"), apiBase + "/_local");
        api = LocalApiServer.start(settings.port(), HttpApiRoutes.fromTemplate(template), functions, authorizer,
                new LocalApiServer.LocalEndpoints(schedules::fire, ses::emailsJson,
                        settings.repositoryRoot().resolve("overview"), settings.repositoryRoot().resolve("openapi.yaml"), clock));
        running.add(api);

        if (settings.demoData()) {
            WorkspaceService workspaces = services.workspaces();
            if (!DemoData.present(workspaces)) {
                demo = DemoData.write(services, clock.instant(), monthStart -> schedules.fire(MONTHLY_RESET, monthStart));
            }
        }
    }

    /**
     * The engine on disk under {@code data}: the data directory's owner from now on. Another stack on the same
     * directory (a second {@code make run} of this checkout, on another PORT) fails here, before anything else starts.
     * Under the JVM-wide production-semantics switch the engine plays production at its least kind.
     */
    private static LocalDynamoDb startDynamoDb(Path data, Clock clock) {
        try {
            return LocalDynamoDb.start("127.0.0.1", 0, data.resolve("dynamodb"), clock);
        } catch (IllegalStateException e) {
            java.util.regex.Matcher holder = java.util.regex.Pattern.compile("\\((pid [0-9]+)\\)").matcher(String.valueOf(e.getMessage()));
            if (String.valueOf(e.getMessage()).contains("in use by another engine")) {
                throw new IllegalStateException("another local stack already runs on this checkout's data (" + data + ", held by "
                        + (holder.find() ? holder.group(1) : "another process") + "): one `make run` per checkout. Stop the"
                        + " other one (Ctrl-C in its terminal), or give this one a data directory of its own with"
                        + " AICREDITS_LOCAL_DIR=<dir>", e);
            }
            throw e;
        }
    }

    public int port() {
        return api.port();
    }

    /** The DynamoDB engine as the stack runs it (the tests stop and restart it to play an outage). */
    public LocalDynamoDb dynamoDb() {
        return dynamoDb;
    }

    public LocalAuthorizer authorizer() {
        return authorizer;
    }

    public StreamPoller streamPoller() {
        return poller;
    }

    /**
     * What the functions run on here, built in code where a Lambda container reads its environment: the engine and
     * the SES emulator through the real SDK clients, the stack's clock, no event bus (events are logged).
     */
    private static Services services(LocalDynamoDb dynamoDb, SesEmulator ses, String apiBase, Clock clock) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        DynamoDbClient client = DynamoDbClient.builder().region(REGION).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(dynamoDb.endpoint()).build();
        SesV2Client sesClient = SesV2Client.builder().region(REGION).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(ses.endpoint())
                .overrideConfiguration(SesMailer::clientConfiguration).build();
        Services.Notifications notifications = new Services.Notifications(new SesMailer(sesClient, "aicredits@localhost.example"),
                EventPublisher.LOG_ONLY, apiBase, null);
        return new Services(client, TABLE_NAME, clock, PriceCatalogFile.loadDefault(), () -> notifications);
    }

    public static void ensureTable(LocalDynamoDb dynamoDb, String tableName) {
        try (DynamoDbClient client = dynamoDb.client()) {
            try {
                client.describeTable(b -> b.tableName(tableName));
            } catch (ResourceNotFoundException absent) {
                dynamoDb.createTableNamed(tableName);
                return;
            }
        }
        // The engine does not add an index to an existing table (no GlobalSecondaryIndexUpdates): say what to do instead.
        List<String> missing = dynamoDb.missingIndexes(tableName);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the local table was created before template.yaml's " + String.join(", ", missing)
                    + "; run `make clean-local` to start afresh (the demo data is written again)");
        }
        if (holdsRecordsOnTheBalancesPartition(dynamoDb, tableName)) {
            throw new IllegalStateException("the local table holds usage records in the layout from before they moved off"
                    + " the balance's partition (WS#<id>#R<k>); run `make clean-local` to start afresh (the demo data is"
                    + " written again)");
        }
    }

    /** Whether any usage record sits in its workspace's own partition ({@code WS#<id>}), as before batches. */
    private static boolean holdsRecordsOnTheBalancesPartition(LocalDynamoDb dynamoDb, String tableName) {
        try (DynamoDbClient client = dynamoDb.client()) {
            return client.scanPaginator(b -> b.tableName(tableName).projectionExpression("PK")
                            .filterExpression("begins_with(SK, :record) AND NOT contains(PK, :shard)")
                            .expressionAttributeValues(Map.of(":record", AttributeValue.fromS(Keys.EXECUTION_SK_PREFIX),
                                    ":shard", AttributeValue.fromS("#R"))))
                    .items().iterator().hasNext();
        }
    }

    private static String streamArn(LocalDynamoDb dynamoDb) {
        try (DynamoDbClient client = dynamoDb.client()) {
            return client.describeTable(b -> b.tableName(TABLE_NAME)).table().latestStreamArn();
        }
    }

    private static void checkPortFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is taken; stop what uses it or run PORT=<another port> make run");
        }
    }

    private void printBanner(Duration startup, Path repositoryRoot) {
        String base = "http://127.0.0.1:" + port();
        System.out.printf("""

                aicredits local stack ready in %.1f s
                  API            %s/v1  (routes from template.yaml, JWT authorizer played locally)
                  overview       %s/  (sign in: the local identity provider offers demo users; or paste a dev token)
                  sign-in issuer %s/_local  (OpenID Connect discovery at /_local/.well-known/openid-configuration)
                  emails         %s/_local/emails
                  schedules      POST %s/_local/schedules/{FunctionLogicalId}?at=2026-12-01T00:00:00Z
                  tokens         %s/_local/token?role=service|admin|manager|viewer&org=%s
                  data           DynamoDB engine on %s (on disk under .local/), SES emulator on 127.0.0.1
                %s
                Dev tokens (12 h):
                  service  %s
                  admin    %s
                  manager  %s

                Try it, in another terminal (README.md, "Quick start"):
                %s

                Ctrl-C stops everything.
                """, startup.toMillis() / 1000.0, base, base, base, base, base, base, DemoData.ORGANIZATION,
                dynamoDb.endpoint(),
                demo != null ? "  demo data      organization " + DemoData.ORGANIZATION + ": 4 workspaces; " + DemoData.POOL_ORGANIZATION
                        + ": a credit pool over 3 workspaces; " + demo.previousMonthRuns() + " runs last month, "
                        + demo.thisMonthRuns() + " this month so far\n" : "",
                authorizer.token("service", null), authorizer.token("admin", null), authorizer.token("manager", DemoData.ORGANIZATION),
                QuickStart.examples(repositoryRoot, port()).indent(2).stripTrailing());
        System.out.flush();
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        running.clear();
    }
}
