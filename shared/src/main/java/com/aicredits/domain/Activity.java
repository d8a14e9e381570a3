package com.aicredits.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One catalog entry: a kind of AI run and its fixed price per run, {@code credits} on the platform's model and
 * {@code byosCredits} (the platform's fee) when the run uses the customer's own model subscription;
 * {@code llmModelCredits}, for AI tasks, the price of a run on each LLM model the catalog lists (LEGACY prices a task by
 * it; a run on a model not listed, or naming none, costs {@code credits}).
 */
public record Activity(String key, Feature feature, String description, Credits credits, Credits byosCredits,
                       Map<String, Credits> llmModelCredits) {
    public Activity {
        llmModelCredits = Collections.unmodifiableMap(new LinkedHashMap<>(llmModelCredits));
        if (llmModelCredits.values().stream().anyMatch(Credits::isNegative)) {
            throw new IllegalArgumentException("credits must not be negative: " + key);
        }
        if (credits.isNegative() || byosCredits.isNegative()) {
            throw new IllegalArgumentException("credits must not be negative: " + key);
        }
        if (feature == Feature.FREE && (!credits.isZero() || !byosCredits.isZero())) {
            throw new IllegalArgumentException("a FREE activity costs 0 credits: " + key);
        }
    }

    /** An activity whose BYOS runs cost nothing (the shipped catalog's BYOS price). */
    public Activity(String key, Feature feature, String description, Credits credits) {
        this(key, feature, description, credits, Credits.ZERO, Map.of());
    }

    /** An activity priced the same whatever LLM model it ran on. */
    public Activity(String key, Feature feature, String description, Credits credits, Credits byosCredits) {
        this(key, feature, description, credits, byosCredits, Map.of());
    }

    /** The price of a platform run on {@code llmModel} (null: none named), by the catalog's per-model prices. */
    public Credits credits(String llmModel) {
        return llmModel == null ? credits : llmModelCredits.getOrDefault(llmModel, credits);
    }

    /** The price of one run on {@code model}. */
    public Credits credits(ExecutionModel model) {
        return model == ExecutionModel.BYOS ? byosCredits : credits;
    }
}
