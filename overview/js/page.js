// The parts of the page every view shares: which view shows, the status line, the month pickers.

import { $ } from "./dom.js";
import { currentPeriod } from "./format.js";
import { signedInOrganization } from "./session.js";

export function setStatus(text) {
  $("status").textContent = text;
}

export function show(view) {
  for (const id of ["sign-in", "organization", "workspace"]) $(id).hidden = id !== view;
  document.body.dataset.view = view;
  const organization = signedInOrganization();
  $("who").textContent = organization && view !== "sign-in" ? `Organization ${organization}` : "";
  $("sign-out").hidden = view === "sign-in";
}

export function setMonthPicker(input, period) {
  input.value = period;
  input.max = currentPeriod();
}
