package com.aicredits.domain;

/**
 * One catalog entry: a kind of AI run and its fixed price per run, {@code credits} on the platform's model and
 * {@code byosCredits} (the platform's fee) when the run uses the customer's own model subscription.
 */
public record Activity(String key, Feature feature, String description, long credits, long byosCredits) {
    public Activity {
        if (credits < 0 || byosCredits < 0) {
            throw new IllegalArgumentException("credits must not be negative: " + key);
        }
        if (feature == Feature.FREE && (credits != 0 || byosCredits != 0)) {
            throw new IllegalArgumentException("a FREE activity costs 0 credits: " + key);
        }
    }

    /** An activity whose BYOS runs cost nothing (the shipped catalog's BYOS price). */
    public Activity(String key, Feature feature, String description, long credits) {
        this(key, feature, description, credits, 0);
    }

    /** The price of one run on {@code model}. */
    public long credits(ExecutionModel model) {
        return model == ExecutionModel.BYOS ? byosCredits : credits;
    }
}
