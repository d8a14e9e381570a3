package com.aicredits.mail;

import static com.aicredits.mail.EmailText.grouped;
import static com.aicredits.mail.EmailText.oneDecimal;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolMember;
import com.aicredits.domain.SummaryHistory;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.EmailLayout.About;
import com.aicredits.mail.EmailLayout.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The monthly summary email of a closed period: consumption against the allocation, the breakdown by feature, the
 * month before and the thresholds reached, which workspace, and the link to its usage overview; in the layout every
 * email of ours shares. An organization's credit pool has one of its own, naming the organization, with the pool's usage
 * by workspace too.
 */
public final class SummaryEmails {
    private final String overviewBaseUrl;
    private final String settingsUrlTemplate;

    public SummaryEmails(String overviewBaseUrl) {
        this(overviewBaseUrl, null);
    }

    /** {@code settingsUrlTemplate}: as for {@link com.aicredits.mail.AlertEmails}, null or blank when none. */
    public SummaryEmails(String overviewBaseUrl, String settingsUrlTemplate) {
        this.overviewBaseUrl = overviewBaseUrl;
        this.settingsUrlTemplate = settingsUrlTemplate;
    }

    public static String subject(Period period, String workspaceName) {
        return "[aicredits] Monthly AI credit summary for " + period + " — " + EmailText.oneLine(workspaceName);
    }

    /** The summary without what came before (no month before, no threshold reached). */
    public Email summary(Workspace workspace, Balance closed, Balance opened) {
        return summary(workspace, closed, opened, SummaryHistory.none());
    }

    /** The subject of an organization's credit pool summary. */
    public static String poolSubject(Period period, String organizationName) {
        return "[aicredits] Monthly AI credit summary for " + period + " of the organization's credit pool — "
                + EmailText.oneLine(organizationName);
    }

    /**
     * The summary of {@code closed} (the balance of the month that ended) for {@code workspace}; {@code opened} is the
     * new month's balance when known (its allocation is mentioned), else null.
     */
    public Email summary(Workspace workspace, Balance closed, Balance opened, SummaryHistory history) {
        return summary(subject(closed.period(), workspace.name()), About.workspace(workspace), EmailLayout.WORKSPACE, closed,
                opened, history, EmailText.usageLink(overviewBaseUrl, workspace.workspaceId(), closed.period()),
                EmailText.settingsLink(settingsUrlTemplate, workspace.workspaceId()), List.of());
    }

    /**
     * The summary of an organization's credit pool: {@code closed} and {@code opened} are the pool's ledgers (the new
     * month's null when not open), {@code members} the organization's workspaces with their balances of the closed
     * month (the usage by workspace), {@code history} the pool's month before and the thresholds it reached.
     */
    public Email poolSummary(Organization organization, List<PoolMember> members, Balance closed, Balance opened,
                             SummaryHistory history) {
        return summary(poolSubject(closed.period(), organization.name()), About.pool(organization),
                "The credit pool of " + EmailLayout.WORKSPACE, closed, opened, history,
                EmailText.organizationUsageLink(overviewBaseUrl, closed.period()), null, AlertEmails.shares(members));
    }

    private Email summary(String subject, About about, String whose, Balance closed, Balance opened, SummaryHistory history,
                          String usageUrl, String settingsUrl, List<EmailLayout.WorkspaceShare> byWorkspace) {
        Period period = closed.period();
        String month = EmailText.monthName(period);
        String percent = oneDecimal(Thresholds.percentUsed(closed)) + "%";
        String used = grouped(closed.used()) + " of " + grouped(closed.allocated()) + " credits";
        String comparison = comparison(closed, history.monthBefore());
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Period", period + " (" + month + ")"));
        facts.add(EmailLayout.left(closed));
        facts.add(EmailLayout.allocation(closed));
        facts.add(new Fact("Month before (" + EmailText.monthName(period.previous()) + ")", comparison));
        facts.add(new Fact("Thresholds reached", history.thresholdsReached().isEmpty() ? "none"
                : history.thresholdsReached().stream().map(t -> t + "%").collect(Collectors.joining(", "))));
        String rollOver = "Unused credits do not roll over"
                + (opened == null ? "." : ": " + opened.period() + " starts with " + grouped(opened.allocated()) + " credits.");
        return EmailLayout.render(new EmailLayout.Content(subject, "Monthly summary: " + month,
                EmailLayout.Tone.INFO, used + " used in " + month + " (" + percent + "). Month before: " + comparison + ".",
                about, whose + " used " + percent + " of its AI credits in " + month + ".",
                used, percent, closed.used(), closed.allocated(), closed.usedByFeature(), EmailLayout.runsWithoutCredits(closed),
                facts, List.of(rollOver), usageUrl, settingsUrl, byWorkspace));
    }

    /** {@code 2,900 of 5,000 credits used; change in used: +17.7%}, or that the month before has no balance. */
    private static String comparison(Balance closed, Balance before) {
        if (before == null) {
            return "no usage recorded";
        }
        String usedBefore = grouped(before.used()) + " of " + grouped(before.allocated()) + " credits used";
        if (before.used().isZero()) {
            return usedBefore;
        }
        double change = (closed.used().hundredths() - before.used().hundredths()) * 100.0 / before.used().hundredths();
        return usedBefore + "; change in used: " + (change == 0 ? "none" : String.format(Locale.ROOT, "%+.1f%%", change));
    }
}
