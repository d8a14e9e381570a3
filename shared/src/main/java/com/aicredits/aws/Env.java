package com.aicredits.aws;

/** Environment variables the functions are configured with (see template.yaml). */
public final class Env {
    private Env() {
    }

    public static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    public static String tableName() {
        return required("TABLE_NAME");
    }
}
