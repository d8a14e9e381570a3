package com.aicredits.app;

import com.aicredits.json.PriceCatalogFile;
import com.aicredits.observability.Log;
import com.aicredits.observability.Metrics;
import com.aicredits.port.CreditStore;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.LoggerFactory;

/**
 * Before SnapStart takes its snapshot, runs harmless reads so the snapshot holds a warmed SDK client, HTTP stack,
 * JSON mapper and request path instead of paying for their first use on the first request after a restore. A
 * warm-up must write nothing: it runs on every new version's snapshot, against the production table.
 */
public final class SnapStartPriming implements Resource {
    /** Strong references: CRaC keeps registered resources only weakly. */
    private static final List<SnapStartPriming> REGISTERED = new ArrayList<>();
    private static boolean storeRegistered;

    private final Runnable warmUp;

    SnapStartPriming(Runnable warmUp) {
        this.warmUp = warmUp;
    }

    /** Runs {@code warmUp} before the snapshot (a function's own request path, read-only). */
    public static synchronized void register(Runnable warmUp) {
        SnapStartPriming priming = new SnapStartPriming(warmUp);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    static synchronized void register(CreditStore store) {
        if (!storeRegistered) {
            storeRegistered = true;
            register(() -> {
                store.findWorkspace("snapstart-priming");
                PriceCatalogFile.loadDefault();
                warmUpLogsAndMetrics();
            });
        }
    }

    /**
     * Writes one line of each kind the functions write (a log line, each metric, an SDK warning through SLF4J) into a
     * sink that drops them: their classes, Jackson's generator and SLF4J's provider lookup land in the snapshot, and
     * nothing reaches the log.
     */
    static void warmUpLogsAndMetrics() {
        try (AutoCloseable dropped = Log.capture(line -> { })) {
            Log.info("snapstart priming");
            Metrics.debited("AI_TASK", java.math.BigDecimal.ONE, 0);
            Metrics.refused("hard_limit_exceeded");
            Metrics.replayed();
            Metrics.thresholdFired("80", "2026-01");
            LoggerFactory.getLogger(SnapStartPriming.class).warn("snapstart priming");
        } catch (Exception e) {
            throw new IllegalStateException("priming the logs failed", e);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        warmUp.run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: credentials come from the container endpoint on each call.
    }
}
