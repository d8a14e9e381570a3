// "Cumulative daily usage": an SVG line from the 1st, with the allocation, the forecast, and a day picked by pointer
// or keyboard; the same numbers as a table. A workspace's by default; the credit pool's into its own elements.

import { roundCredits } from "./credits.js";
import { $, el, svg } from "./dom.js";
import { currentPeriod, dayLabel, daysIn, formatCredits, periodLabel } from "./format.js";
import { hideTooltip, showTooltip } from "./tooltip.js";

/** The workspace view's chart, table and readout; `usage` needs period, daily, creditsAllocated and forecast. */
const WORKSPACE_CHART = { chart: "daily-chart", table: "daily-table", readout: "daily-readout" };

export function renderDaily(usage, target = WORKSPACE_CHART) {
  const days = usage.daily || [];
  const frame = chartFrame(usage, days, $(target.chart));
  const { period, allocated, last } = frame;
  const chart = svg("svg", {
    viewBox: `0 0 ${frame.width} ${frame.height}`, class: "daily", tabindex: "0", role: "img",
    "aria-label": days.length
      ? `Cumulative daily usage for ${periodLabel(period)}: ${formatCredits(last)} credits by ${dayLabel(days[days.length - 1].date)}, `
        + `of ${formatCredits(allocated)} allocated. Use the arrow keys to read each day.`
      : `No days to show for ${periodLabel(period)}.`,
    "aria-describedby": target.readout,
  });
  chart.append(grid(frame));
  if (allocated > 0) chart.append(allocationLine(frame));
  if (days.length) chart.append(...usageArea(frame, days));
  if (frame.forecast) chart.append(forecastMark(frame, days.length));
  const pointGroup = points(frame, days);
  const guide = svg("line", { class: "guide", y1: frame.margin.top, y2: frame.margin.top + frame.plotHeight, visibility: "hidden" });
  chart.append(guide, pointGroup);
  makeDaysSelectable(chart, frame, days, guide, pointGroup, target.readout);

  $(target.chart).replaceChildren(chart, el("p", { id: target.readout, class: "visually-hidden", "aria-live": "polite" }));
  $(target.table).tBodies[0].replaceChildren(...days.map((d) => el("tr", {},
    el("th", { scope: "row" }, dayLabel(d.date)),
    el("td", { class: "number" }, formatCredits(d.credits)),
    el("td", { class: "number" }, formatCredits(d.cumulative)))));
}

/** The chart's scale and geometry: x of a day of the month, y of a number of credits. */
function chartFrame(usage, days, container) {
  const period = usage.period;
  const monthDays = daysIn(period);
  const allocated = Number(usage.creditsAllocated);
  const last = days.length ? Number(days[days.length - 1].cumulative) : 0;
  const forecast = forecastLine(usage, days, monthDays);
  // The scale takes the forecast in, so its line ends where its label says (at most 5x the allocation: beyond
  // that the line is cut at the top and its label says so).
  const ceiling = 5 * Math.max(allocated, last, 1);
  const top = niceCeiling(Math.max(allocated, last, forecast ? Math.min(forecast.value, ceiling) : 0, 1));

  // Drawn at the container's own width, so text keeps its size on a phone; redrawn when the window resizes.
  const width = Math.max(280, Math.round(container.clientWidth || 720));
  const height = width < 500 ? 220 : 280;
  const margin = { left: 60, right: 20, top: 16, bottom: 36 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (day) => margin.left + ((day - 1) / Math.max(1, monthDays - 1)) * plotWidth;
  const y = (value) => margin.top + plotHeight - (Math.min(value, top) / top) * plotHeight;
  return { period, monthDays, allocated, last, forecast, top, width, height, margin, plotWidth, plotHeight, x, y };
}

function grid({ period, monthDays, top, width, height, margin, x, y }) {
  const lines = svg("g", { class: "grid", "aria-hidden": "true" });
  for (const value of ticks(top)) {
    lines.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
      svg("text", { x: margin.left - 8, y: y(value) + 4, "text-anchor": "end" }, formatCredits(value)));
  }
  for (const day of dayTicks(monthDays, width)) {
    lines.append(svg("text", { x: x(day), y: height - 12, "text-anchor": "middle" },
      dayLabel(`${period}-${String(day).padStart(2, "0")}`)));
  }
  return lines;
}

function allocationLine({ allocated, width, margin, y }) {
  return svg("g", { class: "allocation", "aria-hidden": "true" },
    svg("line", { x1: margin.left, x2: width - margin.right, y1: y(allocated), y2: y(allocated) }),
    svg("text", { x: margin.left + 6, y: y(allocated) - 6, "text-anchor": "start" },
      `Allocation ${formatCredits(allocated)}`));
}

/** The filled area under the cumulative line, and the line. */
function usageArea({ x, y }, days) {
  const points = days.map((d, i) => [x(i + 1), y(Number(d.cumulative))]);
  const line = points.map(([px, py], i) => `${i ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`).join("");
  return [svg("path", {
    class: "area", "aria-hidden": "true",
    d: `${line}L${points[points.length - 1][0].toFixed(1)},${y(0)}L${points[0][0].toFixed(1)},${y(0)}Z`,
  }), svg("path", { class: "line", d: line, "aria-hidden": "true" })];
}

function forecastMark({ forecast, last, monthDays, top, margin, x, y }, dayCount) {
  return svg("g", { class: "forecast", "aria-hidden": "true" },
    svg("line", { x1: x(dayCount), y1: y(last), x2: x(monthDays), y2: y(forecast.value) }),
    svg("text", { x: x(monthDays), y: Math.max(y(forecast.value) - 6, margin.top + 12), "text-anchor": "end" },
      forecast.value > top ? `Forecast ${formatCredits(forecast.value)} (off the chart)` : `Forecast ${formatCredits(forecast.value)}`));
}

function points({ x, y }, days) {
  const group = svg("g", { class: "points", "aria-hidden": "true" });
  days.forEach((d, i) => group.append(svg("circle", {
    class: "point", cx: x(i + 1), cy: y(Number(d.cumulative)), r: 3,
    "data-date": d.date, "data-cumulative": d.cumulative, "data-credits": d.credits,
  })));
  return group;
}

/** A day is picked by hovering its column or, with the chart focused, by the arrow keys, Home and End. */
function makeDaysSelectable(chart, { monthDays, margin, plotWidth, plotHeight, x }, days, guide, pointGroup, readout) {
  let selected = -1;
  const select = (index) => {
    if (index < 0 || index >= days.length) return;
    selected = index;
    const d = days[index];
    const text = `${dayLabel(d.date)}: ${formatCredits(d.cumulative)} credits in total since the 1st `
      + `(${formatCredits(d.credits)} that day)`;
    guide.setAttribute("x1", x(index + 1));
    guide.setAttribute("x2", x(index + 1));
    guide.setAttribute("visibility", "visible");
    pointGroup.querySelectorAll(".selected").forEach((p) => p.classList.remove("selected"));
    pointGroup.children[index].classList.add("selected");
    $(readout).textContent = text;
    showTooltip(pointGroup.children[index], text);
  };
  const unselect = () => {
    guide.setAttribute("visibility", "hidden");
    pointGroup.querySelectorAll(".selected").forEach((p) => p.classList.remove("selected"));
    hideTooltip();
  };
  // One invisible column per day catches the pointer anywhere above or below the point.
  const step = plotWidth / Math.max(1, monthDays - 1);
  const hits = svg("g", { class: "hits", "aria-hidden": "true" });
  days.forEach((d, i) => {
    const hit = svg("rect", {
      class: "day-hit", x: x(i + 1) - step / 2, y: margin.top, width: step, height: plotHeight,
      "data-date": d.date, "data-index": i,
    });
    hit.addEventListener("mouseenter", () => select(i));
    hits.append(hit);
  });
  hits.addEventListener("mouseleave", () => { if (document.activeElement !== chart) unselect(); });
  chart.append(hits);
  chart.addEventListener("focus", () => select(selected >= 0 ? selected : days.length - 1));
  chart.addEventListener("blur", unselect);
  chart.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: selected - 1, ArrowRight: selected + 1, Home: 0, End: days.length - 1,
      ArrowDown: selected - 1, ArrowUp: selected + 1 };
    if (event.key === "Escape") { unselect(); return; }
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(Math.max(0, Math.min(days.length - 1, moves[event.key])));
  });
}

/** The forecast's end of month, drawn from today's point, for the current month only. */
function forecastLine(usage, days, monthDays) {
  if (usage.period !== currentPeriod() || !usage.forecast || usage.forecast.tooEarly || days.length >= monthDays) return null;
  return { value: Number(usage.forecast.projectedUsed) };
}

function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (factor * magnitude >= value) return factor * magnitude;
  }
  return 10 * magnitude;
}

/** The grid's values, each to the hundredth its label shows (a top of 1.5 has its first line at 0.38, not 0.375). */
function ticks(top) {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => roundCredits(top * f));
}

function dayTicks(monthDays, width) {
  return (width < 500 ? [1, 8, 15, 22, monthDays] : [1, 5, 10, 15, 20, 25, monthDays]).filter((d, i, all) => d <= monthDays && (i === all.length - 1 || monthDays - d >= 3));
}
