// Numbers, features, days and months as the page writes them; periods are UTC calendar months, as the API counts them.

import { creditsText } from "./credits.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];

/** The features in the order the bar, its legend and the CSS (feature-KEY classes) show them. */
export const FEATURES = [
  { key: "CASE_INVESTIGATION", name: "Case investigations" },
  { key: "CASE_CONVERSATION", name: "Case conversations" },
  { key: "AI_AGENT", name: "AI agents" },
  { key: "AI_TASK", name: "AI tasks" },
];

/** Credits (or a count) as the page writes them: exact to the hundredth, no trailing zeros, thousands grouped (1,234.75). */
export const formatCredits = (value) => creditsText(value);
export const formatPercent = (value) => `${Number(value).toFixed(1)}%`;
export const featureName = (key) => (FEATURES.find((f) => f.key === key) || { name: key }).name;

export function currentPeriod() {
  return new Date().toISOString().slice(0, 7);
}

export function validPeriod(text) {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text || "") ? text : null;
}

export function daysIn(period) {
  const [year, month] = period.split("-").map(Number);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function periodLabel(period) {
  const [year, month] = period.split("-").map(Number);
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

export function dayLabel(isoDate) {
  const [, month, day] = isoDate.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]}`;
}

export function timeLabel(isoInstant) {
  const date = new Date(isoInstant);
  if (Number.isNaN(date.getTime())) return isoInstant || "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}
