package com.aicredits.alerts;

import static com.aicredits.mail.EmailText.escapeHtml;
import static com.aicredits.mail.EmailText.grouped;
import static com.aicredits.mail.EmailText.oneDecimal;

import com.aicredits.domain.Balance;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.Email;
import com.aicredits.mail.EmailText;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The alert emails, in plain text and HTML with the same content. */
public final class AlertEmails {
    /** From this threshold on, the email suggests an add-on package. */
    static final int SUGGEST_ADDON_FROM = 80;
    private static final String ADDONS = "Add-on packages of 10,000, 25,000, 50,000 or 100,000 credits a month raise the "
            + "allocation at once, for this month (MONTHLY) or twelve months (ANNUAL).";

    private final String overviewBaseUrl;

    public AlertEmails(String overviewBaseUrl) {
        this.overviewBaseUrl = overviewBaseUrl;
    }

    public String usageLink(Balance balance) {
        return EmailText.usageLink(overviewBaseUrl, balance.workspaceId(), balance.period());
    }

    public Email threshold(Workspace workspace, Balance balance, int threshold) {
        String subject = "[aicredits] Usage alert: " + threshold + "% of monthly AI credits used — " + workspace.name();
        String headline = String.format(Locale.ROOT, "Workspace %s has used %s%% of its AI credits for %s, reaching the %d%% alert threshold.",
                workspace.name(), oneDecimal(Thresholds.percentUsed(balance)), balance.period(), threshold);
        String advice = threshold >= SUGGEST_ADDON_FROM ? ADDONS : null;
        return email(workspace, balance, subject, headline, advice);
    }

    public Email forecast(Workspace workspace, Balance balance, Forecast forecast) {
        String date = forecast.runsOutOn().format(DateTimeFormatter.ISO_LOCAL_DATE);
        String subject = "[aicredits] Forecast: AI credits projected to run out on " + date + " — " + workspace.name();
        String headline = String.format(Locale.ROOT, "At this month's rate, workspace %s will use all %s AI credits of %s on %s"
                        + " (projected %s credits by the end of the month).",
                workspace.name(), grouped(balance.allocated()), balance.period(), date, grouped(forecast.projectedUsed()));
        return email(workspace, balance, subject, headline, ADDONS);
    }

    private Email email(Workspace workspace, Balance balance, String subject, String headline, String advice) {
        String link = usageLink(balance);
        StringBuilder text = new StringBuilder(headline).append("\n\n")
                .append("Workspace: ").append(workspace.name()).append(" (").append(workspace.workspaceId()).append(")\n")
                .append("Period: ").append(balance.period()).append('\n')
                .append("Used: ").append(grouped(balance.used())).append(" / ").append(grouped(balance.allocated()))
                .append(" credits (").append(oneDecimal(Thresholds.percentUsed(balance))).append("%)\n\nBy feature:\n");
        StringBuilder rows = new StringBuilder();
        for (Feature feature : Feature.CHARGEABLE) {
            long credits = balance.usedByFeature().get(feature);
            text.append("  ").append(EmailText.featureName(feature)).append(": ").append(grouped(credits)).append('\n');
            rows.append("<tr><td>").append(EmailText.featureName(feature)).append("</td><td style=\"text-align:right\">")
                    .append(grouped(credits)).append("</td></tr>");
        }
        if (advice != null) {
            text.append('\n').append(advice).append('\n');
        }
        text.append("\nUsage overview: ").append(link).append('\n');
        String html = "<!doctype html><html><body style=\"font-family:sans-serif\">"
                + "<p>" + escapeHtml(headline) + "</p>"
                + "<table><tr><th style=\"text-align:left\">Workspace</th><td>" + escapeHtml(workspace.name()) + " ("
                + escapeHtml(workspace.workspaceId()) + ")</td></tr>"
                + "<tr><th style=\"text-align:left\">Period</th><td>" + balance.period() + "</td></tr>"
                + "<tr><th style=\"text-align:left\">Used</th><td>" + grouped(balance.used()) + " / " + grouped(balance.allocated())
                + " credits (" + oneDecimal(Thresholds.percentUsed(balance)) + "%)</td></tr></table>"
                + "<h3>By feature</h3><table>" + rows + "</table>"
                + (advice == null ? "" : "<p>" + escapeHtml(advice) + "</p>")
                + "<p><a href=\"" + escapeHtml(link) + "\">Open the usage overview</a></p></body></html>";
        return new Email(workspace.notificationEmails(), subject, text.toString(), html);
    }
}
