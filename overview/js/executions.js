// The workspace's recent executions, a page at a time ("Show more").

import { executionsPage } from "./api.js";
import { $, el } from "./dom.js";
import { featureName, formatCredits, timeLabel } from "./format.js";
import { setStatus } from "./page.js";

export function renderExecutions(workspaceId, period, page, append) {
  const body = $("executions").tBodies[0];
  const rows = page.items.map((r) => el("tr", { "data-execution": r.executionId },
    el("td", {}, timeLabel(r.occurredAt)),
    el("td", {}, el("code", {}, r.activity),
      r.model === "BYOS" ? el("span", { class: "own-model", title: "runs on your own model subscription (BYOS)" }, " own model") : "",
      r.llmModel ? el("span", { class: "llm-model", title: "the LLM model the run ran on" }, " on ", el("code", {}, r.llmModel)) : ""),
    el("td", {}, featureName(r.feature)),
    el("td", { class: "number" }, formatCredits(r.creditsConsumed), r.refundedAt ? el("span", { class: "refunded" }, " refunded") : ""),
    el("td", { class: "number" }, formatCredits(r.creditsUsed)),
    el("td", {}, el("code", { class: "execution-id" }, r.executionId))));
  if (append) {
    body.append(...rows);
  } else {
    body.replaceChildren(...rows);
    if (!rows.length) body.append(el("tr", {}, el("td", { colspan: "6" }, "No executions this month.")));
  }
  const more = $("more-executions");
  more.hidden = !page.nextCursor;
  more.onclick = page.nextCursor ? async () => {
    more.disabled = true;
    try {
      renderExecutions(workspaceId, period, await executionsPage(workspaceId, period, page.nextCursor), true);
    } catch (e) {
      setStatus(`Could not load more executions: ${e.message}`);
    } finally {
      more.disabled = false;
    }
  } : null;
}
