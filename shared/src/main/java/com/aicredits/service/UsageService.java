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
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.Refusal;
import com.aicredits.domain.Thresholds;
import com.aicredits.domain.Timestamps;
import com.aicredits.domain.Workspace;
import com.aicredits.port.AlertStore;
import com.aicredits.port.LedgerStore.LedgerView;
import com.aicredits.port.OrganizationStore.PoolState;
import com.aicredits.port.UsageStore;
import com.aicredits.port.UsageStore.OrganizationPools;
import com.aicredits.port.WorkspaceStore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Usage for organization managers and viewers. Only the {@code organization_manager} and {@code organization_viewer}
 * roles read usage (403 otherwise), both with the same answers, and only of their own organization: anything outside it
 * is 404, whether it exists or not, so existence never leaks. Every route here only reads, so the viewer is read-only by
 * construction; neither role reaches a write (those need a client-credentials scope, never a role).
 *
 * <p>Credit pools: a workspace drawing from its organization's pool in a period says {@code "pool": "organization"}
 * and shows what it used (its own balance's counters); the organization's usage adds the pool's figures for a period
 * the organization pooled ({@link #pooledIn}).
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

    /**
     * The workspace usage response; field order is the response's. {@code pool}: {@value PoolBalance#ORGANIZATION} when
     * the workspace draws from its organization's pool that period (absent otherwise).
     */
    public record WorkspaceUsage(String workspaceId, String period, Credits creditsAllocated, Credits creditsUsed,
                                 Credits creditsRemaining, BigDecimal percentUsed, Credits hardLimitCredits,
                                 Map<Feature, Credits> byFeature, long freeExecutions, long casesCounted,
                                 Map<Feature, Long> byosExecutions, List<Day> daily,
                                 List<Integer> thresholdsReached, ForecastView forecast, String blockedAt,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) String pool) {
    }

    /** One workspace of the organization's usage; {@code pool} as {@link WorkspaceUsage#pool}. */
    public record WorkspaceRow(String workspaceId, String name, String tier, Credits creditsAllocated, Credits creditsUsed,
                               Credits creditsRemaining, BigDecimal percentUsed, Map<Feature, Credits> byFeature,
                               long byosExecutions, @JsonInclude(JsonInclude.Include.NON_NULL) String pool) {
    }

    /**
     * The organization usage response: a page of its workspaces' rows and, for a period the organization pooled, its
     * pool (the same on every page). Field order is the response's.
     */
    public record OrganizationUsage(List<WorkspaceRow> items,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) PoolUsage pool) {
    }

    /**
     * An organization's credit pool for one period, as a workspace's usage shows its own balance: one running ledger for
     * all its workspaces. {@code byWorkspace}: what each workspace of the organization used (its own balance's
     * {@code creditsUsed}), every workspace present, by id; they sum to {@code used}.
     */
    public record PoolUsage(Credits allocated, Credits used, Credits remaining, BigDecimal percentUsed,
                            Credits hardLimitCredits, Map<Feature, Credits> byFeature, Map<String, Credits> byWorkspace,
                            List<Day> daily, List<Integer> thresholdsReached, ForecastView forecast) {
    }

    /** One month of the history; field order is the response's, its figures those of the usage route for that month. */
    public record MonthUsage(String period, Credits creditsAllocated, Credits creditsUsed, Credits creditsRemaining,
                             BigDecimal percentUsed, Map<Feature, Credits> byFeature, long freeExecutions, long casesCounted,
                             Map<Feature, Long> byosExecutions, List<Integer> thresholdsReached,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String pool) {
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
        Balance balance = view.balance() != null ? view.balance() : Allocation.opening(workspace, period,
                isCurrent(period, now) && pooledIn(store.organizationPools(workspace.organizationId(), List.of(period)), period, now));
        List<Integer> fired = markersExpired(period, now) ? List.of() : alerts.markers(workspaceId, period).stream()
                .filter(marker -> marker.alert().kind() == Alert.Kind.THRESHOLD)
                .map(marker -> marker.alert().threshold()).toList();
        List<Integer> reached = thresholdsReached(period, fired, balance, workspace, now);
        ForecastView forecast = forecast(balance, now);
        if (balance.pooled()) {
            // Its own allocation limits nothing while it draws from the pool: only the pool runs out.
            forecast = new ForecastView(forecast.projectedUsed(), null, forecast.tooEarly());
        }
        return new WorkspaceUsage(workspaceId, period.toString(), balance.allocated(), balance.used(), balance.remaining(),
                Thresholds.percentUsed(balance), balance.hardLimitCredits(), byFeature(balance), balance.freeExecutions(),
                balance.casesCounted(), new LinkedHashMap<>(balance.byosExecutions()), daily(balance, daysShown(period, now)),
                reached, forecast, balance.blockedAt() == null ? null : Timestamps.format(balance.blockedAt()), poolOf(balance));
    }

    /** The forecast of a balance: the month-to-date pace in the current period, the final figure of a closed one. */
    private static ForecastView forecast(Balance balance, Instant now) {
        Period period = balance.period();
        if (!isCurrent(period, now)) {
            return ForecastView.of(new Forecast(balance.used(), null));
        }
        return Forecast.tooEarly(period, now) ? ForecastView.tooEarlyToTell() : ForecastView.of(Forecast.of(balance, now));
    }

    /** The days a period's usage shows: from the 1st to today in the current period, every day of a closed one. */
    private static int daysShown(Period period, Instant now) {
        return isCurrent(period, now) ? now.atOffset(ZoneOffset.UTC).getDayOfMonth() : period.lengthInDays();
    }

    private static boolean isCurrent(Period period, Instant now) {
        return period.equals(Period.of(now));
    }

    /** What a usage answer says in its {@code pool} field for this balance: null (absent) unless it draws from the pool. */
    private static String poolOf(Balance balance) {
        return balance.pooled() ? PoolBalance.ORGANIZATION : null;
    }

    /**
     * Whether the organization's workspaces draw from its pool in {@code period}: as the pool's balance of that period
     * says (the switch moves it, and it stays as the period closed), else, for the current period before anything
     * opened it, as the organization says now. A past period with no pool balance was not pooled: enabling a pool
     * opens its balance at once, and only for the current period and the next.
     *
     * <p>A workspace with no balance in a period shows the period's opening: drawing from the pool (and saying so) only
     * in the current period, which a debit would open pooled; in a past period it drew nothing from anything. So the
     * usage and history routes read the organization only for a current period not open yet, and every route agrees.
     */
    static boolean pooledIn(OrganizationPools found, Period period, Instant now) {
        if (found.organization() == null) {
            return false;
        }
        PoolBalance pool = found.pools().get(period);
        if (pool != null) {
            return pool.enabled();
        }
        return found.organization().pooled() && period.compareTo(Period.of(now)) >= 0;
    }

    /**
     * Month over month: {@code from} to {@code to} (default: the 12 months ending with the current one), at most 24.
     * One BatchGetItem of the months' balances and one Query of their alert markers, whatever the months hold (and,
     * while the current month is not open yet, one more BatchGetItem: whether its organization pools). A month nobody
     * debited shows its opening allocation, as the usage route does. Markers are kept 400 days after their month: for
     * an older month the thresholds reached are those its final balance reaches.
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
        // The current month not open yet opens pooled if the organization pools (see pooledIn): one more read then.
        Period current = Period.of(now);
        boolean currentOpensPooled = periods.contains(current) && !view.balances().containsKey(current)
                && pooledIn(store.organizationPools(workspace.organizationId(), List.of(current)), current, now);
        List<MonthUsage> months = new ArrayList<>(periods.size());
        for (Period period : periods) {
            Balance balance = view.balances().containsKey(period) ? view.balances().get(period)
                    : Allocation.opening(workspace, period, currentOpensPooled && period.equals(current));
            List<Integer> reached = thresholdsReached(period, fired.getOrDefault(period, List.of()), balance, workspace, now);
            months.add(new MonthUsage(period.toString(), balance.allocated(), balance.used(), balance.remaining(),
                    Thresholds.percentUsed(balance), byFeature(balance), balance.freeExecutions(), balance.casesCounted(),
                    new LinkedHashMap<>(balance.byosExecutions()), reached, poolOf(balance)));
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
        // A workspace drawing from a pool fires no thresholds of its own: the pool's fire.
        return balance.pooled() ? List.of() : Thresholds.reachedOrBlocked(balance, workspace.effectiveThresholds());
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

    /**
     * A page of the organization's workspaces with their month and, when the organization pooled that period, its pool
     * (on every page). Reads: the page's listing, the organization with its pool's balance, the workspaces' balances
     * (with a pool: every workspace's, listed whole when the page is not, for its breakdown by workspace) and, with a
     * pool, one Query of its alert markers.
     */
    public OrganizationUsage organizationUsage(Caller caller, String organizationId, String periodText, String limitText,
                                               String cursor) {
        requireUsageRole(caller);
        Ids.organizationId(organizationId);
        Instant now = clock.instant();
        Period period = period(periodText, now);
        int limit = limit(limitText, 100);
        if (!organizationId.equals(caller.organizationId())) {
            throw new CreditsException(Refusal.UNKNOWN_ORGANIZATION, "organization " + organizationId + " not found");
        }
        UsageStore.Page<Workspace> page = store.workspacesOf(organizationId, limit, emptyToNull(cursor));
        OrganizationPools pools = store.organizationPools(organizationId, List.of(period));
        boolean pooled = pooledIn(pools, period, now);
        List<Workspace> members = pooled ? everyWorkspace(organizationId, page, emptyToNull(cursor)) : page.items();
        Map<String, Balance> balances = store.balances(members.stream().map(Workspace::workspaceId).toList(), period);
        List<WorkspaceRow> rows = new ArrayList<>();
        for (Workspace workspace : page.items()) {
            Balance balance = balances.getOrDefault(workspace.workspaceId(),
                    Allocation.opening(workspace, period, pooled && isCurrent(period, now)));
            rows.add(new WorkspaceRow(workspace.workspaceId(), workspace.name(), workspace.tier().name(), balance.allocated(),
                    balance.used(), balance.remaining(), Thresholds.percentUsed(balance), byFeature(balance),
                    balance.byosExecutionsTotal(), poolOf(balance)));
        }
        PoolUsage pool = pooled ? poolUsage(pools.organization(), pools.pools().get(period), members, balances, period, now)
                : null;
        return new OrganizationUsage(rows, page.nextCursor(), pool);
    }

    /** Every workspace of the organization: the page itself when it holds them all, else the whole listing. */
    private List<Workspace> everyWorkspace(String organizationId, UsageStore.Page<Workspace> page, String cursor) {
        if (cursor == null && page.nextCursor() == null) {
            return page.items();
        }
        List<Workspace> all = new ArrayList<>();
        String next = null;
        do {
            UsageStore.Page<Workspace> more = store.workspacesOf(organizationId, MAX_LIMIT, next);
            all.addAll(more.items());
            next = more.nextCursor();
        } while (next != null);
        return all;
    }

    /**
     * The pool's usage: its balance of the period or, before anything opened it, its opening as a debit would open it
     * (its workspaces' pooled balances hold nothing yet then). Thresholds reached as a workspace's: those its markers
     * say fired, or once they are past their keeping those its final balance reaches.
     */
    private PoolUsage poolUsage(Organization organization, PoolBalance stored, List<Workspace> members,
                                Map<String, Balance> balances, Period period, Instant now) {
        Balance ledger = stored != null ? stored.ledger() : opening(organization, members, balances, period);
        Map<String, Credits> byWorkspace = new LinkedHashMap<>();
        for (Workspace member : members) {
            Balance balance = balances.get(member.workspaceId());
            byWorkspace.put(member.workspaceId(), balance == null ? Credits.ZERO : balance.used());
        }
        List<Integer> reached;
        if (markersExpired(period, now)) {
            boolean allLegacy = PoolSwitch.allLegacy(members);
            List<Integer> thresholds = organization.creditPool() != null ? organization.creditPool().effectiveThresholds(allLegacy)
                    : allLegacy ? Workspace.LEGACY_THRESHOLDS : Workspace.DEFAULT_THRESHOLDS;
            reached = Thresholds.reachedOrBlocked(ledger, thresholds);
        } else {
            reached = store.poolThresholdsFired(organization.organizationId(), period, period)
                    .getOrDefault(period, List.of()).stream().distinct().sorted().toList();
        }
        return new PoolUsage(ledger.allocated(), ledger.used(), ledger.remaining(), Thresholds.percentUsed(ledger),
                ledger.hardLimitCredits(), byFeature(ledger), byWorkspace, daily(ledger, daysShown(period, now)), reached,
                forecast(ledger, now));
    }

    /** The pool of a period nobody debited yet, computed as {@link PoolSwitch#openingFor} opens it, without writing. */
    private static Balance opening(Organization organization, List<Workspace> members, Map<String, Balance> balances,
                                   Period period) {
        Map<String, Map<Period, Balance>> byMember = new HashMap<>();
        balances.forEach((id, balance) -> byMember.put(id, Map.of(period, balance)));
        List<Balance> pooled = balances.values().stream().filter(Balance::pooled).toList();
        return PoolSwitch.opened(organization, members, period, new PoolState(Map.of(), byMember), null, pooled).ledger();
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
