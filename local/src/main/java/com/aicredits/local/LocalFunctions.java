package com.aicredits.local;

import com.aicredits.aws.InvocationContext;
import com.aicredits.testkit.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions of template.yaml, each instantiated once from its {@code Handler} (as a Lambda container would,
 * through the no-argument constructor) and invoked in this JVM. Configure the environment (system properties,
 * see {@code com.aicredits.aws.Env}) before the first {@link #invoke}.
 */
public final class LocalFunctions {
    private final CloudFormationTemplate template;
    private final Map<String, RequestHandler<Object, Object>> handlers = new LinkedHashMap<>();

    public LocalFunctions(CloudFormationTemplate template) {
        this.template = template;
    }

    /** Invokes function {@code logicalId} with {@code event}, as Lambda would. */
    public Object invoke(String logicalId, Object event) {
        RequestHandler<Object, Object> handler = handler(logicalId);
        return handler.handleRequest(event, InvocationContext.local(logicalId, timeoutSeconds(logicalId)));
    }

    @SuppressWarnings("unchecked")
    private synchronized RequestHandler<Object, Object> handler(String logicalId) {
        return handlers.computeIfAbsent(logicalId, id -> {
            String handler = String.valueOf(template.effectiveProperties(id).get("Handler"));
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            try {
                return (RequestHandler<Object, Object>) Class.forName(className).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate " + className + " for " + id, e);
            }
        });
    }

    private int timeoutSeconds(String logicalId) {
        Object timeout = template.effectiveProperties(logicalId).get("Timeout");
        return timeout instanceof Number number ? number.intValue() : 3;
    }
}
