package com.aicredits.local.lambda;

import com.aicredits.app.InvocationContext;
import com.aicredits.app.Services;
import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.functions.reset.MonthlyResetHandler;
import com.aicredits.service.MonthlyReset;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The functions of template.yaml, each instantiated from its {@code Handler} class and invoked in this JVM. Where a
 * Lambda container calls the no-argument constructor (which reads the environment), the stack hands the constructor
 * that takes {@link Services} its own wiring: its DynamoDB and SES, its clock, its exchange observer; the monthly
 * reset also gets an {@link InProcessContinuation}, there being no Lambda service to invoke. Each function has
 * {@code containers} instances, taken in turn, as Lambda scales a busy function out to several containers (each with
 * its own caches).
 */
public final class LocalFunctions {
    private final CloudFormationTemplate template;
    private final Services services;
    private final int containers;
    private final Map<String, List<RequestHandler<Object, Object>>> handlers = new LinkedHashMap<>();
    private final AtomicLong invocations = new AtomicLong();

    public LocalFunctions(CloudFormationTemplate template, Services services) {
        this(template, services, 1);
    }

    public LocalFunctions(CloudFormationTemplate template, Services services, int containers) {
        if (containers < 1) {
            throw new IllegalArgumentException("containers must be at least 1; got " + containers);
        }
        this.template = template;
        this.services = services;
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
        return invoke(logicalId, event, context(logicalId, timeoutSeconds(logicalId)));
    }

    private Object invoke(String logicalId, Object event, Context context) {
        List<RequestHandler<Object, Object>> instances = handlers(logicalId);
        RequestHandler<Object, Object> handler = instances.get((int) (invocations.getAndIncrement() % instances.size()));
        return handler.handleRequest(event, context);
    }

    /** A fresh invocation of {@code functionName} here, with the function's timeout; its log lines go to the console. */
    public static InvocationContext context(String functionName, int timeoutSeconds) {
        LambdaLogger console = new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println("[" + functionName + "] " + message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
        return InvocationContext.of(functionName, Duration.ofSeconds(timeoutSeconds), console);
    }

    @SuppressWarnings("unchecked")
    private synchronized List<RequestHandler<Object, Object>> handlers(String logicalId) {
        return handlers.computeIfAbsent(logicalId, id -> {
            String handler = String.valueOf(template.effectiveProperties(id).get("Handler"));
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            List<RequestHandler<Object, Object>> instances = new ArrayList<>();
            try {
                Class<?> type = Class.forName(className);
                for (int i = 0; i < containers; i++) {
                    instances.add((RequestHandler<Object, Object>) (type == MonthlyResetHandler.class
                            ? monthlyReset(id) : type.getConstructor(Services.class).newInstance(services)));
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException thrown ? thrown.getCause() : e;
                throw new IllegalStateException("cannot instantiate " + className + " for " + id + ": " + StartupFailure.describe(cause), cause);
            }
            return List.copyOf(instances);
        });
    }

    /** The reset goes on in this JVM, through the function again (the next container in turn), as Lambda would run it. */
    private MonthlyResetHandler monthlyReset(String logicalId) {
        return new MonthlyResetHandler(services, MonthlyReset.Settings.defaults(),
                new InProcessContinuation((event, context) -> invoke(logicalId, event, context)));
    }

    private int timeoutSeconds(String logicalId) {
        Object timeout = template.effectiveProperties(logicalId).get("Timeout");
        return timeout instanceof Number number ? number.intValue() : 3;
    }
}
