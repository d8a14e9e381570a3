package com.aicredits.config;

/**
 * Environment variables the functions are configured with (see template.yaml). The local stack runs every
 * handler in one JVM and cannot set environment variables there, so a system property of the same name stands
 * in for one; Lambda sets none.
 */
public final class Env {
    private Env() {
    }

    public static String get(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }

    public static String required(String name) {
        String value = get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    public static String tableName() {
        return required("TABLE_NAME");
    }
}
