package com.aicredits.mail;

import static com.aicredits.mail.EmailText.grouped;
import static com.aicredits.mail.EmailText.oneDecimal;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Organization;
import com.aicredits.domain.PoolMember;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Workspace;
import com.aicredits.mail.EmailLayout.About;
import com.aicredits.mail.EmailLayout.Fact;
import com.aicredits.mail.EmailLayout.Tone;
import com.aicredits.mail.EmailLayout.WorkspaceShare;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert emails (a threshold reached, the forecast) of a workspace, or of an organization's credit pool (naming the
 * organization, sent to the pool's recipients, with the pool's usage by workspace), in the layout every email of ours
 * shares.
 */
public final class AlertEmails {
    /** From this threshold on, the email gives the pace and suggests an add-on package. */
    static final int SUGGEST_ADDON_FROM = 80;
    private static final String ADDONS = "Add-on packages of 10,000, 25,000, 50,000 or 100,000 credits a month raise the "
            + "allocation at once, for this month (MONTHLY) or twelve months (ANNUAL); an admin buys them.";
    private static final String LEGACY = "Under LEGACY pricing only AI agents and AI tasks use credits, an AI task at the"
            + " price of the LLM model it ran on (gemini-1-pro 0.25, gpt-4o 1, gpt-4-turbo 2, ...); case investigations and"
            + " conversations are counted as cases instead.";

    private final String overviewBaseUrl;
    private final String settingsUrlTemplate;

    public AlertEmails(String overviewBaseUrl) {
        this(overviewBaseUrl, null);
    }

    /**
     * @param settingsUrlTemplate the page of a workspace's notification settings, {@code {workspaceId}} standing for
     *                            its id; null or blank when there is none to link
     */
    public AlertEmails(String overviewBaseUrl, String settingsUrlTemplate) {
        this.overviewBaseUrl = overviewBaseUrl;
        this.settingsUrlTemplate = settingsUrlTemplate;
    }

    public String usageLink(Balance balance) {
        return EmailText.usageLink(overviewBaseUrl, balance.workspaceId(), balance.period());
    }

    /** The organization's view of the overview (its pool) for the period: the organization is the reader's own. */
    public String poolUsageLink(Balance pool) {
        return EmailText.organizationUsageLink(overviewBaseUrl, pool.period());
    }

    /**
     * Whose alert it is, as its email says it: {@code whose} goes into the subject ("of monthly AI credits", "of the
     * organization's monthly AI credits") and {@code headline} opens the headline, {@link EmailLayout#WORKSPACE} where the
     * name goes.
     */
    private record Subject(About about, String whose, String headline, List<WorkspaceShare> byWorkspace, String usageUrl,
                           String settingsUrl) {
    }

    private Subject of(Workspace workspace, Balance balance) {
        return new Subject(About.workspace(workspace), "", EmailLayout.WORKSPACE, List.of(), usageLink(balance),
                EmailText.settingsLink(settingsUrlTemplate, workspace.workspaceId()));
    }

    private Subject of(Organization organization, List<PoolMember> members, Balance pool) {
        return new Subject(About.pool(organization), "the organization's ", "The credit pool of " + EmailLayout.WORKSPACE,
                shares(members), poolUsageLink(pool), null);
    }

    /** The workspaces that drew from the pool that period, with what each used, the largest first. */
    static List<WorkspaceShare> shares(List<PoolMember> members) {
        return PoolMember.drawingFromPool(members).stream()
                .map(member -> new WorkspaceShare(member.workspace().workspaceId(), member.workspace().name(), member.pooledUsed()))
                .toList();
    }

    /** The alert of {@code threshold}, for {@code balance} as it stood at {@code at} (the forecast's time). */
    public Email threshold(Workspace workspace, Balance balance, int threshold, Instant at) {
        return threshold(of(workspace, balance), balance, threshold, at);
    }

    /**
     * The pool's alert of {@code threshold}, for the pool's ledger {@code pool} as it stood at {@code at}, with the usage
     * of its workspaces ({@code members}, as read when sending) by workspace.
     */
    public Email poolThreshold(Organization organization, List<PoolMember> members, Balance pool, int threshold, Instant at) {
        return threshold(of(organization, members, pool), pool, threshold, at);
    }

    private Email threshold(Subject who, Balance balance, int threshold, Instant at) {
        String subject = "[aicredits] Usage alert: " + threshold + "% of " + who.whose() + "monthly AI credits used — "
                + EmailText.oneLine(who.about().name());
        String percent = oneDecimal(Thresholds.percentUsed(balance)) + "%";
        // The threshold's share of the allocation, rounded up to the hundredth (usage reaches it there).
        Credits thresholdCredits = Credits.ofHundredths(Math.ceilDiv(Math.multiplyExact(balance.allocated().hundredths(), threshold), 100));
        boolean blocked = blockedAt(balance, threshold);
        List<String> advice = new ArrayList<>();
        if (blocked) {
            advice.add("Runs that cost credits are now refused (HTTP 402): the next one would pass the hard limit of "
                    + grouped(balance.hardLimitCredits()) + " credits (" + balance.hardLimitPercent() + "% of the allocation)."
                    + " Free runs go on. An add-on package raises the allocation, and the limit with it, at once;"
                    + " otherwise the credits renew with the next month.");
        }
        advice.add("The " + threshold + "% alert is sent once in " + EmailText.monthName(balance.period())
                + ", when usage first reaches " + threshold + "% of the allocation (" + grouped(thresholdCredits) + " credits)"
                + (threshold == balance.hardLimitPercent() ? " or a run is first refused at the hard limit." : "."));
        String pace = null;
        if (threshold >= SUGGEST_ADDON_FROM) {
            pace = pace(balance, at);
            if (pace != null) {
                advice.add(pace);
            }
            advice.add(ADDONS);
        }
        advice.add(EmailLayout.hardLimitAdvice(balance));
        if (balance.pricingModel() == PricingModel.LEGACY) {
            advice.add(LEGACY);
        }
        Tone tone = balance.used().isAtLeast(balance.allocated()) ? Tone.OVER : threshold >= SUGGEST_ADDON_FROM ? Tone.WARNING : Tone.INFO;
        String used = usedFigure(balance);
        return EmailLayout.render(new EmailLayout.Content(subject, blocked ? "Hard limit reached: paid runs refused"
                        : "Usage alert: " + threshold + "% threshold", tone,
                (blocked ? "Paid runs are now refused at the hard limit. " : "") + percent + " of the allocation used: "
                        + used + "." + (pace == null ? "" : " " + pace),
                who.about(), who.headline() + " has used " + percent + " of its AI credits for "
                        + EmailText.monthName(balance.period()) + ".",
                used, percent, balance.used(), balance.allocated(), balance.usedByFeature(),
                EmailLayout.runsWithoutCredits(balance), facts(balance), advice, who.usageUrl(), who.settingsUrl(),
                who.byWorkspace()));
    }

    /** The forecast alert; {@code forecast} must run out this period (a forecast without a date is not sent). */
    public Email forecast(Workspace workspace, Balance balance, Forecast forecast) {
        return forecast(of(workspace, balance), balance, forecast);
    }

    /** The pool's forecast alert, as {@link #poolThreshold} is the pool's threshold alert. */
    public Email poolForecast(Organization organization, List<PoolMember> members, Balance pool, Forecast forecast) {
        return forecast(of(organization, members, pool), pool, forecast);
    }

    private Email forecast(Subject who, Balance balance, Forecast forecast) {
        if (forecast.runsOutOn() == null) {
            throw new IllegalArgumentException("a forecast that does not run out this period is not an alert");
        }
        String date = forecast.runsOutOn().format(DateTimeFormatter.ISO_LOCAL_DATE);
        String day = EmailText.dayAndMonth(forecast.runsOutOn());
        String subject = "[aicredits] Forecast: " + (who.whose().isEmpty() ? "" : who.whose()) + "AI credits projected to run out on "
                + date + " — " + EmailText.oneLine(who.about().name());
        String percent = oneDecimal(Thresholds.percentUsed(balance)) + "%";
        List<Fact> facts = facts(balance);
        facts.add(1, new Fact("Runs out on", date + " (" + day + ")"));
        facts.add(2, new Fact("Projected by the end of the month", grouped(forecast.projectedUsed()) + " credits ("
                + EmailText.share(forecast.projectedUsed(), balance.allocated()) + " of the allocation)"));
        List<String> advice = new ArrayList<>();
        advice.add("The forecast extrapolates this month's rate so far to the end of the month; it is sent once a month,"
                + " when it first shows the allocation running out before the month ends.");
        advice.add(ADDONS);
        advice.add(EmailLayout.hardLimitAdvice(balance));
        if (balance.pricingModel() == PricingModel.LEGACY) {
            advice.add(LEGACY);
        }
        String used = usedFigure(balance);
        String headline = who.headline().equals(EmailLayout.WORKSPACE) ? "At this month's pace, " + EmailLayout.WORKSPACE
                : "At this month's pace, the credit pool of " + EmailLayout.WORKSPACE;
        return EmailLayout.render(new EmailLayout.Content(subject, "Forecast: runs out on " + day, Tone.WARNING,
                "At this pace the allocation runs out on " + day + ": " + used + " used so far.",
                who.about(), headline + " will use all " + grouped(balance.allocated())
                        + " AI credits of " + EmailText.monthName(balance.period()) + " on " + day + ".",
                used, percent, balance.used(), balance.allocated(), balance.usedByFeature(),
                EmailLayout.runsWithoutCredits(balance), facts, advice, who.usageUrl(), who.settingsUrl(), who.byWorkspace()));
    }

    /** Whether this alert is the hard limit's, fired because a run was refused there (see Balance#blockedAt). */
    private static boolean blockedAt(Balance balance, int threshold) {
        return balance.blockedAt() != null && threshold == balance.hardLimitPercent();
    }

    private static String usedFigure(Balance balance) {
        return grouped(balance.used()) + " / " + grouped(balance.allocated()) + " credits";
    }

    private static List<Fact> facts(Balance balance) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Period", balance.period() + " (" + EmailText.monthName(balance.period()) + ")"));
        facts.add(EmailLayout.allocation(balance));
        facts.add(EmailLayout.left(balance));
        facts.add(EmailLayout.hardLimit(balance));
        return facts;
    }

    /** Where the month is heading, from the forecast; null once the allocation is used up (the hard limit says the rest). */
    private static String pace(Balance balance, Instant at) {
        if (balance.used().isAtLeast(balance.allocated())) {
            return null;
        }
        if (Forecast.tooEarly(balance.period(), at)) {
            return "It is too early in the month to tell the pace: the forecast waits for the month's first 24 hours.";
        }
        Forecast forecast = Forecast.of(balance, at);
        String projected = " (projected " + grouped(forecast.projectedUsed()) + " credits by the end of the month)";
        return forecast.runsOutOn() != null
                ? "At this pace the allocation runs out on " + EmailText.dayAndMonth(forecast.runsOutOn()) + projected + "."
                : "At this pace the allocation lasts the month" + projected + ".";
    }
}
