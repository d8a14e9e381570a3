package com.aicredits.mail;

import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.TextStyle;
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

    /** An amount of credits grouped as {@link #grouped(long)}, its hundredths after the point when it has any: {@code 1,234.5}. */
    public static String grouped(Credits credits) {
        long whole = Math.abs(credits.hundredths()) / 100;
        long cents = Math.abs(credits.hundredths()) % 100;
        String text = (credits.isNegative() ? "-" : "") + grouped(whole);
        return cents == 0 ? text : text + "." + (cents % 10 == 0 ? Long.toString(cents / 10) : String.format(Locale.ROOT, "%02d", cents));
    }

    /** One decimal, e.g. {@code 81.3}. */
    public static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** One decimal, e.g. {@code 81.3}. */
    public static String oneDecimal(java.math.BigDecimal value) {
        return value.setScale(1, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** A share of a whole as a percentage, one decimal ({@code 35.2%}); 0.0% of nothing. */
    public static String share(Credits part, Credits whole) {
        return oneDecimal(part.percentOf(whole)) + "%";
    }

    /** {@code November 2026}. */
    public static String monthName(Period period) {
        return period.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + period.month().getYear();
    }

    /** {@code 24 December}. */
    public static String dayAndMonth(LocalDate date) {
        return date.getDayOfMonth() + " " + date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    /**
     * A name as the plain-text part writes it: a name with right-to-left letters is wrapped in Unicode's first-strong
     * isolate (U+2068 ... U+2069), so it does not reorder the English around it; any other name is left as it is.
     */
    public static String isolated(String name) {
        boolean rightToLeft = name.codePoints().anyMatch(c -> {
            byte direction = Character.getDirectionality(c);
            return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
        });
        return rightToLeft ? "\u2068" + name + "\u2069" : name;
    }

    public static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** The usage overview of one workspace and month, under {@code baseUrl} (with or without a trailing slash). */
    public static String usageLink(String baseUrl, String workspaceId, Period period) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/?workspace=" + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8) + "&period=" + period;
    }

    /** The organization's view of the usage overview (the reader's own organization) for a month. */
    public static String organizationUsageLink(String baseUrl, Period period) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/?period=" + period;
    }

    /**
     * The workspace's notification settings from {@code template} (a URL where {@code {workspaceId}} stands for the
     * id), or null when no template is configured (null or blank).
     */
    public static String settingsLink(String template, String workspaceId) {
        if (template == null || template.isBlank()) {
            return null;
        }
        return template.strip().replace("{workspaceId}", URLEncoder.encode(workspaceId, StandardCharsets.UTF_8));
    }

    /** A subject line is one line: control characters (a name may hold a newline) become spaces. */
    public static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }
}
