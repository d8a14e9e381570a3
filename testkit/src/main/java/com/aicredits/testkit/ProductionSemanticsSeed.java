package com.aicredits.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Names the production-semantics seed in a failure, so that the run can be replayed, and reports the rates played
 * after each test class: registered by JUnit's extension autodetection ({@code META-INF/services}) in the builds that
 * switch the mode on; does nothing when it is off.
 */
public final class ProductionSemanticsSeed implements TestExecutionExceptionHandler, AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        ProductionSemantics semantics = ProductionSemantics.fromSystemProperties();
        if (semantics != null) {
            semantics.report("after " + context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        ProductionSemantics semantics = ProductionSemantics.fromSystemProperties();
        if (semantics == null) {
            throw failure;
        }
        AssertionError named = new AssertionError("[production semantics " + semantics.settings() + "; replay with -D"
                + ProductionSemantics.SEED_PROPERTY + "=" + semantics.settings().seed() + "; so far: " + semantics.stats()
                + "] " + failure, failure);
        named.setStackTrace(failure.getStackTrace());
        throw named;
    }
}
