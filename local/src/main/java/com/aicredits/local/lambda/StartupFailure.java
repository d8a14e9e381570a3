package com.aicredits.local.lambda;

/** Why the local stack could not start, said in one line with what to do about it. */
public final class StartupFailure {
    private StartupFailure() {
    }

    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoClassDefFoundError || cause instanceof ClassNotFoundException) {
                String missing = String.valueOf(cause.getMessage()).replace('/', '.');
                return "class " + missing + " is missing from the classpath (an incomplete or stale build);"
                        + " run `make clean` and then `make run` again";
            }
        }
        // Wrappers (InvocationTargetException, ExceptionInInitializerError) carry no message of their own.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return failure.toString();
    }
}
