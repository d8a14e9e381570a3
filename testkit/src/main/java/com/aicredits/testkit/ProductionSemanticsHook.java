package com.aicredits.testkit;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Listed in testkit's {@code software/amazon/awssdk/services/dynamodb/execution.interceptors}, so the SDK adds it to
 * every DynamoDB client built where testkit is on the classpath (tests and the local stack, never a deployed function:
 * their jars do not hold testkit). It does nothing unless {@value ProductionSemantics#SEED_PROPERTY} is set; then it
 * plays the JVM-wide {@link ProductionSemantics}, so that handlers building their clients through {@code AwsClients}
 * run under it unchanged.
 */
public final class ProductionSemanticsHook implements ExecutionInterceptor {
    private final ProductionSemantics jvmWide = ProductionSemantics.fromSystemProperties();

    private ProductionSemantics semantics(ExecutionAttributes attributes) {
        return jvmWide == null || Boolean.TRUE.equals(attributes.getAttribute(ProductionSemantics.OWN_MODE)) ? null : jvmWide;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        ProductionSemantics semantics = semantics(attributes);
        if (semantics != null) {
            semantics.beforeTransmission(context, attributes);
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        ProductionSemantics semantics = semantics(attributes);
        if (semantics != null) {
            semantics.afterTransmission(context, attributes);
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        ProductionSemantics semantics = semantics(attributes);
        return semantics == null ? context.response() : semantics.modifyResponse(context, attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        ProductionSemantics semantics = semantics(attributes);
        if (semantics != null) {
            semantics.afterExecution(context, attributes);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        ProductionSemantics semantics = semantics(attributes);
        if (semantics != null) {
            semantics.onExecutionFailure(context, attributes);
        }
    }
}
