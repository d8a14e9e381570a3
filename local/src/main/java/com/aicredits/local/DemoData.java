package com.aicredits.local;

import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.json.Json;
import com.aicredits.service.DebitService;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.WorkspaceService;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * The demo organization written on a first start: three workspaces on different tiers and a plausible month of
 * usage so far, recorded through the same services the handlers use (so every balance is a real ledger).
 */
final class DemoData {
    static final String ORGANIZATION = "org-demo";

    private record DemoWorkspace(String id, String name, String tier, double shareUsedByNow, long allocation,
                                 List<String> activityMix) {
    }

    private static final List<DemoWorkspace> WORKSPACES = List.of(
            new DemoWorkspace("ws-demo-soc", "Acme SOC", "PRO", 0.62, 5_000,
                    List.of("case.investigation", "case.investigation", "case.conversation", "agent.execution", "task.execution", "case.summary")),
            new DemoWorkspace("ws-demo-mssp", "Acme MSSP", "ELITE", 0.41, 10_000,
                    List.of("case.investigation", "agent.execution", "agent.execution", "task.execution", "builder.assist")),
            new DemoWorkspace("ws-demo-lab", "Acme Lab", "DEV", 0.86, 500,
                    List.of("task.execution", "task.execution", "agent.execution", "case.conversation")));

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

    private static long creditsUsed(String recordBody) {
        try {
            return Json.MAPPER.readTree(recordBody).get("creditsUsed").asLong();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unexpected record " + recordBody, e);
        }
    }

    /** Creates the workspaces and records this month's usage up to now; returns how many runs it recorded. */
    static int write(WorkspaceService workspaces, DebitService debits, Instant now) {
        Random random = new Random(20261125L);
        Period period = Period.of(now);
        long elapsedMillis = Duration.between(period.start(), now).toMillis();
        int recorded = 0;
        for (DemoWorkspace demo : WORKSPACES) {
            workspaces.put(demo.id(), new WorkspaceSpec(null, ORGANIZATION, demo.name(), demo.tier(), null, true, null, null,
                    List.of("secops-lead@acme.example"), null, null));
            long target = Math.round(demo.allocation() * demo.shareUsedByNow());
            long used = 0;
            int run = 0;
            while (used < target) {
                String activity = demo.activityMix().get(random.nextInt(demo.activityMix().size()));
                // Spread over the month so far, busier on weekdays' working hours.
                Instant occurredAt = period.start().plusMillis((long) (Math.sqrt(random.nextDouble()) * elapsedMillis));
                int hour = occurredAt.atZone(java.time.ZoneOffset.UTC).getHour();
                if ((hour < 7 || hour > 19) && random.nextInt(3) > 0) {
                    continue;
                }
                String body = debits.record(demo.id(), new RecordExecution("demo-" + demo.id() + "-" + run++, activity,
                        occurredAt.truncatedTo(ChronoUnit.MILLIS).toString())).body();
                used = creditsUsed(body);
                recorded++;
            }
        }
        return recorded;
    }
}
