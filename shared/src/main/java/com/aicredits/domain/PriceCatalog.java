package com.aicredits.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned activity catalog. A debit is priced by the version in force at its {@code occurredAt},
 * and the record keeps that version, so a later price change never rewrites history. The deployed catalog is read
 * by {@code json.PriceCatalogFile}.
 */
public final class PriceCatalog {
    /** One version of the catalog, in force from {@code effectiveFrom} until the next version starts. */
    public record Version(String version, Instant effectiveFrom, Map<String, Activity> activities) {
        public Version {
            activities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(activities)); // keeps the file's order
        }
    }

    private final List<Version> versionsNewestFirst;

    public PriceCatalog(List<Version> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a catalog needs at least one version");
        }
        List<Version> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparing(Version::effectiveFrom).reversed());
        if (sorted.stream().map(Version::version).distinct().count() != sorted.size()
                || sorted.stream().map(Version::effectiveFrom).distinct().count() != sorted.size()) {
            throw new IllegalArgumentException("catalog versions need distinct names and distinct effective times");
        }
        this.versionsNewestFirst = List.copyOf(sorted);
    }

    public Version versionAt(Instant at) {
        for (Version version : versionsNewestFirst) {
            if (!version.effectiveFrom().isAfter(at)) {
                return version;
            }
        }
        return versionsNewestFirst.getLast();
    }

    /** The version that takes over after the one in force at {@code at}, if one is scheduled. */
    public java.util.Optional<Version> nextAfter(Instant at) {
        Version next = null;
        for (Version version : versionsNewestFirst) {
            if (!version.effectiveFrom().isAfter(at)) {
                break;
            }
            next = version;
        }
        return java.util.Optional.ofNullable(next);
    }

    /** The price in force at {@code at}; a 400 when the activity is not in that version. */
    public Price priceAt(String activityKey, Instant at) {
        Version version = versionAt(at);
        Activity activity = version.activities().get(activityKey);
        if (activity == null) {
            throw new CreditsException(Refusal.UNKNOWN_ACTIVITY, "unknown activity " + CreditsException.quote(activityKey)
                    + "; known activities: " + String.join(", ", version.activities().keySet()));
        }
        return new Price(activity, version.version());
    }
}
