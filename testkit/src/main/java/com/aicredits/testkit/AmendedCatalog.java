package com.aicredits.testkit;

import com.aicredits.domain.Activity;
import com.aicredits.domain.Credits;
import com.aicredits.domain.Feature;
import com.aicredits.domain.PriceCatalog;
import com.aicredits.json.PriceCatalogFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The deployed catalog plus one amendment taking effect at a month boundary, for tests of catalog versions. */
public final class AmendedCatalog {
    public static final Instant EFFECTIVE = Instant.parse("2026-12-01T00:00:00Z");
    public static final String VERSION = "2026-12-01";

    private AmendedCatalog() {
    }

    /** The BYOS fee of an agent run from December 2026 (0 before, as in the shipped catalog). */
    public static final long AGENT_BYOS_FEE = 2;

    /**
     * Today's catalog, and from December 2026: investigations at 15, tasks at 2, a new activity at 20, and agent runs on
     * the customer's own model at {@link #AGENT_BYOS_FEE}.
     */
    public static PriceCatalog fromDecember() {
        PriceCatalog.Version current = PriceCatalogFile.loadDefault().versionAt(EFFECTIVE.minusSeconds(1));
        Map<String, Activity> december = new LinkedHashMap<>(current.activities());
        december.put("case.investigation", new Activity("case.investigation", Feature.CASE_INVESTIGATION, "investigation", Credits.of(15)));
        december.put("task.execution", new Activity("task.execution", Feature.AI_TASK, "task", Credits.of(2), Credits.ZERO,
                Map.of("gpt-4o", Credits.of(2), "gemini-1-pro", Credits.parse("0.5"))));
        Activity agent = current.activities().get("agent.execution");
        december.put("agent.execution", new Activity(agent.key(), agent.feature(), agent.description(), agent.credits(), Credits.of(AGENT_BYOS_FEE)));
        december.put("agent.deep-research", new Activity("agent.deep-research", Feature.AI_AGENT, "long agent run", Credits.of(20)));
        return new PriceCatalog(List.of(current, new PriceCatalog.Version(VERSION, EFFECTIVE, december)));
    }
}
