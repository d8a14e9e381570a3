package com.aicredits.domain;

/** One catalog entry: a kind of AI run and its fixed price per run. */
public record Activity(String key, Feature feature, String description, long credits) {
    public Activity {
        if (credits < 0) {
            throw new IllegalArgumentException("credits must not be negative: " + key);
        }
        if (feature == Feature.FREE && credits != 0) {
            throw new IllegalArgumentException("a FREE activity costs 0 credits: " + key);
        }
    }
}
