// The thresholds reached and the forecast, in words.

import { $, el } from "./dom.js";
import { currentPeriod, dayLabel, formatCredits, formatPercent } from "./format.js";

export function renderFacts(usage, period) {
  const facts = [];
  const reached = usage.thresholdsReached || [];
  facts.push(el("li", { id: "thresholds" }, reached.length
    ? [el("strong", {}, "Thresholds reached: "), reached.map((t) => `${t}%`).join(", ")]
    : "No alert threshold reached this month."));
  const allocated = Number(usage.creditsAllocated);
  const used = Number(usage.creditsUsed);
  if (period === currentPeriod() && usage.forecast && usage.forecast.tooEarly) {
    facts.push(el("li", { id: "forecast" }, el("strong", {}, "Forecast: "),
      "too early to forecast: the month is less than a day old, so its pace says little yet."));
  } else if (period === currentPeriod() && usage.forecast) {
    const projected = Number(usage.forecast.projectedUsed);
    facts.push(el("li", { id: "forecast" }, el("strong", {}, "Forecast: "),
      `about ${formatCredits(projected)} credits by the end of the month at this month's pace`,
      allocated > 0 ? ` (${formatPercent((projected / allocated) * 100)} of the allocation).` : "."));
    facts.push(el("li", { id: "runs-out" }, usage.forecast.runsOutOn
      ? [el("strong", {}, "Runs out: "), `at this pace the allocation is used up on ${dayLabel(usage.forecast.runsOutOn)}.`]
      : used >= allocated ? "The allocation is already used up." : "At this pace the allocation lasts the month."));
  } else {
    facts.push(el("li", { id: "forecast" }, period > currentPeriod()
      ? "This month has not started."
      : `Month closed: ${formatCredits(used)} of ${formatCredits(allocated)} credits used.`));
  }
  $("facts").replaceChildren(...facts);
}
