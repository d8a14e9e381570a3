// The organization's credit pool, above its tiles when the organization pools its credits: "Credits used this month"
// as a bar stacked by workspace (hover or focus a segment: the workspace's name and credits), its legend, the pool's
// cumulative daily chart and the thresholds it reached.

import { $, el } from "./dom.js";
import { renderDaily } from "./daily-chart.js";
import { formatCredits, formatPercent } from "./format.js";
import { renderStackedBar, usedSummary } from "./stacked-bar.js";

/** The pool's own chart, table and readout (the workspace view has its own). */
const POOL_CHART = { chart: "pool-daily-chart", table: "pool-daily-table", readout: "pool-daily-readout" };
/** Workspaces take these shades in turn (the CSS's pool-shade-N), each also with its own texture. */
const SHADES = 6;

/** The pool drawn last, kept to redraw its chart at a new width. */
let shownPool = null;

/** Shows `pool` (the organization usage's) for `period`, its workspaces named from `rows`; hides the panel without one. */
export function renderPool(pool, rows, period) {
  shownPool = pool ? { pool, period } : null;
  $("pool").hidden = !pool;
  if (!pool) return;
  const used = Number(pool.used);
  const allocated = Number(pool.allocated);
  const names = new Map(rows.map((row) => [row.workspaceId, row.name || row.workspaceId]));
  // The tiles' order (by name), so a workspace keeps its shade and place from one month to the next.
  const workspaces = Object.keys(pool.byWorkspace)
    .sort((a, b) => String(names.get(a) || a).localeCompare(String(names.get(b) || b)))
    .map((id, index) => ({ id, name: names.get(id) || id, credits: pool.byWorkspace[id], shade: index % SHADES }));

  $("pool-summary").replaceChildren(...usedSummary({ used, allocated, percentUsed: pool.percentUsed,
    remaining: pool.remaining, hardLimitCredits: pool.hardLimitCredits }, "pool-used-total"));
  renderStackedBar($("pool-bar"), $("pool-bar-scale"), {
    parts: workspaces.map((w) => ({ name: w.name, credits: w.credits, className: `pool-shade-${w.shade}`,
      data: { workspace: w.id } })),
    used, allocated, label: "workspace",
  });
  $("pool-legend").tBodies[0].replaceChildren(...workspaces.map((w) => el("tr", { "data-workspace": w.id },
    el("th", { scope: "row" }, el("span", { class: `swatch pool-shade-${w.shade}`, "aria-hidden": "true" }), w.name),
    el("td", { class: "number" }, formatCredits(w.credits)),
    el("td", { class: "number" }, used > 0 ? formatPercent((Number(w.credits) / used) * 100) : "–"))));
  drawDaily();
  const reached = pool.thresholdsReached || [];
  $("pool-thresholds").replaceChildren(...(reached.length
    ? [el("strong", {}, "Thresholds reached: "), reached.map((t) => `${t}%`).join(", ")]
    : ["No alert threshold of the pool reached this month."]));
}

/** Draws the pool's cumulative chart again (at the window's new width). */
export function redrawPoolDaily() {
  if (shownPool && !$("pool").hidden) drawDaily();
}

function drawDaily() {
  const { pool, period } = shownPool;
  renderDaily({ period, daily: pool.daily, creditsAllocated: pool.allocated, forecast: pool.forecast }, POOL_CHART);
}
