// One tooltip for the bar's segments and the chart's days.

import { $ } from "./dom.js";

export function attachTooltip(target, text) {
  const open = () => showTooltip(target, text());
  target.addEventListener("mouseenter", open);
  target.addEventListener("focus", open);
  target.addEventListener("mouseleave", () => { if (document.activeElement !== target) hideTooltip(); });
  target.addEventListener("blur", hideTooltip);
  target.addEventListener("keydown", (event) => { if (event.key === "Escape") hideTooltip(); });
}

export function showTooltip(target, text) {
  const tooltip = $("tooltip");
  tooltip.textContent = text;
  tooltip.hidden = false;
  const box = target.getBoundingClientRect();
  const tip = tooltip.getBoundingClientRect();
  const left = Math.min(Math.max(8, box.left + box.width / 2 - tip.width / 2), document.documentElement.clientWidth - tip.width - 8);
  const above = box.top - tip.height - 8;
  tooltip.style.left = `${left + window.scrollX}px`;
  tooltip.style.top = `${(above >= 0 ? above : box.bottom + 8) + window.scrollY}px`;
}

export function hideTooltip() {
  $("tooltip").hidden = true;
}
