package com.aicredits.client;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog version in force and, when an amendment is scheduled, {@code next} (else null). Prices are exact
 * {@link BigDecimal}s with up to two decimals ({@code 0.25}).
 */
public record Pricing(String version, String effectiveFrom, List<ActivityPrice> activities, Pricing next) {
    /**
     * {@code byosCredits}: the price of a run on the workspace's own model (BYOS); {@code llmModelCredits}: the price by
     * LLM model where the activity has one (for {@code task.execution}: {@code gpt-4o} 1, {@code gemini-1-pro} 0.25, ...),
     * which a LEGACY workspace charges for a run recorded with that {@code llmModel}; null when the activity has none.
     */
    public record ActivityPrice(String activity, String feature, String description, BigDecimal credits, BigDecimal byosCredits,
                                Map<String, BigDecimal> llmModelCredits) {
        public ActivityPrice {
            llmModelCredits = llmModelCredits == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(llmModelCredits));
        }

        /** What a LEGACY workspace charges for a run on {@code llmModel}: its price in the map, else {@code credits}. */
        public BigDecimal creditsFor(String llmModel) {
            BigDecimal price = llmModel == null || llmModelCredits == null ? null : llmModelCredits.get(llmModel);
            return price != null ? price : credits;
        }
    }

    /** The credits of one run of {@code activity} in this version. */
    public BigDecimal creditsOf(String activity) {
        return price(activity).credits();
    }

    /**
     * The credits of one run of {@code activity} on {@code llmModel} as a LEGACY workspace is charged (the catalog's
     * {@code llmModelCredits}; a model it does not list, or null, costs the activity's {@code credits}). An EXTEND
     * workspace ignores the LLM model: {@link #creditsOf(String)}.
     */
    public BigDecimal creditsOf(String activity, String llmModel) {
        return price(activity).creditsFor(llmModel);
    }

    private ActivityPrice price(String activity) {
        return activities.stream().filter(a -> a.activity().equals(activity)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no activity " + activity + " in pricing " + version));
    }
}
