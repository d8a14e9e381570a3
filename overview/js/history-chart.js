// "Month over month": a bar per month of the credits used (stacked by feature) against the allocation (a mark on
// each bar), from GET …/usage/history; each bar is a link to that month's view, with a tooltip by pointer or
// keyboard (Tab reaches the bars, the arrow keys move between them); the same numbers as a table.

import { $, el } from "./dom.js";
import { FEATURES, formatCredits, formatPercent, periodLabel } from "./format.js";
import { attachTooltip } from "./tooltip.js";

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Draws the months of `history`; `shownPeriod` is the month the view shows (marked as current). */
export function renderHistory(history, workspaceId, shownPeriod) {
  const months = (history && history.months) || [];
  const scale = Math.max(1, ...months.map((m) => Math.max(Number(m.creditsAllocated), Number(m.creditsUsed))));
  const bars = el("ol", { class: "history-bars", "aria-label": history
    ? `Credits used per month, ${periodLabel(history.from)} to ${periodLabel(history.to)}; each bar opens its month`
    : "No history" });
  months.forEach((month, index) => bars.append(el("li", {}, monthBar(month, index, workspaceId, shownPeriod, scale))));
  bars.addEventListener("keydown", moveBetweenBars);
  $("history-chart").replaceChildren(bars);
  $("history-table").tBodies[0].replaceChildren(...months.map((month) => tableRow(month, workspaceId, shownPeriod)));
}

/** What a month's tooltip says: used of allocated, each feature, the thresholds reached. */
export function monthSummary(month) {
  const features = FEATURES.map((f) => `${f.name} ${formatCredits(month.byFeature[f.key] || 0)}`).join(" · ");
  const thresholds = month.thresholdsReached.length
    ? `Thresholds reached: ${month.thresholdsReached.map((t) => `${t}%`).join(", ")}` : "No threshold reached";
  return `${periodLabel(month.period)}: ${formatCredits(month.creditsUsed)} / ${formatCredits(month.creditsAllocated)} credits `
    + `(${formatPercent(month.percentUsed)})\n${features}\n${thresholds}`;
}

function monthBar(month, index, workspaceId, shownPeriod, scale) {
  const used = Number(month.creditsUsed);
  const allocated = Number(month.creditsAllocated);
  const percent = Number(month.percentUsed);
  const stack = el("span", { class: "month-used", style: { height: `${(Math.max(0, used) / scale) * 100}%` } },
    ...FEATURES.filter((f) => Number(month.byFeature[f.key] || 0) > 0).reverse().map((f) => el("span", {
      class: `feature-${f.key}`, style: { height: `${used > 0 ? (Number(month.byFeature[f.key]) / used) * 100 : 0}%` },
    })));
  const [year, monthNumber] = month.period.split("-").map(Number);
  const label = index === 0 || monthNumber === 1 ? `${SHORT_MONTHS[monthNumber - 1]} ’${String(year).slice(2)}` : SHORT_MONTHS[monthNumber - 1];
  const link = el("a", {
    class: `month-bar level-${percent >= 100 ? "over" : percent >= 80 ? "high" : "normal"}${month.period === shownPeriod ? " shown" : ""}`,
    href: monthHref(workspaceId, month.period),
    "aria-current": month.period === shownPeriod ? "page" : null,
    "aria-label": `${periodLabel(month.period)}: ${formatCredits(used)} of ${formatCredits(allocated)} credits used `
      + `(${formatPercent(percent)}); open the month`,
    "data-period": month.period, "data-used": used, "data-allocated": allocated,
  },
  el("span", { class: "month-column", "aria-hidden": "true" }, stack,
    allocated > 0 ? el("span", { class: "month-allocation", style: { bottom: `${(allocated / scale) * 100}%` } }) : null),
  el("span", { class: "month-label", "aria-hidden": "true" }, label));
  attachTooltip(link, () => monthSummary(month));
  openInPage(link);
  return link;
}

function tableRow(month, workspaceId, shownPeriod) {
  const link = el("a", { href: monthHref(workspaceId, month.period), "aria-current": month.period === shownPeriod ? "page" : null },
    periodLabel(month.period));
  openInPage(link);
  return el("tr", { "data-period": month.period },
    el("th", { scope: "row" }, link),
    el("td", { class: "number" }, formatCredits(month.creditsAllocated)),
    el("td", { class: "number" }, formatCredits(month.creditsUsed)),
    el("td", { class: "number" }, formatPercent(month.percentUsed)),
    ...FEATURES.map((f) => el("td", { class: "number" }, formatCredits(month.byFeature[f.key] || 0))),
    el("td", {}, month.thresholdsReached.length ? month.thresholdsReached.map((t) => `${t}%`).join(", ") : "–"));
}

const monthHref = (workspaceId, period) => `?${new URLSearchParams({ workspace: workspaceId, period })}`;

/**
 * A plain click opens the month in the page: the address changes and the page's popstate listener draws the view
 * (as the back button does); a click with a modifier opens it as a link would.
 */
function openInPage(link) {
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    history.pushState(null, "", link.getAttribute("href"));
    window.dispatchEvent(new PopStateEvent("popstate"));
  });
}

/** ArrowLeft/ArrowRight, Home and End move the focus between the bars. */
function moveBetweenBars(event) {
  const bars = [...event.currentTarget.querySelectorAll("a.month-bar")];
  const at = bars.indexOf(document.activeElement);
  if (at < 0) return;
  const moves = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: bars.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  bars[Math.max(0, Math.min(bars.length - 1, moves[event.key]))].focus();
}
