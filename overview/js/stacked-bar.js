// A horizontal stacked bar of credits: its big figures (used / allocated), the segments over the allocation (or over
// the used total when usage is past it), each telling its name and credits on hover or focus, and the scale under it.
// The workspace's bar by feature and the credit pool's bar by workspace are both drawn by it.

import { subtractCredits } from "./credits.js";
import { el } from "./dom.js";
import { formatCredits, formatPercent } from "./format.js";
import { attachTooltip } from "./tooltip.js";

/** The big figures: used / allocated, the percent, what remains (or how far over) and the hard limit. */
export function usedSummary({ used, allocated, percentUsed, remaining, hardLimitCredits }, totalId) {
  return [
    el("strong", { id: totalId, "data-used": used, "data-allocated": allocated },
      `${formatCredits(used)} / ${formatCredits(allocated)}`),
    " credits used ", el("span", { class: "percent" }, `(${formatPercent(percentUsed)})`),
    el("br"),
    used > allocated
      ? `${formatCredits(subtractCredits(used, allocated))} over the allocation`
      : `${formatCredits(remaining)} remaining`,
    hardLimitCredits ? ` · hard limit ${formatCredits(hardLimitCredits)}` : "",
  ];
}

/**
 * Draws `parts` ([{ name, credits, className, data }], those above zero shown) into `bar` and its scale into
 * `scaleRow`; `label` names what the bar splits usage by ("feature", "workspace").
 */
export function renderStackedBar(bar, scaleRow, { parts, used, allocated, label }) {
  const scale = Math.max(allocated, used);
  const segments = parts.filter((part) => Number(part.credits) > 0).map((part) => {
    const credits = Number(part.credits);
    const share = used > 0 ? (credits / used) * 100 : 0;
    const width = (credits / scale) * 100;
    const text = `${part.name}: ${formatCredits(credits)} credits (${formatPercent(share)} of used)`;
    const data = Object.fromEntries(Object.entries(part.data || {}).map(([key, value]) => [`data-${key}`, value]));
    const segment = el("div", {
      class: `segment ${part.className}`,
      tabindex: "0",
      role: "img",
      "aria-label": text,
      ...data,
      "data-credits": credits,
      style: { width: `${width}%` },
    }, width >= 9 ? el("span", { class: "segment-label", "aria-hidden": "true" }, formatCredits(credits)) : null);
    attachTooltip(segment, () => text);
    return segment;
  });
  if (used < scale) {
    segments.push(el("div", { class: "unused", "aria-hidden": "true", style: { width: `${((scale - used) / scale) * 100}%` } }));
  }
  bar.setAttribute("aria-label", used === 0 ? "No credits used this month"
    : `Credits used by ${label}, ${formatCredits(used)} of ${formatCredits(allocated)}`);
  bar.replaceChildren(...segments);
  if (used > allocated && scale > 0) {
    bar.append(el("div", { class: "allocation-mark", "aria-hidden": "true", style: { left: `${(allocated / scale) * 100}%` } }));
  }
  scaleRow.replaceChildren(el("span", {}, "0"),
    el("span", {}, used > allocated ? `${formatCredits(scale)} used (allocation ${formatCredits(allocated)})`
      : `${formatCredits(allocated)} allocated`));
}
