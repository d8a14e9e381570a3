package com.aicredits.local;

import com.aicredits.app.Services;
import com.aicredits.domain.Byos;
import com.aicredits.domain.Charge;
import com.aicredits.domain.CreditPool;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Feature;
import com.aicredits.domain.OrganizationSpec;
import com.aicredits.domain.Period;
import com.aicredits.domain.Price;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.domain.PricingModel;
import com.aicredits.domain.Tier;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.PriceCatalogFile;
import com.aicredits.local.identity.LocalIdentityProvider;
import com.aicredits.service.DebitService;
import com.aicredits.service.OrganizationService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The demo organization written on a first start: four workspaces on different tiers, the previous calendar month
 * complete and this month so far, each at its own steady pace and recorded in {@code occurredAt} order through the
 * same services the handlers use (so every balance is a real ledger, and the stream fires the real alerts). The MSSP
 * runs every third of its AI agent runs on its own model subscription (BYOS, enabled for AI agents); the automation
 * workspace is on the older LEGACY model, its AI tasks priced by the LLM model they ran on (fractions of a credit).
 *
 * <p>Beside it, a second organization pools its credits ({@link #POOL_ORGANIZATION}): its pool is enabled before any
 * run, so its three workspaces draw from it in both months, one of them well past its own allocation while the pool
 * holds. Their runs are recorded merged in time order, as the pool's one running ledger would see them.
 */
public final class DemoData {
    /** The demo users the identity provider offers belong to it. */
    public static final String ORGANIZATION = LocalIdentityProvider.DEMO_ORGANIZATION;
    /** The organization whose workspaces draw from one credit pool (the identity provider offers its manager too). */
    public static final String POOL_ORGANIZATION = LocalIdentityProvider.DEMO_POOL_ORGANIZATION;

    /** {@code monthlyPace}: the share of its allocation the workspace uses in a whole month. */
    private record DemoWorkspace(String id, String name, Tier tier, double monthlyPace, List<String> activityMix,
                                 PricingModel pricingModel, List<String> llmModels) {
        DemoWorkspace(String id, String name, Tier tier, double monthlyPace, List<String> activityMix) {
            this(id, name, tier, monthlyPace, activityMix, PricingModel.EXTEND, List.of());
        }

        boolean byosAgents() {
            return id.equals(BYOS_WORKSPACE);
        }
    }

    /** The workspace whose AI agents may run on its own model subscription. */
    public static final String BYOS_WORKSPACE = "ws-demo-mssp";

    private static final List<DemoWorkspace> WORKSPACES = List.of(
            new DemoWorkspace("ws-demo-soc", "Acme SOC", Tier.ESSENTIAL, 0.93,
                    List.of("case.investigation", "case.investigation", "case.conversation", "agent.execution", "task.execution", "case.summary")),
            new DemoWorkspace("ws-demo-mssp", "Acme MSSP", Tier.PRO, 0.4,
                    List.of("case.investigation", "case.investigation", "agent.execution", "agent.execution", "task.execution", "builder.assist")),
            new DemoWorkspace("ws-demo-lab", "Acme Lab", Tier.DEV, 1.24,
                    List.of("task.execution", "task.execution", "agent.execution", "case.conversation")),
            new DemoWorkspace("ws-demo-automation", "Acme Automation", Tier.PRO, 0.85, List.of("task.execution"),
                    PricingModel.LEGACY, List.of("gpt-4o", "gpt-4-turbo", "gemini-1-pro", "gemini-1-pro", "gemini-1.5-pro")));

    /** The pooled organization's workspaces: together about 87% of the pool last month, one of them at 160% of its own. */
    static final List<DemoWorkspace> POOLED_WORKSPACES = List.of(
            new DemoWorkspace("ws-pool-north", "Northwind SOC", Tier.ESSENTIAL, 0.8,
                    List.of("case.investigation", "case.conversation", "agent.execution", "task.execution")),
            new DemoWorkspace("ws-pool-south", "Southwind SOC", Tier.DEV, 1.6,
                    List.of("case.investigation", "agent.execution", "task.execution", "task.execution")),
            new DemoWorkspace("ws-pool-east", "Eastwind Lab", Tier.DEV, 0.4, List.of("task.execution", "agent.execution")));

    private static final PriceCatalog CATALOG = PriceCatalogFile.loadDefault();

    /** What was written: runs recorded in the previous month and in this one. */
    record Written(int previousMonthRuns, int thisMonthRuns) {
    }

    private DemoData() {
    }

    static boolean present(WorkspaceService workspaces) {
        try {
            workspaces.get(WORKSPACES.getFirst().id());
            return true;
        } catch (RuntimeException notFound) {
            return false;
        }
    }

    /**
     * Creates the workspaces, records the whole previous month and this month up to {@code now}, then runs
     * {@code closeMonth} (the monthly reset as its schedule fires it at the 1st: it sends each workspace the summary of
     * the month that closed). Written through {@code services} as of {@code now}, whatever their clock says meanwhile:
     * a month that turned during the writing (a start in the last seconds of a month) would refuse the runs of the
     * month before as too old.
     */
    static Written write(Services services, Instant now, Consumer<Instant> closeMonth) {
        Services asOfNow = services.withClock(Clock.fixed(now, ZoneOffset.UTC));
        WorkspaceService workspaces = asOfNow.workspaces();
        OrganizationService organizations = asOfNow.organizations();
        DebitService debits = asOfNow.debits();
        Period current = Period.of(now);
        Period previous = current.previous();
        for (DemoWorkspace demo : WORKSPACES) {
            workspaces.put(demo.id(), new WorkspaceSpec(null, ORGANIZATION, demo.name(), demo.tier().name(),
                    demo.pricingModel().name(), true, null, null,
                    List.of("secops-lead@acme.example"), null, null,
                    demo.byosAgents() ? new Byos.Spec(true, "openai", List.of(Feature.AI_AGENT.name())) : null));
        }
        for (DemoWorkspace demo : POOLED_WORKSPACES) {
            workspaces.put(demo.id(), new WorkspaceSpec(null, POOL_ORGANIZATION, demo.name(), demo.tier().name(),
                    demo.pricingModel().name(), true, null, null, List.of("soc-lead@windpartners.example"), null, null));
        }
        // Enabled before any run: both months draw from the pool (its allocation the sum of the three workspaces').
        organizations.put(POOL_ORGANIZATION, new OrganizationSpec(null, "Wind Partners", new CreditPool.Spec(true, null,
                null, null, List.of("finance@windpartners.example"))));
        double elapsed = (double) Duration.between(current.start(), now).toMillis()
                / Duration.between(current.start(), current.end()).toMillis();
        // Every workspace's two months side by side (each ledger written in time order; the pool's workspaces together,
        // as one ledger), then the month closed: the summary sees the whole previous month.
        try (ExecutorService pool = Executors.newFixedThreadPool(2 * (WORKSPACES.size() + 1))) {
            List<Future<Integer>> before = new ArrayList<>();
            List<Future<Integer>> after = new ArrayList<>();
            for (DemoWorkspace demo : WORKSPACES) {
                before.add(pool.submit(() -> record(debits, List.of(demo), previous, previous.end(), 1.0)));
                after.add(pool.submit(() -> record(debits, List.of(demo), current, now, elapsed)));
            }
            before.add(pool.submit(() -> record(debits, POOLED_WORKSPACES, previous, previous.end(), 1.0)));
            after.add(pool.submit(() -> record(debits, POOLED_WORKSPACES, current, now, elapsed)));
            Written written = new Written(sum(before), sum(after));
            closeMonth.accept(current.start());
            return written;
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("writing the demo data failed: " + e.getMessage(), e);
        }
    }

    private static int sum(List<Future<Integer>> counts) throws ExecutionException, InterruptedException {
        int total = 0;
        for (Future<Integer> count : counts) {
            total += count.get();
        }
        return total;
    }

    /** One run of a demo workspace, at its time. */
    private record Run(String workspaceId, Instant at, RecordExecution execution) {
    }

    /** Records the runs of {@code demos} in the period up to {@code until}, all of them in time order. */
    private static int record(DebitService debits, List<DemoWorkspace> demos, Period period, Instant until, double shareOfMonth) {
        List<Run> runs = new ArrayList<>();
        for (DemoWorkspace demo : demos) {
            runs.addAll(runs(demo, period, until, shareOfMonth));
        }
        runs.sort(Comparator.comparing(Run::at));
        for (Run run : runs) {
            debits.record(run.workspaceId(), run.execution());
        }
        return runs.size();
    }

    private static List<Run> runs(DemoWorkspace demo, Period period, Instant until, double shareOfMonth) {
        Random random = new Random(demo.id().hashCode() * 31L + period.toString().hashCode());
        long target = Math.round(demo.tier().monthlyCredits(demo.pricingModel()).hundredths() * demo.monthlyPace() * shareOfMonth);
        List<String> activities = new ArrayList<>();
        List<ExecutionModel> models = new ArrayList<>();
        List<String> llmModels = new ArrayList<>();
        int agentRuns = 0;
        for (long hundredths = 0; hundredths < target; ) {
            String activity = demo.activityMix().get(random.nextInt(demo.activityMix().size()));
            Price price = CATALOG.priceAt(activity, period.start());
            boolean agent = price.feature() == Feature.AI_AGENT;
            ExecutionModel model = demo.byosAgents() && agent && agentRuns++ % 3 == 0 ? ExecutionModel.BYOS : ExecutionModel.PLATFORM;
            String llmModel = demo.llmModels().isEmpty() ? null : demo.llmModels().get(random.nextInt(demo.llmModels().size()));
            activities.add(activity);
            models.add(model);
            llmModels.add(llmModel);
            hundredths += Charge.of(price, demo.pricingModel(), model, llmModel).credits().hundredths();
        }
        List<Instant> times = spread(random, period.start(), until, activities.size());
        List<Run> runs = new ArrayList<>(activities.size());
        for (int run = 0; run < activities.size(); run++) {
            runs.add(new Run(demo.id(), times.get(run), new RecordExecution("demo-" + period + "-" + demo.id() + "-" + (run + 1),
                    activities.get(run), times.get(run).toString(), models.get(run).name(), llmModels.get(run))));
        }
        return runs;
    }

    /** {@code count} instants in [from, until), busier in working hours and on weekdays, in time order. */
    private static List<Instant> spread(Random random, Instant from, Instant until, int count) {
        long span = Duration.between(from, until).toMillis();
        List<Instant> times = new ArrayList<>(count);
        while (times.size() < count) {
            Instant at = from.plusMillis((long) (random.nextDouble() * span)).truncatedTo(ChronoUnit.MILLIS);
            var utc = at.atZone(ZoneOffset.UTC);
            boolean quiet = utc.getHour() < 7 || utc.getHour() > 19 || utc.getDayOfWeek().getValue() >= 6;
            // On the 1st before 07:00 every hour is a quiet one: keep some runs there.
            if (quiet && span > Duration.ofDays(1).toMillis() && random.nextInt(3) > 0) {
                continue;
            }
            times.add(at);
        }
        times.sort(null);
        return times;
    }
}
