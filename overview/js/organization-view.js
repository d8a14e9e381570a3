// The organization's view: its credit pool when it pools its credits, and one tile per workspace, each with its last
// months' trend (a pooled workspace's tile marked as drawing from the pool).

import { organizationUsage } from "./api.js";
import { $, el } from "./dom.js";
import { formatCredits, formatPercent, periodLabel } from "./format.js";
import { setMonthPicker, show } from "./page.js";
import { renderPool } from "./pool-view.js";
import { addTrends } from "./trend.js";

/** Draws the view unless another render started meanwhile (isCurrent); a tile opens its workspace through open. */
export async function renderOrganization(organization, period, isCurrent, open) {
  const { rows, pool } = await organizationUsage(organization, period);
  if (!isCurrent()) return;
  show("organization");
  renderPool(pool, rows, period);
  document.title = `Workspaces, ${periodLabel(period)} – AI credits usage`;
  $("organization-title").textContent = `Workspaces of ${organization}, ${periodLabel(period)}`;
  setMonthPicker($("organization-month"), period);
  const tiles = $("tiles");
  tiles.replaceChildren(...[...rows].sort((a, b) => String(a.name).localeCompare(String(b.name)))
    .map((row) => (row.pool && pool ? pooledTile(row, pool, period, open) : tile(row, period, open))));
  if (rows.length === 0) tiles.append(el("li", { class: "empty" }, "No workspaces in this organization yet."));
  await addTrends(tiles, rows);
  if (!isCurrent()) return;
  document.body.dataset.ready = "organization";
}

const levelOf = (percent) => (percent >= 100 ? "over" : percent >= 80 ? "high" : "normal");

function tile(row, period, open) {
  const percent = Number(row.percentUsed);
  const level = levelOf(percent);
  return tileLink(row, period, open, level, {},
    el("span", { class: "tile-used" },
      el("strong", {}, `${formatCredits(row.creditsUsed)} / ${formatCredits(row.creditsAllocated)}`), " credits"),
    meter(percent),
    el("span", { class: "tile-percent" },
      `${formatPercent(percent)} used`, level === "over" ? " — over the allocation" : level === "high" ? " — nearly used up" : ""));
}

/**
 * A workspace drawing from the pool: what it used, its share of the pool's allocation (the meter), and the pool's level
 * (its own allocation limits nothing while it is pooled).
 */
function pooledTile(row, pool, period, open) {
  const allocated = Number(pool.allocated);
  const share = allocated > 0 ? (Number(row.creditsUsed) / allocated) * 100 : 0;
  const poolLevel = levelOf(Number(pool.percentUsed));
  return tileLink(row, period, open, poolLevel, { class: "pooled", "data-pool": row.pool },
    el("span", { class: "pool-badge" }, "Draws from the organization's credit pool"),
    el("span", { class: "tile-used" }, el("strong", {}, formatCredits(row.creditsUsed)), " credits used"),
    meter(share),
    el("span", { class: "tile-percent" }, `${formatPercent(share)} of the pool's allocation`,
      poolLevel === "over" ? " — the pool is over its allocation" : poolLevel === "high" ? " — the pool is nearly used up" : ""));
}

function meter(percent) {
  return el("span", { class: "meter", "aria-hidden": "true" },
    el("span", { class: "meter-fill", style: { width: `${Math.min(100, Math.max(0, percent))}%` } }));
}

function tileLink(row, period, open, level, extra, ...body) {
  const link = el("a", {
    class: `tile level-${level}${extra.class ? ` ${extra.class}` : ""}`,
    href: `?${new URLSearchParams({ workspace: row.workspaceId, period })}`,
    "data-workspace": row.workspaceId,
    "data-used": row.creditsUsed,
    "data-allocated": row.creditsAllocated,
    "data-pool": extra["data-pool"],
  },
  el("span", { class: "tile-head" },
    el("span", { class: "tile-name" }, row.name || row.workspaceId),
    el("span", { class: "tier" }, row.tier || "")),
  el("span", { class: "tile-id" }, row.workspaceId),
  ...body);
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    open({ workspace: row.workspaceId, period });
  });
  return el("li", {}, link);
}
