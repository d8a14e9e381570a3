// "Credits used this month": a horizontal bar stacked by feature, its legend table (with the runs on the workspace's
// own model, BYOS, where there are any) and the free executions.

import { $, el } from "./dom.js";
import { FEATURES, formatCredits, formatPercent } from "./format.js";
import { renderStackedBar, usedSummary } from "./stacked-bar.js";

export function renderUsedThisMonth(usage) {
  const used = Number(usage.creditsUsed);
  const allocated = Number(usage.creditsAllocated);
  $("used-summary").replaceChildren(...usedSummary({ used, allocated, percentUsed: usage.percentUsed,
    remaining: usage.creditsRemaining, hardLimitCredits: usage.hardLimitCredits }, "used-total"));
  renderStackedBar($("feature-bar"), $("bar-scale"), {
    parts: FEATURES.map((feature) => ({ name: feature.name, credits: usage.byFeature[feature.key] || 0,
      className: `feature-${feature.key}`, data: { feature: feature.key } })),
    used, allocated, label: "feature",
  });

  const byos = usage.byosExecutions || {};
  const byosTotal = Object.values(byos).reduce((sum, runs) => sum + Number(runs), 0);
  $("byos-heading").hidden = byosTotal === 0;
  $("feature-legend").tBodies[0].replaceChildren(...FEATURES.map((feature) => {
    const credits = Number(usage.byFeature[feature.key] || 0);
    const byosRuns = Number(byos[feature.key] || 0);
    return el("tr", { "data-feature": feature.key },
      el("th", { scope: "row" }, el("span", { class: `swatch feature-${feature.key}`, "aria-hidden": "true" }), feature.name),
      el("td", { class: "number" }, formatCredits(credits)),
      el("td", { class: "number" }, used > 0 ? formatPercent((credits / used) * 100) : "–"),
      el("td", { class: "number byos-runs", "data-byos-runs": byosRuns, hidden: byosTotal === 0 },
        `${formatCredits(byosRuns)} ${byosRuns === 1 ? "run" : "runs"}`));
  }));
  const notes = [];
  if (Number(usage.freeExecutions) > 0) notes.push(`${formatCredits(usage.freeExecutions)} free executions (no credits)`);
  if (Number(usage.casesCounted) > 0) notes.push(`${formatCredits(usage.casesCounted)} cases counted`);
  if (byosTotal > 0) notes.push(`${formatCredits(byosTotal)} runs on your own model (BYOS)`);
  $("free-note").textContent = notes.join(" · ");
}
