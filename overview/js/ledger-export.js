// "Download CSV": the period's whole ledger fetched page by page (500 lines a page) with a progress bar, then saved
// as a file; the link stays, to save it again.

import { executionsPage } from "./api.js";
import { $ } from "./dom.js";
import { formatCredits } from "./format.js";
import { PAGE_SIZE, ledgerCsv } from "./ledger-csv.js";

/** Which view the controls belong to: an export started for an earlier view leaves the new one alone. */
let generation = 0;

export function setUpLedgerExport(workspaceId, period) {
  const current = ++generation;
  const button = $("download-csv");
  const link = $("csv-link");
  if (link.href) URL.revokeObjectURL(link.href);
  link.removeAttribute("href");
  link.hidden = true;
  $("csv-progress").hidden = true;
  $("csv-status").textContent = "";
  button.disabled = false;
  button.onclick = () => exportLedger(workspaceId, period, current);
}

async function exportLedger(workspaceId, period, current) {
  const mine = () => current === generation;
  const button = $("download-csv");
  const progress = $("csv-progress");
  const status = $("csv-status");
  button.disabled = true;
  progress.hidden = false;
  progress.removeAttribute("value");
  status.textContent = "Reading the ledger…";
  document.body.dataset.csv = "working";
  let lines = 0;
  try {
    const csv = await ledgerCsv((cursor) => executionsPage(workspaceId, period, cursor, PAGE_SIZE), (read, total) => {
      lines = read;
      if (!mine()) return;
      progress.max = total;
      progress.value = read;
      status.textContent = `Read ${formatCredits(read)} of ${formatCredits(total)} lines…`;
    });
    if (!mine()) return;
    const link = $("csv-link");
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    link.download = `aicredits-ledger-${workspaceId}-${period}.csv`;
    link.textContent = `${link.download} (${formatCredits(lines)} lines)`;
    link.hidden = false;
    link.click();
    status.textContent = `Saved ${formatCredits(lines)} ledger lines.`;
    document.body.dataset.csv = "ready";
  } catch (e) {
    if (!mine()) return;
    status.textContent = `Could not build the CSV: ${e.message}`;
    document.body.dataset.csv = "error";
  } finally {
    if (mine()) {
      button.disabled = false;
      progress.hidden = true;
    }
  }
}
