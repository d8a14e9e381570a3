package com.aicredits.emulation.dynamodb;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A DynamoDB-compatible server on 127.0.0.1: {@code DynamoDbEngine.inMemory().port(0).start()} for a test (a free
 * port), {@code DynamoDbEngine.onDisk(dir).port(8000).start()} for a local stack whose data survives a restart.
 * Point any DynamoDB client at {@link #endpoint()} (any region, any credentials: signatures are not verified).
 *
 * <p>{@link #stop()} and {@link #restart()} play an outage: while stopped the port refuses connections; restarted,
 * the engine listens on the same port again, with its data (on disk: read back from the data directory, as after a
 * crash; in memory: kept). {@link #close()} stops it for good.
 */
public final class DynamoDbEngine implements AutoCloseable {
    private final Builder builder;
    private final ProductionMode production;
    private Database database;
    private HttpFront front;
    private ScheduledExecutorService sweeper;
    private TtlSweeper ttl;
    private int port;

    /** How to start an engine. */
    public static final class Builder {
        private final Path directory;
        private int port;
        private ProductionMode.Settings production;
        private Duration ttlDelay = Duration.ZERO;
        private Duration ttlSweepInterval = Duration.ofSeconds(1);
        private String region = "us-east-1";
        private InstantSource clock = InstantSource.system();
        private java.util.function.LongSupplier productionTicker = System::nanoTime;

        private Builder(Path directory) {
            this.directory = directory;
        }

        /** The port on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Plays production at its least kind with these settings (see {@link ProductionMode}). */
        public Builder productionMode(ProductionMode.Settings settings) {
            this.production = settings;
            return this;
        }

        /** How long after its TTL an item is deleted (default 0: at the next sweep). */
        public Builder ttlDelay(Duration delay) {
            this.ttlDelay = delay;
            return this;
        }

        /** How often the TTL sweeper runs (default 1 s; {@link Duration#ZERO}: never, sweep with {@link #sweepExpiredItems}). */
        public Builder ttlSweepInterval(Duration interval) {
            this.ttlSweepInterval = interval;
            return this;
        }

        /** The region written in ARNs and stream records (default us-east-1). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** The clock of TTL, stream records and idempotency tokens (default the system's). */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** The nanosecond ticker production mode's partition buckets refill by (tests move it by hand; default the JVM's). */
        Builder productionTicker(java.util.function.LongSupplier ticker) {
            this.productionTicker = ticker;
            return this;
        }

        public DynamoDbEngine start() {
            return new DynamoDbEngine(this);
        }
    }

    public static Builder inMemory() {
        return new Builder(null);
    }

    /** Keeps the tables in {@code directory} (created if needed), which this engine then owns until it is closed. */
    public static Builder onDisk(Path directory) {
        return new Builder(directory);
    }

    private DynamoDbEngine(Builder builder) {
        this.builder = builder;
        this.production = builder.production == null ? null : new ProductionMode(builder.production, builder.productionTicker);
        if (production != null) {
            System.err.println("dynamodb-engine: production mode on (" + builder.production + ")");
        }
        this.port = builder.port;
        open(true);
    }

    private synchronized void open(boolean loadData) {
        if (loadData || database == null) {
            Journal journal = builder.directory == null ? null : Journal.open(builder.directory);
            try {
                database = new Database(builder.clock, builder.region, journal, production);
            } catch (RuntimeException e) {
                if (journal != null) {
                    journal.close();
                }
                throw e;
            }
        }
        try {
            front = new HttpFront(database, production, port);
        } catch (RuntimeException e) {
            if (database.journal != null) {
                database.journal.close();
            }
            throw e;
        }
        port = front.port();
        ttl = new TtlSweeper(database, builder.ttlDelay);
        if (!builder.ttlSweepInterval.isZero()) {
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dynamodb-engine-ttl").factory());
            long millis = builder.ttlSweepInterval.toMillis();
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    ttl.sweep();
                } catch (RuntimeException e) {
                    System.err.println("dynamodb-engine: TTL sweep failed: " + e);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Deletes the expired items now (what the sweeper does every interval); returns how many. */
    public int sweepExpiredItems() {
        return ttl.sweep();
    }

    /** The production mode, when on. */
    public Optional<ProductionMode> productionMode() {
        return Optional.ofNullable(production);
    }

    /** What the production mode did so far (all zero when it is off). */
    public ProductionMode.Stats stats() {
        return production == null ? new ProductionMode.Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : production.stats();
    }

    /** Stops listening (connections are refused); on disk, the data directory is released. */
    public synchronized void stop() {
        if (front == null) {
            return;
        }
        front.stop();
        front = null;
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        if (database.journal != null) {
            database.journal.close();
            database = null;
        }
    }

    /** Listens again on the same port; on disk, with the data read back from the directory. */
    public synchronized void restart() {
        stop();
        open(database == null);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * {@code make dynamodb}: an engine alone, in memory, on {@code PORT} (default 8000), until the process is
     * stopped. With {@code DATA_DIR} set, on disk there.
     */
    public static void main(String[] args) throws InterruptedException {
        String portText = System.getenv("PORT");
        int port = portText == null || portText.isBlank() ? 8000 : Integer.parseInt(portText.trim());
        String directory = System.getenv("DATA_DIR");
        Builder builder = directory == null || directory.isBlank() ? inMemory() : onDisk(Path.of(directory));
        DynamoDbEngine engine = builder.port(port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "dynamodb-engine-stop"));
        System.out.println("DynamoDB engine listening on " + engine.endpoint()
                + (directory == null || directory.isBlank() ? " (in memory)" : " (data in " + directory + ")"));
        System.out.println("  aws dynamodb list-tables --endpoint-url " + engine.endpoint());
        Thread.currentThread().join();
    }
}
