// A period's ledger as CSV (RFC 4180), built from the executions API page by page: pure logic, no DOM and no
// network of its own (the caller hands it the page reader), so a test can run it on pages of its choosing.
// The columns and formats are documented in docs/overview-page.md ("Download CSV").

/** The columns, in order: the API's field names, `entry` being RECORD or REFUND; new columns go at the end. */
export const LEDGER_COLUMNS = ["sequence", "entry", "executionId", "activity", "feature", "creditsConsumed", "creditsUsed",
  "creditsRemaining", "creditsAllocated", "period", "occurredAt", "recordedAt", "priceVersion", "refundedAt",
  "refundReason", "workspaceId", "llmModel"];

export const PAGE_SIZE = 500;

/**
 * One field. Numbers go as they are (a refund's -12 stays a number), and exactly as the API wrote them: its credits
 * have at most two decimals and no trailing zeros (0.25, 12.5, -3.75), and such a number, read by JSON.parse, writes
 * back as the same digits with String (never through toFixed or a locale's format, which could add or drop some).
 * Text that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage return) gets a
 * leading apostrophe; text with a comma, a quote or a line break is quoted, its quotes doubled.
 */
export function csvField(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll("\"", "\"\"")}"` : text;
}

/** A ledger line (a row of GET …/executions) as a CSV line, without its line break. */
export function csvLine(line) {
  return LEDGER_COLUMNS.map((column) => csvField(column === "entry" ? line.entry || "RECORD" : line[column])).join(",");
}

/**
 * Every line of the period in sequence order, as CSV text with a header, lines ending CRLF. `readPage(cursor)`
 * returns a page of GET …/executions (newest first; the first with a null cursor); `onProgress(read, total)` is told
 * after each page (total: the newest line's sequence, the period's number of lines when the export started).
 */
export async function ledgerCsv(readPage, onProgress = () => {}) {
  const lines = [];
  let total = 0;
  let cursor = null;
  do {
    const page = await readPage(cursor);
    for (const line of page.items) {
      if (!total) total = Number(line.sequence);
      lines.push({ sequence: Number(line.sequence), text: csvLine(line) });
    }
    cursor = page.nextCursor || null;
    onProgress(lines.length, Math.max(total, lines.length));
  } while (cursor);
  lines.sort((a, b) => a.sequence - b.sequence);
  return [LEDGER_COLUMNS.join(","), ...lines.map((line) => line.text)].join("\r\n") + "\r\n";
}
