package com.aicredits.client;

import java.util.List;

/** The catalog version in force and, when an amendment is scheduled, {@code next} (else null). */
public record Pricing(String version, String effectiveFrom, List<ActivityPrice> activities, Pricing next) {
    /** {@code byosCredits}: the price of a run on the workspace's own model (BYOS). */
    public record ActivityPrice(String activity, String feature, String description, long credits, long byosCredits) {
    }

    /** The credits of one run of {@code activity} in this version. */
    public long creditsOf(String activity) {
        return activities.stream().filter(a -> a.activity().equals(activity)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no activity " + activity + " in pricing " + version)).credits();
    }
}
