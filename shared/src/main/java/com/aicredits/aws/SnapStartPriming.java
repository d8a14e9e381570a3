package com.aicredits.aws;

import com.aicredits.domain.PriceCatalog;
import com.aicredits.store.CreditStore;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

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
                PriceCatalog.loadDefault();
            });
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
