package com.aicredits.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A workspace's BYOS setting: the features whose runs may use the customer's own model subscription, at which provider.
 * We meter only: the platform holds the model keys, we store none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Byos(boolean enabled, String provider, List<Feature> features) {
    public static final List<String> PROVIDERS = List.of("openai", "anthropic", "azure-openai", "bedrock", "google");

    /** The body's {@code byos}, before validation. */
    public record Spec(Boolean enabled, String provider, List<String> features) {
    }

    public Byos {
        features = List.copyOf(features);
    }

    /** Validates the body's {@code byos}; every refusal is a 400 {@code invalid_byos} naming what is wrong. */
    public static Byos fromSpec(Spec spec) {
        if (spec == null) {
            return null;
        }
        if (spec.enabled() == null) {
            throw invalid("byos.enabled is required (true or false)");
        }
        if (spec.provider() == null ? spec.enabled() : !PROVIDERS.contains(spec.provider())) {
            throw invalid("byos.provider must be one of " + String.join(", ", PROVIDERS) + "; got " + CreditsException.quote(spec.provider()));
        }
        List<Feature> features = new ArrayList<>();
        for (String name : spec.features() == null ? List.<String>of() : spec.features()) {
            Feature feature = null;
            for (Feature candidate : Feature.values()) {
                if (candidate.name().equals(name)) {
                    feature = candidate;
                }
            }
            if (feature == null) {
                throw invalid("byos.features must name features among " + names() + "; got " + CreditsException.quote(name));
            }
            if (features.contains(feature)) {
                throw invalid("byos.features must not repeat; " + name + " is there twice");
            }
            features.add(feature);
        }
        if (spec.enabled() && features.isEmpty()) {
            throw invalid("byos.features must name at least one feature when byos is enabled");
        }
        return new Byos(spec.enabled(), spec.provider(), features);
    }

    /** The features whose runs may be BYOS now (none while disabled). */
    @JsonIgnore
    public Set<Feature> enabledFeatures() {
        return enabled && !features.isEmpty() ? EnumSet.copyOf(features) : EnumSet.noneOf(Feature.class);
    }

    private static String names() {
        List<String> names = new ArrayList<>();
        for (Feature feature : Feature.values()) {
            names.add(feature.name());
        }
        return String.join(", ", names);
    }

    private static CreditsException invalid(String message) {
        return CreditsException.invalid("byos", message);
    }
}
