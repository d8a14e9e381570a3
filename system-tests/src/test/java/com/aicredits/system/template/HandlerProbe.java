package com.aicredits.system.template;

/**
 * Run in a fresh JVM whose class path is a function's built artifact (and this class alone): loads the handler
 * class the way the Java runtime does, checks it is a request handler, and constructs it, which is the function's
 * init (AWS clients, services). Prints one line; exits non-zero on any failure. JDK classes only.
 */
public final class HandlerProbe {
    private HandlerProbe() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> handler = Class.forName(args[0]);
        ClassLoader loader = handler.getClassLoader();
        String kind = null;
        for (String type : new String[] {"com.amazonaws.services.lambda.runtime.RequestHandler",
                "com.amazonaws.services.lambda.runtime.RequestStreamHandler"}) {
            if (Class.forName(type, false, loader).isAssignableFrom(handler)) {
                kind = type;
            }
        }
        if (kind == null) {
            System.out.println("NOT A HANDLER: " + handler.getName());
            System.exit(2);
        }
        Object instance = handler.getConstructor().newInstance();
        System.out.println("HANDLER READY: " + instance.getClass().getName() + " implements " + kind
                + " (loaded from " + handler.getProtectionDomain().getCodeSource().getLocation() + ")");
    }
}
