package com.aicredits.aws;

import com.aicredits.domain.PriceCatalog;
import com.aicredits.store.CreditStore;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Before SnapStart takes its snapshot, runs one harmless read so the snapshot holds a warmed SDK client, HTTP
 * stack and JSON mapper instead of paying for their first use on the first request after a restore.
 */
final class SnapStartPriming implements Resource {
    /** Strong reference: CRaC keeps registered resources only weakly. */
    private static SnapStartPriming registered;

    private final CreditStore store;

    private SnapStartPriming(CreditStore store) {
        this.store = store;
    }

    static synchronized void register(CreditStore store) {
        if (registered == null) {
            registered = new SnapStartPriming(store);
            Core.getGlobalContext().register(registered);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        store.findWorkspace("snapstart-priming");
        PriceCatalog.loadDefault();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: credentials come from the container endpoint on each call.
    }
}
