package com.aicredits.local.lambda;

import com.aicredits.app.InvocationContext;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The functions of template.yaml, each instantiated from its {@code Handler} (as a Lambda container would, through
 * the no-argument constructor) and invoked in this JVM. Each function has {@code containers} instances, taken in
 * turn, as Lambda scales a busy function out to several containers (each with its own caches). Configure the
 * environment (system properties, see {@code com.aicredits.config.Env}) before the first {@link #invoke}.
 */
public final class LocalFunctions {
    private final CloudFormationTemplate template;
    private final int containers;
    private final Map<String, List<RequestHandler<Object, Object>>> handlers = new LinkedHashMap<>();
    private final AtomicLong invocations = new AtomicLong();

    public LocalFunctions(CloudFormationTemplate template) {
        this(template, 1);
    }

    public LocalFunctions(CloudFormationTemplate template, int containers) {
        if (containers < 1) {
            throw new IllegalArgumentException("containers must be at least 1; got " + containers);
        }
        this.template = template;
        this.containers = containers;
    }

    /** Builds every function's handlers (each container's init), so that a broken build fails at once. */
    public void instantiateAll() {
        for (String logicalId : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            handlers(logicalId);
        }
    }

    /** Invokes function {@code logicalId} with {@code event}, as Lambda would. */
    public Object invoke(String logicalId, Object event) {
        List<RequestHandler<Object, Object>> instances = handlers(logicalId);
        RequestHandler<Object, Object> handler = instances.get((int) (invocations.getAndIncrement() % instances.size()));
        return handler.handleRequest(event, InvocationContext.local(logicalId, timeoutSeconds(logicalId)));
    }

    @SuppressWarnings("unchecked")
    private synchronized List<RequestHandler<Object, Object>> handlers(String logicalId) {
        return handlers.computeIfAbsent(logicalId, id -> {
            String handler = String.valueOf(template.effectiveProperties(id).get("Handler"));
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            List<RequestHandler<Object, Object>> instances = new ArrayList<>();
            try {
                for (int i = 0; i < containers; i++) {
                    instances.add((RequestHandler<Object, Object>) Class.forName(className).getDeclaredConstructor().newInstance());
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException thrown ? thrown.getCause() : e;
                throw new IllegalStateException("cannot instantiate " + className + " for " + id + ": " + StartupFailure.describe(cause), cause);
            }
            return List.copyOf(instances);
        });
    }

    private int timeoutSeconds(String logicalId) {
        Object timeout = template.effectiveProperties(logicalId).get("Timeout");
        return timeout instanceof Number number ? number.intValue() : 3;
    }
}
