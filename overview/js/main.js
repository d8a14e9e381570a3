// The usage overview: plain DOM and SVG, native ES modules, no build step; the one third-party module is the OIDC
// client in vendor/ (oidc.js). Every number comes
// from the usage API (GET /v1/organizations/{org}/usage, /v1/workspaces/{id}/usage and /executions) called with the
// manager's or viewer's token (the same answers; the page only reads). This module wires the page's controls;
// config.js (a classic script before it) sets the API's URL.

import { localDevToken } from "./api.js";
import { $ } from "./dom.js";
import { validPeriod } from "./format.js";
import { navigate, render, route, showSignIn } from "./navigation.js";
import { redrawPoolDaily } from "./pool-view.js";
import { signIn } from "./session.js";
import { oidcConfigured, resumeSignIn, signOutEverywhere, startSignIn } from "./sign-in.js";
import { hideTooltip } from "./tooltip.js";
import { redrawDaily } from "./workspace-view.js";

function onMonthChange(input) {
  input.addEventListener("change", () => {
    const period = validPeriod(input.value);
    if (period) navigate({ workspace: route().workspace, period });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("sign-in-button");
    button.disabled = true;
    $("sign-in-error").textContent = "";
    try {
      await signIn($("token").value);
      $("token").value = "";
      await render();
    } catch (e) {
      showSignIn(e.message);
      $("token").focus();
    } finally {
      button.disabled = false;
    }
  });
  $("dev-token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const organization = $("dev-org").value.trim();
    try {
      $("token").value = await localDevToken(organization, $("dev-role").value);
      $("sign-in-error").textContent = "";
      $("token").focus();
    } catch (e) {
      $("sign-in-error").textContent = `No dev token here (${e.message}): dev tokens come from the local stack only.`;
    }
  });
  $("issuer-sign-in").hidden = !oidcConfigured();
  $("issuer-sign-in-button").addEventListener("click", startSignIn);
  $("sign-out").addEventListener("click", signOutEverywhere);
  // A page restored from the back-forward cache shows what it showed: draw it again (signed out: no data).
  window.addEventListener("pageshow", (event) => { if (event.persisted) render(); });
  document.querySelectorAll("[data-nav=organization]").forEach((link) => link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate({ period: route().period });
  }));
  onMonthChange($("organization-month"));
  onMonthChange($("workspace-month"));
  window.addEventListener("popstate", render);
  let resizing = null;
  let drawnWidth = window.innerWidth;
  window.addEventListener("resize", () => {
    // Only a new width redraws (a phone's toolbar sliding away changes the height alone).
    if (window.innerWidth === drawnWidth) return;
    drawnWidth = window.innerWidth;
    hideTooltip();
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      if (document.body.dataset.view === "workspace") redrawDaily();
      if (document.body.dataset.view === "organization") redrawPoolDaily();
    }, 150);
  });
  resumeSignIn().then((signedIn) => { if (signedIn) render(); });
});
