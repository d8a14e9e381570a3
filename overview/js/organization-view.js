// The organization's view: one tile per workspace, each with its last months' trend.

import { organizationRows } from "./api.js";
import { $, el } from "./dom.js";
import { formatCredits, formatPercent, periodLabel } from "./format.js";
import { setMonthPicker, show } from "./page.js";
import { addTrends } from "./trend.js";

/** Draws the view unless another render started meanwhile (isCurrent); a tile opens its workspace through open. */
export async function renderOrganization(organization, period, isCurrent, open) {
  const rows = await organizationRows(organization, period);
  if (!isCurrent()) return;
  show("organization");
  document.title = `Workspaces, ${periodLabel(period)} – AI credits usage`;
  $("organization-title").textContent = `Workspaces of ${organization}, ${periodLabel(period)}`;
  setMonthPicker($("organization-month"), period);
  const tiles = $("tiles");
  tiles.replaceChildren(...[...rows].sort((a, b) => String(a.name).localeCompare(String(b.name))).map((row) => tile(row, period, open)));
  if (rows.length === 0) tiles.append(el("li", { class: "empty" }, "No workspaces in this organization yet."));
  await addTrends(tiles, rows);
  if (!isCurrent()) return;
  document.body.dataset.ready = "organization";
}

function tile(row, period, open) {
  const percent = Number(row.percentUsed);
  const level = percent >= 100 ? "over" : percent >= 80 ? "high" : "normal";
  const link = el("a", {
    class: `tile level-${level}`,
    href: `?${new URLSearchParams({ workspace: row.workspaceId, period })}`,
    "data-workspace": row.workspaceId,
    "data-used": row.creditsUsed,
    "data-allocated": row.creditsAllocated,
  },
  el("span", { class: "tile-head" },
    el("span", { class: "tile-name" }, row.name || row.workspaceId),
    el("span", { class: "tier" }, row.tier || "")),
  el("span", { class: "tile-id" }, row.workspaceId),
  el("span", { class: "tile-used" },
    el("strong", {}, `${formatCredits(row.creditsUsed)} / ${formatCredits(row.creditsAllocated)}`), " credits"),
  el("span", { class: "meter", "aria-hidden": "true" },
    el("span", { class: "meter-fill", style: { width: `${Math.min(100, Math.max(0, percent))}%` } })),
  el("span", { class: "tile-percent" },
    `${formatPercent(percent)} used`, level === "over" ? " — over the allocation" : level === "high" ? " — nearly used up" : ""));
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    open({ workspace: row.workspaceId, period });
  });
  return el("li", {}, link);
}
