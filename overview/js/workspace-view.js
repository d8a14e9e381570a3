// A workspace's view: the used bar, the daily chart, the month-over-month history, the facts in words, the recent
// executions and the ledger's CSV export.

import { executionsPage, organizationRows, usageHistory, workspaceUsage } from "./api.js";
import { renderDaily } from "./daily-chart.js";
import { $, el } from "./dom.js";
import { renderExecutions } from "./executions.js";
import { renderFacts } from "./facts.js";
import { periodLabel } from "./format.js";
import { renderHistory } from "./history-chart.js";
import { setUpLedgerExport } from "./ledger-export.js";
import { setMonthPicker, show } from "./page.js";
import { renderUsedThisMonth } from "./used-bar.js";

/** The usage the daily chart shows, kept to redraw it at a new width. */
let shownUsage = null;

/** Draws the view unless another render started meanwhile (isCurrent). */
export async function renderWorkspace(organization, workspaceId, period, isCurrent) {
  const [usage, executions, rows, history] = await Promise.all([
    workspaceUsage(workspaceId, period),
    executionsPage(workspaceId, period),
    organizationRows(organization, period).catch(() => []),
    usageHistory(workspaceId).catch(() => null),
  ]);
  if (!isCurrent()) return;
  const row = rows.find((r) => r.workspaceId === workspaceId) || {};
  show("workspace");
  const name = row.name || workspaceId;
  document.title = `${name}, ${periodLabel(period)} – AI credits usage`;
  $("workspace-title").replaceChildren(name, " ", el("span", { class: "tier" }, row.tier || ""),
    el("span", { class: "title-id" }, workspaceId));
  setMonthPicker($("workspace-month"), period);
  $("back").setAttribute("href", `?${new URLSearchParams({ period })}`);
  $("workspace-pool-note").hidden = !usage.pool;
  renderUsedThisMonth(usage);
  shownUsage = usage;
  renderDaily(usage);
  renderHistory(history, workspaceId, period);
  renderFacts(usage, period);
  renderExecutions(workspaceId, period, executions, false);
  setUpLedgerExport(workspaceId, period);
  document.body.dataset.ready = "workspace";
}

export function redrawDaily() {
  if (shownUsage) renderDaily(shownUsage);
}
