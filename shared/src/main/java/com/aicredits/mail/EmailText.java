package com.aicredits.mail;

import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Wording and formats every email of ours shares: numbers, feature names, HTML escaping, the usage overview link. */
public final class EmailText {
    private static final Map<Feature, String> FEATURE_NAMES = Map.of(
            Feature.CASE_INVESTIGATION, "Case investigations",
            Feature.CASE_CONVERSATION, "Case conversations",
            Feature.AI_AGENT, "AI agents",
            Feature.AI_TASK, "AI tasks");

    private EmailText() {
    }

    public static String featureName(Feature feature) {
        return FEATURE_NAMES.getOrDefault(feature, feature.name());
    }

    /** {@code 12,345}, the same everywhere whatever the JVM's locale. */
    public static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** One decimal, e.g. {@code 81.3}. */
    public static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    public static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** The usage overview of one workspace and month, under {@code baseUrl} (with or without a trailing slash). */
    public static String usageLink(String baseUrl, String workspaceId, Period period) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/?workspace=" + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8) + "&period=" + period;
    }

    /** A subject line is one line: control characters (a name may hold a newline) become spaces. */
    public static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }
}
