package com.aicredits.reset;

import static com.aicredits.mail.EmailText.escapeHtml;
import static com.aicredits.mail.EmailText.grouped;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Period;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.Email;
import com.aicredits.mail.EmailText;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The monthly summary email of a closed period: consumption against the allocation, the breakdown by feature, which
 * workspace, and the link to its usage overview; the same content as plain text and as HTML.
 */
public final class SummaryEmails {
    private final String overviewBaseUrl;

    public SummaryEmails(String overviewBaseUrl) {
        this.overviewBaseUrl = overviewBaseUrl;
    }

    public static String subject(Period period, String workspaceName) {
        return "[aicredits] Monthly AI credit summary for " + period + " — " + EmailText.oneLine(workspaceName);
    }

    /**
     * The summary of {@code closed} (the balance of the month that ended) for {@code workspace}; {@code opened} is the
     * new month's balance when known (its allocation is mentioned), else null.
     */
    public Email summary(Workspace workspace, Balance closed, Balance opened) {
        Period period = closed.period();
        String month = period.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + period.month().getYear();
        String percent = EmailText.oneDecimal(Thresholds.percentUsed(closed));
        String used = grouped(closed.used()) + " of " + grouped(closed.allocated()) + " credits (" + percent + "%)";
        String left = closed.remaining() >= 0 ? grouped(closed.remaining()) + " credits unused"
                : grouped(-closed.remaining()) + " credits over the allocation";
        String allocation = grouped(closed.allocated()) + " credits (monthly " + grouped(closed.baseCredits())
                + " + add-ons " + grouped(closed.addonCredits()) + ")";
        List<String[]> breakdown = new ArrayList<>();
        for (Feature feature : Feature.CHARGEABLE) {
            breakdown.add(new String[] {EmailText.featureName(feature), grouped(closed.usedByFeature().get(feature)) + " credits"});
        }
        breakdown.add(new String[] {"Free runs (no credits)", grouped(closed.freeExecutions())});
        if (closed.pricingModel() == PricingModel.LEGACY || closed.casesCounted() > 0) {
            breakdown.add(new String[] {"Cases counted (LEGACY pricing)", grouped(closed.casesCounted())});
        }
        String rollOver = "Unused credits do not roll over"
                + (opened == null ? "." : ": " + opened.period() + " starts with " + grouped(opened.allocated()) + " credits.");
        String link = EmailText.usageLink(overviewBaseUrl, workspace.workspaceId(), period);

        StringBuilder text = new StringBuilder()
                .append("Monthly AI credit summary for ").append(period).append(" (").append(month).append(")\n\n")
                .append("Workspace: ").append(workspace.name()).append(" (").append(workspace.workspaceId())
                .append("), organization ").append(workspace.organizationId()).append('\n')
                .append("Used: ").append(used).append('\n')
                .append("Left: ").append(left).append('\n')
                .append("Allocation: ").append(allocation).append("\n\n")
                .append("By feature:\n");
        for (String[] row : breakdown) {
            text.append("  ").append(row[0]).append(": ").append(row[1]).append('\n');
        }
        text.append('\n').append(rollOver).append('\n')
                .append("Usage overview: ").append(link).append('\n');

        StringBuilder rows = new StringBuilder();
        for (String[] row : breakdown) {
            rows.append("<tr><td>").append(escapeHtml(row[0])).append("</td><td style=\"text-align:right\">")
                    .append(escapeHtml(row[1])).append("</td></tr>");
        }
        long barPercent = Math.min(100, Math.round(Thresholds.percentUsed(closed)));
        String html = "<!doctype html><html><body style=\"font-family:sans-serif\">"
                + "<h2>Monthly AI credit summary for " + period + " (" + month + ")</h2>"
                + "<table>"
                + "<tr><th style=\"text-align:left\">Workspace</th><td>" + escapeHtml(workspace.name()) + " ("
                + escapeHtml(workspace.workspaceId()) + "), organization " + escapeHtml(workspace.organizationId()) + "</td></tr>"
                + "<tr><th style=\"text-align:left\">Used</th><td>" + used + "</td></tr>"
                + "<tr><th style=\"text-align:left\">Left</th><td>" + left + "</td></tr>"
                + "<tr><th style=\"text-align:left\">Allocation</th><td>" + allocation + "</td></tr>"
                + "</table>"
                + "<div role=\"img\" aria-label=\"" + percent + "% of the allocation used\" style=\"background:#e2e8f0;"
                + "width:320px;height:12px;margin:8px 0\"><div style=\"background:#2b6cb0;width:" + barPercent
                + "%;height:12px\"></div></div>"
                + "<h3>By feature</h3><table>" + rows + "</table>"
                + "<p>" + escapeHtml(rollOver) + "</p>"
                + "<p><a href=\"" + escapeHtml(link) + "\">Open the usage overview</a></p></body></html>";
        return new Email(workspace.notificationEmails(), subject(period, workspace.name()), text.toString(), html);
    }
}
