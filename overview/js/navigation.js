// Which view the address shows (?workspace=ID&period=YYYY-MM), and drawing it: the latest render wins.

import { forgetToken, storedToken } from "./api.js";
import { forgetSession } from "./oidc.js";
import { $ } from "./dom.js";
import { currentPeriod, validPeriod } from "./format.js";
import { renderOrganization } from "./organization-view.js";
import { setStatus, show } from "./page.js";
import { signedInOrganization, signInMessage } from "./session.js";
import { hideTooltip } from "./tooltip.js";
import { renderWorkspace } from "./workspace-view.js";

let renderCount = 0;

export function showSignIn(message) {
  renderCount++;
  hideTooltip();
  show("sign-in");
  setStatus("");
  document.title = "Sign in – AI credits usage";
  $("sign-in-error").textContent = message || "";
  $("token").setAttribute("aria-invalid", message ? "true" : "false");
  document.body.dataset.ready = "sign-in";
}

/** Forgets every token and answer, and takes the data off the page (a back button must find none). */
export function signOut(message) {
  forgetToken();
  forgetSession();
  for (const id of ["tiles", "used-summary", "feature-bar", "daily-chart", "pool-summary", "pool-bar", "pool-daily-chart",
    "pool-thresholds"]) $(id).replaceChildren();
  $("pool").hidden = true;
  document.querySelectorAll("#main tbody").forEach((body) => body.replaceChildren());
  showSignIn(message || "");
}

export function route() {
  const query = new URLSearchParams(location.search);
  return {
    workspace: query.get("workspace"),
    period: validPeriod(query.get("period")) || currentPeriod(),
  };
}

export function navigate(target) {
  const query = new URLSearchParams();
  if (target.workspace) query.set("workspace", target.workspace);
  if (target.period) query.set("period", target.period);
  history.pushState(null, "", `${location.pathname}?${query}`);
  // Where a screen reader and the next Tab start from: the new view's heading.
  render().then(() => {
    const heading = document.querySelector("section:not([hidden]) > .heading-row h1");
    if (heading) heading.focus({ preventScroll: true });
  });
}

export async function render() {
  const organization = signedInOrganization();
  if (!organization) {
    showSignIn(storedToken() ? "The stored token is unusable; sign in again." : "");
    return;
  }
  const ticket = ++renderCount;
  const isCurrent = () => ticket === renderCount;
  const { workspace, period } = route();
  hideTooltip();
  document.body.dataset.ready = "";
  setStatus("Loading…");
  $("main").setAttribute("aria-busy", "true");
  try {
    if (workspace) {
      await renderWorkspace(organization, workspace, period, isCurrent);
    } else {
      await renderOrganization(organization, period, isCurrent, navigate);
    }
    if (isCurrent()) setStatus("");
  } catch (e) {
    if (!isCurrent()) return;
    if (e.status === 401) {
      signOut("Your sign-in has ended (401 Unauthorized: the token expired and could not be renewed, or was refused). Sign in again.");
    } else if (e.status === 404 && workspace) {
      show("organization");
      $("tiles").replaceChildren();
      setStatus(`Workspace ${workspace} is not in organization ${organization}.`);
      document.body.dataset.ready = "error";
    } else {
      setStatus(e.status === 403 ? signInMessage(e) : `Could not load the usage: ${e.message}`);
      document.body.dataset.ready = "error";
    }
  } finally {
    if (isCurrent()) $("main").removeAttribute("aria-busy");
  }
}
