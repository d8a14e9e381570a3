// Credit amounts as the page counts and writes them, exact to the hundredth (issue 33). The API writes every amount as
// a JSON number with at most two decimals and no trailing zeros (1, 0.25, 12.5, -3.75). JavaScript reads it as the
// double nearest to it, which writes back as the same digits; but adding or subtracting doubles drifts (0.1 + 0.2 is
// 0.30000000000000004). So the page never does arithmetic on amounts as doubles: it takes them to integers of
// hundredths (exact up to 90 trillion credits), adds or subtracts those, and comes back only to write or to draw.

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** An amount (a number, or numeric text) as an integer of hundredths: 12.5 → 1250, -3.75 → -375; NaN if it is none. */
export function toHundredths(value) {
  const number = typeof value === "string" && value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(number)) return NaN;
  return Math.round(number * 100) + 0; // + 0: never -0
}

/** The amount of an integer of hundredths, as the double the API's text would be read as (1250 → 12.5). */
export const fromHundredths = (hundredths) => hundredths / 100;

/** The exact sum of amounts: sumCredits(0.1, 0.2) is 0.3. */
export function sumCredits(...values) {
  return fromHundredths(values.flat().reduce((sum, value) => sum + toHundredths(value), 0));
}

/** The exact difference a - b: subtractCredits(1000.15, 999.9) is 0.25. */
export const subtractCredits = (a, b) => fromHundredths(toHundredths(a) - toHundredths(b));

/**
 * An amount as text to the hundredth, without trailing zeros: 12.5, 0.25, -3.75, 1234; grouped by thousands as the
 * page writes numbers (1,234.75) unless `grouping` is false (then as the API writes it). What is not a number is
 * written as the page always wrote it (NaN).
 */
export function creditsText(value, grouping = true) {
  const hundredths = toHundredths(value);
  if (Number.isNaN(hundredths)) return GROUPED.format(Number(value));
  const size = Math.abs(hundredths);
  const whole = Math.floor(size / 100);
  const cents = size % 100;
  const fraction = cents === 0 ? "" : `.${String(cents).padStart(2, "0").replace(/0$/, "")}`;
  return `${hundredths < 0 ? "-" : ""}${grouping ? GROUPED.format(whole) : String(whole)}${fraction}`;
}

/** The amount rounded to the hundredth (for a computed figure such as a chart's tick): 0.375 → 0.38. */
export const roundCredits = (value) => fromHundredths(toHundredths(value));
