// The organization view's small trend in each tile: the workspace's last 6 months of used against allocated,
// one GET …/usage/history per workspace (one BatchGetItem and one Query each on the API's side), all at once.

import { storedToken, usageHistory } from "./api.js";
import { el } from "./dom.js";
import { formatPercent, periodLabel } from "./format.js";

export const TREND_MONTHS = 6;

/** Adds a trend to each tile of `tiles` (the list's `a.tile[data-workspace]`); a failed read leaves a tile without. */
export async function addTrends(tiles, rows) {
  // Signed out (or the tab's token cleared) while the rows loaded: no request would be authorized.
  if (!storedToken()) return;
  await Promise.all(rows.map(async (row) => {
    let history;
    try {
      // The API's default range ends with its own current month, whatever this browser's clock says.
      history = await usageHistory(row.workspaceId);
    } catch (e) {
      return;
    }
    const tile = tiles.querySelector(`a.tile[data-workspace="${CSS.escape(row.workspaceId)}"]`);
    if (tile) tile.append(trend(history.workspaceId, history.months.slice(-TREND_MONTHS)));
  }));
}

function trend(workspaceId, months) {
  const scale = Math.max(1, ...months.map((m) => Math.max(Number(m.creditsAllocated), Number(m.creditsUsed))));
  const words = months.map((m) => `${periodLabel(m.period)} ${formatPercent(m.percentUsed)}`).join(", ");
  return el("span", { class: "trend", role: "img", "data-workspace": workspaceId,
    "aria-label": `Last ${months.length} months, used of allocated: ${words}` },
  el("span", { class: "trend-title", "aria-hidden": "true" }, `Last ${months.length} months`),
  el("span", { class: "trend-bars", "aria-hidden": "true" }, ...months.map((m) => {
    const percent = Number(m.percentUsed);
    return el("span", {
      class: `trend-bar level-${percent >= 100 ? "over" : percent >= 80 ? "high" : "normal"}`,
      title: `${periodLabel(m.period)}: ${formatPercent(percent)}`,
      "data-period": m.period, "data-used": m.creditsUsed, "data-allocated": m.creditsAllocated,
    },
    el("span", { class: "trend-used", style: { height: `${(Math.max(0, Number(m.creditsUsed)) / scale) * 100}%` } }),
    Number(m.creditsAllocated) > 0
      ? el("span", { class: "trend-allocation", style: { bottom: `${(Number(m.creditsAllocated) / scale) * 100}%` } }) : null);
  })));
}
