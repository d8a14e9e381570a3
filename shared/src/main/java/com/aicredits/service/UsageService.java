package com.aicredits.service;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Allocation;
import com.aicredits.domain.Balance;
import com.aicredits.domain.Caller;
import com.aicredits.domain.Credits;
import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Feature;
import com.aicredits.domain.Forecast;
import com.aicredits.domain.Ids;
import com.aicredits.domain.Period;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Timestamps;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AlertStore;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.port.UsageStore;
import com.aicredits.port.WorkspaceStore;
import java.time.Clock;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Usage for organization managers and viewers. Only the {@code organization_manager} and {@code organization_viewer}
 * roles read usage (403 otherwise), both with the same answers, and only of their own organization: anything outside it
 * is 404, whether it exists or not, so existence never leaks. Every route here only reads, so the viewer is read-only by
 * construction; neither role reaches a write (those need a client-credentials scope, never a role).
 */
public final class UsageService {
    public static final String MANAGER_ROLE = "organization_manager";
    /** Sees exactly what a manager sees, read-only (the spec: "the same usage routes and the page read-only"). */
    public static final String VIEWER_ROLE = "organization_viewer";
    /** The roles that read usage; either one is enough. */
    public static final Set<String> USAGE_ROLES = Set.of(MANAGER_ROLE, VIEWER_ROLE);
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final int HISTORY_MONTHS = 12;
    public static final int MAX_HISTORY_MONTHS = 24;

    private final UsageStore store;
    private final AlertStore alerts;
    private final Clock clock;

    public UsageService(UsageStore store, AlertStore alerts, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
    }

    public record Day(String date, Credits credits, Credits cumulative) {
    }

    /**
     * The usage's forecast; in the first 24 hours of the current period {@code tooEarly} is true and both figures are
     * null, as the forecast alert waits as long (a burst in the first hours would project nonsense).
     */
    public record ForecastView(Credits projectedUsed, String runsOutOn, boolean tooEarly) {
        static ForecastView of(Forecast forecast) {
            return new ForecastView(forecast.projectedUsed(), forecast.runsOutOn() == null ? null : forecast.runsOutOn().toString(), false);
        }

        static ForecastView tooEarlyToTell() {
            return new ForecastView(null, null, true);
        }
    }

    /** The workspace usage response; field order is the response's. */
    public record WorkspaceUsage(String workspaceId, String period, Credits creditsAllocated, Credits creditsUsed,
                                 Credits creditsRemaining, BigDecimal percentUsed, Credits hardLimitCredits,
                                 Map<Feature, Credits> byFeature, long freeExecutions, long casesCounted,
                                 Map<Feature, Long> byosExecutions, List<Day> daily,
                                 List<Integer> thresholdsReached, ForecastView forecast, String blockedAt) {
    }

    public record WorkspaceRow(String workspaceId, String name, String tier, Credits creditsAllocated, Credits creditsUsed,
                               Credits creditsRemaining, BigDecimal percentUsed, Map<Feature, Credits> byFeature,
                               long byosExecutions) {
    }

    /** One month of the history; field order is the response's, its figures those of the usage route for that month. */
    public record MonthUsage(String period, Credits creditsAllocated, Credits creditsUsed, Credits creditsRemaining,
                             BigDecimal percentUsed, Map<Feature, Credits> byFeature, long freeExecutions, long casesCounted,
                             Map<Feature, Long> byosExecutions, List<Integer> thresholdsReached) {
    }

    /** The history response: the months from {@code from} to {@code to}, oldest first. */
    public record UsageHistory(String workspaceId, String from, String to, List<MonthUsage> months) {
    }

    public WorkspaceUsage workspaceUsage(Caller caller, String workspaceId, String periodText) {
        requireUsageRole(caller);
        Instant now = clock.instant();
        Period period = period(periodText, now);
        LedgerView view = store.workspaceAndBalance(Ids.workspaceId(workspaceId), period);
        Workspace workspace = visibleWorkspace(caller, view.workspace(), workspaceId);
        Balance balance = view.balance() != null ? view.balance() : Allocation.opening(workspace, period);
        List<Integer> fired = markersExpired(period, now) ? List.of() : alerts.markers(workspaceId, period).stream()
                .filter(marker -> marker.alert().kind() == Alert.Kind.THRESHOLD)
                .map(marker -> marker.alert().threshold()).toList();
        List<Integer> reached = thresholdsReached(period, fired, balance, workspace, now);
        boolean current = period.equals(Period.of(now));
        ForecastView forecast = !current ? ForecastView.of(new Forecast(balance.used(), null))
                : Forecast.tooEarly(period, now) ? ForecastView.tooEarlyToTell() : ForecastView.of(Forecast.of(balance, now));
        return new WorkspaceUsage(workspaceId, period.toString(), balance.allocated(), balance.used(), balance.remaining(),
                Thresholds.percentUsed(balance), balance.hardLimitCredits(), byFeature(balance), balance.freeExecutions(),
                balance.casesCounted(), new LinkedHashMap<>(balance.byosExecutions()), daily(balance, current ? now.atOffset(ZoneOffset.UTC).getDayOfMonth() : period.lengthInDays()),
                reached, forecast, balance.blockedAt() == null ? null : Timestamps.format(balance.blockedAt()));
    }

    /**
     * Month over month: {@code from} to {@code to} (default: the 12 months ending with the current one), at most 24.
     * One BatchGetItem of the months' balances and one Query of their alert markers, whatever the months hold. A month
     * nobody debited shows its opening allocation, as the usage route does. Markers are kept 400 days after their
     * month: for an older month the thresholds reached are those its final balance reaches.
     */
    public UsageHistory usageHistory(Caller caller, String workspaceId, String fromText, String toText) {
        requireUsageRole(caller);
        Ids.workspaceId(workspaceId);
        Instant now = clock.instant();
        Period to = toText == null || toText.isEmpty() ? Period.of(now) : started("to", month("to", toText), now);
        Period from = fromText == null || fromText.isEmpty() ? to.minusMonths(HISTORY_MONTHS - 1) : month("from", fromText);
        if (from.compareTo(to) > 0) {
            throw CreditsException.invalid("range", "from " + from + " is after to " + to);
        }
        List<Period> periods = new ArrayList<>();
        for (Period p = from; p.compareTo(to) <= 0 && periods.size() <= MAX_HISTORY_MONTHS; p = p.next()) {
            periods.add(p);
        }
        if (periods.size() > MAX_HISTORY_MONTHS) {
            throw CreditsException.invalid("range", "at most " + MAX_HISTORY_MONTHS + " months at a time; "
                    + from + " to " + to + " is more");
        }
        WorkspaceStore.WorkspaceBalances view = store.balanceHistory(workspaceId, periods);
        Workspace workspace = visibleWorkspace(caller, view.workspace(), workspaceId);
        Map<Period, List<Integer>> fired = store.thresholdsFired(workspaceId, from, to);
        List<MonthUsage> months = new ArrayList<>(periods.size());
        for (Period period : periods) {
            Balance balance = view.balances().getOrDefault(period, Allocation.opening(workspace, period));
            List<Integer> reached = thresholdsReached(period, fired.getOrDefault(period, List.of()), balance, workspace, now);
            months.add(new MonthUsage(period.toString(), balance.allocated(), balance.used(), balance.remaining(),
                    Thresholds.percentUsed(balance), byFeature(balance), balance.freeExecutions(), balance.casesCounted(),
                    new LinkedHashMap<>(balance.byosExecutions()), reached));
        }
        return new UsageHistory(workspaceId, from.toString(), to.toString(), months);
    }

    /** Whether {@code period}'s alert markers are past their keeping (the table's TTL deletes them, up to days late). */
    private static boolean markersExpired(Period period, Instant now) {
        return period.end().plus(AlertMarker.KEPT_AFTER_PERIOD).isBefore(now);
    }

    /**
     * The thresholds a month reached, the one answer of the usage route and the history: while its markers are kept,
     * those that fired ({@code fired}); once they are past their keeping, those its final balance reaches, with the
     * workspace's thresholds, plus the hard limit's when the month was blocked there, as it would have fired. Decided
     * by the date alone, never by whether the TTL has deleted the markers yet, so both routes agree at every moment.
     */
    private static List<Integer> thresholdsReached(Period period, List<Integer> fired, Balance balance, Workspace workspace,
                                                   Instant now) {
        if (!markersExpired(period, now)) {
            return fired.stream().distinct().sorted().toList();
        }
        return Thresholds.reachedOrBlocked(balance, workspace.effectiveThresholds());
    }

    /** {@link Period#parse}, its refusal naming the query parameter. */
    private static Period month(String parameter, String text) {
        try {
            return Period.parse(text);
        } catch (CreditsException malformed) {
            throw CreditsException.invalid("period", parameter + " must be a month, YYYY-MM (e.g. 2026-11); got "
                    + CreditsException.quote(text));
        }
    }

    /** A month the caller asks for must have started: the usage of a future month is not a question we answer. */
    private static Period started(String parameter, Period month, Instant now) {
        if (month.compareTo(Period.of(now)) > 0) {
            throw CreditsException.invalid("period", parameter + " " + month + " has not started yet");
        }
        return month;
    }

    public UsageStore.Page<String> executions(Caller caller, String workspaceId, String periodText, String limitText, String cursor) {
        requireUsageRole(caller);
        Period period = period(periodText, clock.instant());
        int limit = limit(limitText, DEFAULT_LIMIT);
        visibleWorkspace(caller, store.workspaceAndBalance(Ids.workspaceId(workspaceId), period).workspace(), workspaceId);
        return store.executions(workspaceId, period, limit, emptyToNull(cursor));
    }

    public UsageStore.Page<WorkspaceRow> organizationUsage(Caller caller, String organizationId, String periodText,
                                                           String limitText, String cursor) {
        requireUsageRole(caller);
        Ids.organizationId(organizationId);
        Period period = period(periodText, clock.instant());
        int limit = limit(limitText, 100);
        if (!organizationId.equals(caller.organizationId())) {
            throw new CreditsException(Refusal.UNKNOWN_ORGANIZATION, "organization " + organizationId + " not found");
        }
        UsageStore.Page<Workspace> page = store.workspacesOf(organizationId, limit, emptyToNull(cursor));
        Map<String, Balance> balances = store.balances(page.items().stream().map(Workspace::workspaceId).toList(), period);
        List<WorkspaceRow> rows = new ArrayList<>();
        for (Workspace workspace : page.items()) {
            Balance balance = balances.getOrDefault(workspace.workspaceId(), Allocation.opening(workspace, period));
            rows.add(new WorkspaceRow(workspace.workspaceId(), workspace.name(), workspace.tier().name(), balance.allocated(),
                    balance.used(), balance.remaining(), Thresholds.percentUsed(balance), byFeature(balance),
                    balance.byosExecutionsTotal()));
        }
        return new UsageStore.Page<>(rows, page.nextCursor());
    }

    private static void requireUsageRole(Caller caller) {
        if (caller.roles().stream().noneMatch(USAGE_ROLES::contains)) {
            throw new CreditsException(Refusal.NOT_A_MANAGER, "usage is visible to the " + MANAGER_ROLE + " and " + VIEWER_ROLE
                    + " roles only");
        }
        if (caller.organizationId() == null || caller.organizationId().isBlank()) {
            throw new CreditsException(Refusal.NO_ORGANIZATION, "the token carries no org_id claim");
        }
    }

    private static Workspace visibleWorkspace(Caller caller, Workspace workspace, String workspaceId) {
        if (workspace == null || !workspace.organizationId().equals(caller.organizationId())) {
            throw new CreditsException(Refusal.UNKNOWN_WORKSPACE, "workspace " + workspaceId + " not found");
        }
        return workspace;
    }

    private static Period period(String text, Instant now) {
        if (text == null || text.isEmpty()) {
            return Period.of(now);
        }
        return started("period", Period.parse(text), now);
    }

    private static int limit(String text, int defaultLimit) {
        if (text == null || text.isEmpty()) {
            return defaultLimit;
        }
        // ASCII digits only: Integer.parseInt would also take "+5" and other scripts' digits.
        if (text.matches("[0-9]{1,4}")) {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw CreditsException.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + "; got "
                + CreditsException.quote(text));
    }

    private static Map<Feature, Credits> byFeature(Balance balance) {
        return new LinkedHashMap<>(balance.usedByFeature());
    }

    private static List<Day> daily(Balance balance, int throughDay) {
        List<Day> days = new ArrayList<>(throughDay);
        Credits cumulative = Credits.ZERO;
        for (int day = 1; day <= throughDay; day++) {
            Credits credits = balance.dailyCredits().get(day - 1);
            cumulative = cumulative.plus(credits);
            days.add(new Day(balance.period().day(day).toString(), credits, cumulative));
        }
        return days;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
