package com.aicredits.json;

import com.aicredits.domain.Activity;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.PriceCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The price catalog deployed with the functions: {@code shared/src/main/resources/com/aicredits/domain/price-catalog.json}. */
public final class PriceCatalogFile {
    private static final String DEFAULT_RESOURCE = "/com/aicredits/domain/price-catalog.json";

    private PriceCatalogFile() {
    }

    public static PriceCatalog loadDefault() {
        try (InputStream in = PriceCatalogFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return parse(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PriceCatalog parse(JsonNode root) {
        List<PriceCatalog.Version> versions = new ArrayList<>();
        for (JsonNode v : root.withArray("versions")) {
            Map<String, Activity> activities = new LinkedHashMap<>();
            for (JsonNode a : v.withArray("activities")) {
                Map<String, Credits> byLlmModel = new LinkedHashMap<>();
                a.path("llmModelCredits").properties().forEach(model -> byLlmModel.put(model.getKey(), credits(model.getValue())));
                Activity activity = new Activity(a.get("key").asText(), Feature.valueOf(a.get("feature").asText()),
                        a.get("description").asText(), credits(a.get("credits")), credits(a.required("byosCredits")), byLlmModel);
                activities.put(activity.key(), activity);
            }
            versions.add(new PriceCatalog.Version(v.get("version").asText(), Instant.parse(v.get("effectiveFrom").asText()), activities));
        }
        return new PriceCatalog(versions);
    }

    /** A price as the file writes it, exactly (0.25 stays 0.25: the file is read with decimals, not doubles). */
    private static Credits credits(JsonNode price) {
        if (!price.isNumber()) {
            throw new IllegalArgumentException("a price must be a number; got " + price);
        }
        return Credits.of(price.decimalValue());
    }
}
