package com.aicredits.mail;

import static com.aicredits.mail.EmailText.escapeHtml;
import static com.aicredits.mail.EmailText.grouped;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Organization;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one layout of our emails (threshold and forecast alerts, monthly summaries): a header naming aicredits and the
 * workspace (or the organization, for its credit pool's), a headline, the used / allocated figure, a bar stacked by
 * feature, the by-feature table (and for a pool the by-workspace table), facts, advice,
 * one button to the usage overview and a footer saying why the reader gets it. Both parts are written from one
 * {@link Content}, in the same order, so the plain text carries the HTML's facts.
 *
 * <p>The HTML is what email clients render: tables for layout, inline CSS only, no script, no image, no web font; the
 * bar is table cells, so it shows where images are blocked. It is fluid up to 600 px and readable at 320 px. Every
 * element whose text is also in the plain-text part carries {@code data-fact} (the tests compare the two parts).
 */
public final class EmailLayout {
    /** The overview page's colours (overview/overview.css): the Okabe–Ito palette for the features. */
    private static final Map<Feature, String> FEATURE_COLOURS = Map.of(
            Feature.CASE_INVESTIGATION, "#0072b2",
            Feature.CASE_CONVERSATION, "#e69f00",
            Feature.AI_AGENT, "#009e73",
            Feature.AI_TASK, "#cc79a7");
    private static final String INK = "#1b1f24";
    private static final String MUTED = "#57606a";
    private static final String LINE = "#d0d7de";
    private static final String PAGE = "#f6f8fa";
    private static final String ACCENT = "#0b5cad";
    private static final String UNUSED = "#e6eaef";
    private static final String FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
    /** Where the workspace's name goes in a headline or the footer: it is escaped and isolated (bidi) there. */
    public static final String WORKSPACE = "{workspace}";

    /** The colour of the email's top stripe and kind: what the news is. */
    public enum Tone {
        INFO(ACCENT), WARNING("#9a4d00"), OVER("#b42318");

        private final String colour;

        Tone(String colour) {
            this.colour = colour;
        }
    }

    /** One labelled line: {@code Hard limit: 1,000 credits (200% of the allocation)}. */
    public record Fact(String label, String value) {
    }

    /**
     * What an email is about and who receives it: a workspace on its own allocation, or an organization's credit pool.
     *
     * @param kind       "Workspace" or "Organization", the header line's label
     * @param ids        after the name: {@code (ws-1), organization org-1}, or {@code (org-1), credit pool}
     * @param why        the footer's reason, {@link #WORKSPACE} where the name goes
     * @param unconfigured where an admin changes the recipients, said when no settings link is given
     */
    public record About(String kind, String name, String ids, List<String> recipients, String why, String unconfigured) {
        public About {
            recipients = List.copyOf(recipients);
        }

        public static About workspace(Workspace workspace) {
            return new About("Workspace", workspace.name(), "(" + workspace.workspaceId() + "), organization "
                    + workspace.organizationId(), workspace.notificationEmails(), WHY, WHY_UNCONFIGURED);
        }

        /** The organization's credit pool: its recipients are the pool's {@code notificationEmails}. */
        public static About pool(Organization organization) {
            return new About("Organization", organization.name(), "(" + organization.organizationId() + "), credit pool",
                    organization.creditPool() == null ? List.of() : organization.creditPool().notificationEmails(),
                    WHY_POOL, WHY_POOL_UNCONFIGURED);
        }
    }

    /** One workspace's part of a pool's usage: a row of the by-workspace table. */
    public record WorkspaceShare(String workspaceId, String name, Credits used) {
    }

    /**
     * What one email says, in reading order.
     *
     * @param kind        what the email is, beside the brand ("Usage alert: 80% threshold")
     * @param preheader   the line inbox lists show after the subject (hidden in the HTML)
     * @param about       the workspace or the organization, and the recipients
     * @param headline    one sentence, {@link #WORKSPACE} where the name goes
     * @param usedFigure  the large figure ("414 / 500 credits")
     * @param percentUsed "82.8%"
     * @param byFeature   credits by chargeable feature: the bar's segments and the table's rows
     * @param otherRuns   rows after the features without credits (free runs, cases counted)
     * @param facts       labelled lines after the table
     * @param paragraphs  what the reader can do, one thought each
     * @param settingsUrl the workspace's notification settings, or null when none is configured
     * @param byWorkspace a pool's usage by workspace (the by-workspace table), empty for a workspace's own email
     */
    public record Content(String subject, String kind, Tone tone, String preheader, About about, String headline,
                          String usedFigure, String percentUsed, Credits used, Credits allocated, Map<Feature, Credits> byFeature,
                          List<Fact> otherRuns, List<Fact> facts, List<String> paragraphs, String usageUrl,
                          String settingsUrl, List<WorkspaceShare> byWorkspace) {
        public Content {
            otherRuns = List.copyOf(otherRuns);
            facts = List.copyOf(facts);
            paragraphs = List.copyOf(paragraphs);
            byWorkspace = List.copyOf(byWorkspace);
        }

        /** A workspace's own email: no by-workspace table. */
        public Content(String subject, String kind, Tone tone, String preheader, About about, String headline,
                       String usedFigure, String percentUsed, Credits used, Credits allocated, Map<Feature, Credits> byFeature,
                       List<Fact> otherRuns, List<Fact> facts, List<String> paragraphs, String usageUrl, String settingsUrl) {
            this(subject, kind, tone, preheader, about, headline, usedFigure, percentUsed, used, allocated, byFeature,
                    otherRuns, facts, paragraphs, usageUrl, settingsUrl, List.of());
        }
    }

    private EmailLayout() {
    }

    public static Email render(Content content) {
        return new Email(content.about().recipients(), content.subject(), text(content), html(content));
    }

    static final String BUTTON = "Open the usage overview";
    static final String SETTINGS = "Notification settings";
    private static final String WHY = "You receive this email because an admin of " + WORKSPACE
            + " lists your address among its notification recipients.";
    private static final String WHY_UNCONFIGURED = " An admin changes who receives these emails, and at which thresholds,"
            + " in the workspace's settings (notificationEmails, thresholds).";
    private static final String WHY_POOL = "You receive this email because an admin of the organization " + WORKSPACE
            + " lists your address among its credit pool's notification recipients.";
    private static final String WHY_POOL_UNCONFIGURED = " An admin changes who receives these emails, and at which"
            + " thresholds, in the organization's credit pool (creditPool.notificationEmails, creditPool.thresholds).";
    static final String BY_WORKSPACE = "By workspace";

    static String text(Content content) {
        About about = content.about();
        String name = EmailText.isolated(about.name());
        StringBuilder text = new StringBuilder()
                .append("aicredits · ").append(content.kind()).append('\n')
                .append(about.kind()).append(": ").append(name).append(' ').append(about.ids()).append("\n\n")
                .append(content.headline().replace(WORKSPACE, name)).append("\n\n")
                .append("Used: ").append(content.usedFigure()).append(" (").append(content.percentUsed()).append(")\n\n")
                .append("By feature:\n");
        for (Feature feature : Feature.CHARGEABLE) {
            Credits credits = content.byFeature().get(feature);
            text.append("  ").append(EmailText.featureName(feature)).append(": ").append(grouped(credits)).append(" credits (")
                    .append(EmailText.share(credits, content.used())).append(")\n");
        }
        for (Fact row : content.otherRuns()) {
            text.append("  ").append(row.label()).append(": ").append(row.value()).append('\n');
        }
        if (!content.byWorkspace().isEmpty()) {
            Credits total = workspacesTotal(content);
            text.append('\n').append(workspacesHeading(total)).append(":\n");
            for (WorkspaceShare share : content.byWorkspace()) {
                text.append("  ").append(EmailText.isolated(share.name())).append(" (").append(share.workspaceId()).append("): ")
                        .append(grouped(share.used())).append(" credits (").append(EmailText.share(share.used(), total))
                        .append(")\n");
            }
        }
        text.append('\n');
        for (Fact fact : content.facts()) {
            text.append(fact.label()).append(": ").append(fact.value()).append('\n');
        }
        for (String paragraph : content.paragraphs()) {
            text.append('\n').append(paragraph).append('\n');
        }
        text.append('\n').append(BUTTON).append(": ").append(content.usageUrl()).append("\n\n")
                .append("--\n")
                .append(about.why().replace(WORKSPACE, name)).append(content.settingsUrl() == null ? about.unconfigured() : "").append('\n');
        if (content.settingsUrl() != null) {
            text.append(SETTINGS).append(": ").append(content.settingsUrl()).append('\n');
        }
        return text.toString();
    }

    static String html(Content content) {
        About about = content.about();
        StringBuilder html = new StringBuilder(8_192)
                .append("<!doctype html><html lang=\"en\" dir=\"ltr\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"color-scheme\" content=\"light\">")
                .append("<title>").append(escapeHtml(content.subject())).append("</title></head>")
                .append("<body style=\"margin:0;padding:0;background-color:").append(PAGE).append(";color:").append(INK)
                .append(";font-family:").append(FONT).append(";font-size:15px;line-height:1.5\">")
                // The preheader: shown by inbox lists after the subject, never in the message itself.
                .append("<div style=\"display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;color:").append(PAGE)
                .append(";font-size:1px;line-height:1px\">").append(escapeHtml(content.preheader()))
                // Filler, so that inbox lists show no body text after the preheader.
                .append("&nbsp;&zwnj;".repeat(40)).append("</div>")
                .append(table("width:100%;background-color:" + PAGE)).append("<tr><td style=\"padding:16px 8px\">")
                .append(table("width:100%;max-width:600px;margin:0 auto;background-color:#ffffff;border:1px solid " + LINE))
                .append("<tr><td style=\"height:6px;font-size:0;line-height:0;background-color:").append(content.tone().colour)
                .append("\"></td></tr>")
                .append("<tr><td style=\"padding:16px 20px 0\">")
                .append("<p style=\"margin:0;font-size:14px\"><strong data-fact=\"\">aicredits</strong> · <span data-fact=\"\" style=\"color:")
                .append(content.tone().colour).append(";font-weight:700\">").append(escapeHtml(content.kind())).append("</span></p>")
                .append("<p data-fact=\"\" style=\"margin:2px 0 0;font-size:14px;color:").append(MUTED)
                .append(";overflow-wrap:anywhere\">").append(about.kind()).append(": <strong dir=\"auto\" style=\"color:").append(INK).append("\">")
                .append(escapeHtml(about.name())).append("</strong> ").append(escapeHtml(about.ids())).append("</p>")
                .append("<h1 data-fact=\"\" style=\"margin:16px 0 12px;font-size:21px;line-height:1.3;font-weight:700;overflow-wrap:anywhere\">")
                .append(withName(content.headline(), about.name())).append("</h1>")
                .append("<p style=\"margin:0\"><span data-fact=\"\" style=\"font-size:26px;font-weight:700\">")
                .append(escapeHtml(content.usedFigure())).append("</span> <span style=\"color:").append(MUTED).append("\">(")
                .append("<span data-fact=\"\">").append(escapeHtml(content.percentUsed())).append("</span> used)</span></p>")
                .append(bar(content))
                .append(featureTable(content))
                .append(workspaceTable(content))
                .append(facts(content.facts()));
        for (String paragraph : content.paragraphs()) {
            html.append("<p data-fact=\"\" style=\"margin:0 0 12px\">").append(escapeHtml(paragraph)).append("</p>");
        }
        html.append(table("margin:20px 0 24px")).append("<tr><td style=\"background-color:").append(ACCENT)
                .append(";border-radius:6px\"><a href=\"").append(escapeHtml(content.usageUrl()))
                .append("\" id=\"usage-overview\" data-fact=\"\" style=\"display:inline-block;padding:12px 22px;color:#ffffff;font-weight:700;text-decoration:none\">")
                .append(BUTTON).append("</a></td></tr></table>")
                .append("</td></tr>")
                .append("<tr><td style=\"padding:14px 20px 18px;border-top:1px solid ").append(LINE).append(";font-size:13px;color:")
                .append(MUTED).append("\"><p data-fact=\"\" style=\"margin:0\">").append(withName(about.why(), about.name()))
                .append(content.settingsUrl() == null ? escapeHtml(about.unconfigured()) : "").append("</p>");
        if (content.settingsUrl() != null) {
            html.append("<p style=\"margin:6px 0 0\"><a id=\"notification-settings\" data-fact=\"\" href=\"")
                    .append(escapeHtml(content.settingsUrl())).append("\" style=\"color:").append(ACCENT).append("\">")
                    .append(SETTINGS).append("</a></p>");
        }
        return html.append("</td></tr></table></td></tr></table></body></html>").toString();
    }

    /**
     * The rows after the features: free runs, cases counted where cases are counted (LEGACY), and the period's runs on
     * the workspace's own model where it may run any (BYOS).
     */
    public static List<Fact> runsWithoutCredits(Balance balance) {
        List<Fact> rows = new ArrayList<>();
        rows.add(new Fact("Free runs (no credits)", grouped(balance.freeExecutions())));
        if (balance.pricingModel() == PricingModel.LEGACY || balance.casesCounted() > 0) {
            rows.add(new Fact("Cases counted (LEGACY pricing)", grouped(balance.casesCounted())));
        }
        if (!balance.byosFeatures().isEmpty() || balance.byosExecutionsTotal() > 0) {
            rows.add(byosRuns(balance));
        }
        return rows;
    }

    /** {@code 14 (AI agents 12, AI tasks 2)}: the period's BYOS runs, by feature where there are any. */
    static Fact byosRuns(Balance balance) {
        List<String> byFeature = new ArrayList<>();
        balance.byosExecutions().forEach((feature, runs) -> {
            if (runs > 0) {
                byFeature.add(EmailText.featureName(feature) + " " + grouped(runs));
            }
        });
        return new Fact("Runs on your own model (BYOS)", grouped(balance.byosExecutionsTotal())
                + (byFeature.isEmpty() ? "" : " (" + String.join(", ", byFeature) + ")"));
    }

    /** {@code 30,000 credits (monthly 5,000 + add-ons 25,000)}. */
    public static Fact allocation(Balance balance) {
        return new Fact("Allocation", grouped(balance.allocated()) + " credits (monthly " + grouped(balance.baseCredits())
                + " + add-ons " + grouped(balance.addonCredits()) + ")");
    }

    /** {@code 1,588 credits unused}, or {@code 120 credits over the allocation}. */
    public static Fact left(Balance balance) {
        return new Fact("Left", !balance.remaining().isNegative() ? grouped(balance.remaining()) + " credits unused"
                : grouped(balance.remaining().negated()) + " credits over the allocation");
    }

    public static Fact hardLimit(Balance balance) {
        return new Fact("Hard limit", grouped(balance.hardLimitCredits()) + " credits (" + balance.hardLimitPercent()
                + "% of the allocation)");
    }

    /** What happens at the hard limit, from where usage now stands. */
    public static String hardLimitAdvice(Balance balance) {
        String refused = "runs that cost credits are refused (HTTP 402) until an add-on package raises the allocation or the"
                + " next month starts; free runs go on.";
        if (balance.used().isAtLeast(balance.hardLimitCredits())) {
            return "The hard limit of " + grouped(balance.hardLimitCredits()) + " credits is reached: " + refused;
        }
        Credits toGo = balance.hardLimitCredits().minus(balance.used());
        if (balance.hardLimitPercent() <= 100) {
            // LEGACY's default: no run past the allocation.
            return "A run that would take usage past " + grouped(balance.hardLimitCredits()) + " credits ("
                    + balance.hardLimitPercent() + "% of the allocation) is refused: " + grouped(toGo) + " credits are left; past them, "
                    + refused;
        }
        if (balance.used().isAtLeast(balance.allocated())) {
            return "The allocation is used up. Runs go on up to the hard limit of " + grouped(balance.hardLimitCredits())
                    + " credits, " + grouped(toGo) + " credits from now; past it, " + refused;
        }
        return "Usage may go past 100%, up to the hard limit of " + grouped(balance.hardLimitCredits()) + " credits ("
                + balance.hardLimitPercent() + "%); past it, " + refused;
    }

    /** A layout table: no cell spacing, nothing a screen reader should announce as a table. */
    private static String table(String style) {
        return "<table role=\"presentation\" style=\"border-collapse:collapse;border-spacing:0;" + style + "\">";
    }

    private static String withName(String template, String name) {
        String[] parts = template.split(Pattern.quote(WORKSPACE), -1);
        StringBuilder html = new StringBuilder(escapeHtml(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            html.append("<span dir=\"auto\">").append(escapeHtml(name)).append("</span>").append(escapeHtml(parts[i]));
        }
        return html.toString();
    }

    /**
     * The bar: one cell per feature that used credits, as wide as its share of the larger of used and allocated, then
     * the unused allocation. Above 100% the bar is what was used and a mark below it shows where the allocation ends.
     */
    private static String bar(Content content) {
        Credits scale = Credits.max(content.used(), content.allocated());
        StringBuilder label = new StringBuilder(content.usedFigure()).append(" used");
        StringBuilder cells = new StringBuilder();
        for (Feature feature : Feature.CHARGEABLE) {
            Credits credits = content.byFeature().get(feature);
            if (credits.isPositive()) {
                label.append("; ").append(EmailText.featureName(feature)).append(' ').append(grouped(credits));
                cells.append("<td data-feature=\"").append(feature).append("\" data-credits=\"").append(credits)
                        .append("\" style=\"padding:0;width:").append(percent(credits, scale)).append(";background-color:")
                        .append(FEATURE_COLOURS.get(feature)).append("\"></td>");
            }
        }
        if (content.allocated().isGreaterThan(content.used())) {
            cells.append("<td data-unused=\"").append(content.allocated().minus(content.used())).append("\" style=\"padding:0;width:")
                    .append(percent(content.allocated().minus(content.used()), scale)).append(";background-color:").append(UNUSED)
                    .append("\"></td>");
        }
        StringBuilder bar = new StringBuilder("<div id=\"feature-bar\" role=\"img\" aria-label=\"")
                .append(escapeHtml(label.toString())).append("\" style=\"margin:12px 0 4px\">")
                .append(table("width:100%;table-layout:fixed;height:18px")).append("<tr style=\"height:18px\">")
                .append(cells).append("</tr></table>");
        if (content.used().isGreaterThan(content.allocated())) {
            bar.append(table("width:100%;table-layout:fixed")).append("<tr><td style=\"padding:0;width:")
                    .append(percent(content.allocated(), scale)).append(";height:8px;border-right:2px solid ").append(INK)
                    .append("\"></td><td style=\"padding:0\"></td></tr></table>")
                    .append("<p style=\"margin:2px 0 0;font-size:13px;color:").append(MUTED).append("\">The mark is where the allocation of ")
                    .append(grouped(content.allocated())).append(" credits ends.</p>");
        }
        return bar.append("</div>").toString();
    }

    private static String percent(Credits part, Credits whole) {
        return String.format(Locale.ROOT, "%.3f%%", part.hundredths() * 100.0 / whole.hundredths());
    }

    private static String featureTable(Content content) {
        String cell = "padding:6px 0;border-bottom:1px solid " + LINE;
        StringBuilder rows = new StringBuilder(table("width:100%;margin:12px 0 16px;font-size:14px"))
                .append("<tr><th scope=\"col\" style=\"text-align:left;font-weight:600;color:").append(MUTED).append(";").append(cell)
                .append("\">By feature</th><th scope=\"col\" style=\"text-align:right;font-weight:600;color:").append(MUTED).append(";")
                .append(cell).append("\">Credits</th><th scope=\"col\" style=\"text-align:right;font-weight:600;color:").append(MUTED)
                .append(";").append(cell).append("\">Share</th></tr>");
        for (Feature feature : Feature.CHARGEABLE) {
            Credits credits = content.byFeature().get(feature);
            rows.append("<tr data-feature=\"").append(feature).append("\"><td style=\"").append(cell).append("\">")
                    .append("<span style=\"display:inline-block;width:10px;height:10px;margin-right:6px;background-color:")
                    .append(FEATURE_COLOURS.get(feature)).append("\"></span><span data-fact=\"\">")
                    .append(EmailText.featureName(feature)).append("</span></td><td data-fact=\"\" style=\"text-align:right;white-space:nowrap;")
                    .append(cell).append("\">").append(grouped(credits)).append(" credits</td><td data-fact=\"\" style=\"text-align:right;white-space:nowrap;")
                    .append(cell).append(";padding-left:8px\">").append(EmailText.share(credits, content.used())).append("</td></tr>");
        }
        for (Fact row : content.otherRuns()) {
            rows.append("<tr><td data-fact=\"\" style=\"").append(cell).append("\">").append(escapeHtml(row.label()))
                    .append("</td><td data-fact=\"\" style=\"text-align:right;").append(cell).append("\">").append(escapeHtml(row.value()))
                    .append("</td><td style=\"").append(cell).append("\"></td></tr>");
        }
        return rows.append("</table>").toString();
    }

    /** A pool's usage by workspace, the largest first; nothing for a workspace's own email. */
    private static String workspaceTable(Content content) {
        if (content.byWorkspace().isEmpty()) {
            return "";
        }
        Credits total = workspacesTotal(content);
        String cell = "padding:6px 0;border-bottom:1px solid " + LINE;
        String head = "font-weight:600;color:" + MUTED + ";" + cell;
        StringBuilder rows = new StringBuilder(table("width:100%;margin:0 0 16px;font-size:14px"))
                .append("<tr><th data-fact=\"\" scope=\"col\" style=\"text-align:left;").append(head).append("\">").append(escapeHtml(workspacesHeading(total)))
                .append("</th><th scope=\"col\" style=\"text-align:right;").append(head)
                .append("\">Credits</th><th scope=\"col\" style=\"text-align:right;").append(head).append("\">Share</th></tr>");
        for (WorkspaceShare share : content.byWorkspace()) {
            rows.append("<tr data-workspace=\"").append(escapeHtml(share.workspaceId())).append("\"><td style=\"").append(cell)
                    .append(";overflow-wrap:anywhere\"><span data-fact=\"\" dir=\"auto\">").append(escapeHtml(share.name()))
                    .append("</span> <span data-fact=\"\" style=\"color:").append(MUTED).append("\">(")
                    .append(escapeHtml(share.workspaceId())).append(")</span></td><td data-fact=\"\" style=\"text-align:right;white-space:nowrap;")
                    .append(cell).append("\">").append(grouped(share.used())).append(" credits</td><td data-fact=\"\" style=\"text-align:right;white-space:nowrap;")
                    .append(cell).append(";padding-left:8px\">").append(EmailText.share(share.used(), total)).append("</td></tr>");
        }
        return rows.append("</table>").toString();
    }

    /**
     * The workspaces' usage is read when the email is written, the figures above it are the ledger's when the alert
     * fired: the table says so and its shares are of its own total, so that each part adds up on its own.
     */
    private static String workspacesHeading(Credits total) {
        return BY_WORKSPACE + ", when this email was written (" + grouped(total) + " credits in all)";
    }

    private static Credits workspacesTotal(Content content) {
        return content.byWorkspace().stream().map(WorkspaceShare::used).reduce(Credits.ZERO, Credits::plus);
    }

    private static String facts(List<Fact> facts) {
        if (facts.isEmpty()) {
            return "";
        }
        StringBuilder rows = new StringBuilder(table("width:100%;margin:0 0 16px;font-size:14px"));
        for (Fact fact : facts) {
            rows.append("<tr><th data-fact=\"\" scope=\"row\" style=\"text-align:left;vertical-align:top;font-weight:600;padding:4px 12px 4px 0;color:")
                    .append(MUTED).append("\">").append(escapeHtml(fact.label())).append("</th><td data-fact=\"\" style=\"padding:4px 0\">")
                    .append(escapeHtml(fact.value())).append("</td></tr>");
        }
        return rows.append("</table>").toString();
    }
}
