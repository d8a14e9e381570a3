// "Credits used this month": a horizontal bar stacked by feature, its legend table (with the runs on the workspace's
// own model, BYOS, where there are any) and the free executions.

import { subtractCredits } from "./credits.js";
import { $, el } from "./dom.js";
import { FEATURES, formatCredits, formatPercent } from "./format.js";
import { attachTooltip } from "./tooltip.js";

export function renderUsedThisMonth(usage) {
  const used = Number(usage.creditsUsed);
  const allocated = Number(usage.creditsAllocated);
  const summary = $("used-summary");
  summary.replaceChildren(
    el("strong", { id: "used-total", "data-used": used, "data-allocated": allocated },
      `${formatCredits(used)} / ${formatCredits(allocated)}`),
    " credits used ", el("span", { class: "percent" }, `(${formatPercent(usage.percentUsed)})`),
    el("br"),
    used > allocated
      ? `${formatCredits(subtractCredits(used, allocated))} over the allocation`
      : `${formatCredits(usage.creditsRemaining)} remaining`,
    usage.hardLimitCredits ? ` · hard limit ${formatCredits(usage.hardLimitCredits)}` : "");

  const scale = Math.max(allocated, used);
  const bar = $("feature-bar");
  const segments = FEATURES.filter((f) => Number(usage.byFeature[f.key] || 0) > 0).map((feature) => {
    const credits = Number(usage.byFeature[feature.key]);
    const share = used > 0 ? (credits / used) * 100 : 0;
    const width = (credits / scale) * 100;
    const text = `${feature.name}: ${formatCredits(credits)} credits`;
    const segment = el("div", {
      class: `segment feature-${feature.key}`,
      tabindex: "0",
      role: "img",
      "aria-label": `${text} (${formatPercent(share)} of used)`,
      "data-feature": feature.key,
      "data-credits": credits,
      style: { width: `${width}%` },
    }, width >= 9 ? el("span", { class: "segment-label", "aria-hidden": "true" }, formatCredits(credits)) : null);
    attachTooltip(segment, () => `${text} (${formatPercent(share)} of used)`);
    return segment;
  });
  if (used < scale) {
    segments.push(el("div", { class: "unused", "aria-hidden": "true", style: { width: `${((scale - used) / scale) * 100}%` } }));
  }
  if (used === 0) {
    bar.setAttribute("aria-label", "No credits used this month");
  } else {
    bar.setAttribute("aria-label", `Credits used by feature, ${formatCredits(used)} of ${formatCredits(allocated)}`);
  }
  bar.replaceChildren(...segments);
  if (used > allocated && scale > 0) {
    bar.append(el("div", { class: "allocation-mark", "aria-hidden": "true", style: { left: `${(allocated / scale) * 100}%` } }));
  }
  $("bar-scale").replaceChildren(el("span", {}, "0"),
    el("span", {}, used > allocated ? `${formatCredits(scale)} used (allocation ${formatCredits(allocated)})`
      : `${formatCredits(allocated)} allocated`));

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
