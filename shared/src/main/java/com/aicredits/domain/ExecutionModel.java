package com.aicredits.domain;

/** Whose model subscription a run used: the platform's (the default) or the customer's own (BYOS), priced apart. */
public enum ExecutionModel {
    PLATFORM,
    BYOS;

    /** The body's {@code model}: absent is PLATFORM; anything else but the two names is a 400. */
    public static ExecutionModel parse(String model) {
        if (model == null) {
            return PLATFORM;
        }
        for (ExecutionModel value : values()) {
            if (value.name().equals(model)) {
                return value;
            }
        }
        throw CreditsException.invalid("model", "model must be PLATFORM or BYOS; got " + CreditsException.quote(model));
    }
}
