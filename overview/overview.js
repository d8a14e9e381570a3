// The usage overview: plain DOM and SVG, no build step, no third-party code. Every number comes from the usage API
// (GET /v1/organizations/{org}/usage, /v1/workspaces/{id}/usage and /executions) called with the manager's token.
"use strict";

(() => {
  const config = window.AICREDITS_OVERVIEW || {};
  const API_BASE = String(config.apiBaseUrl || "").replace(/\/+$/, "");
  const TOKEN_KEY = "aicredits.overview.token";
  const FEATURES = [
    { key: "CASE_INVESTIGATION", name: "Case investigations" },
    { key: "CASE_CONVERSATION", name: "Case conversations" },
    { key: "AI_AGENT", name: "AI agents" },
    { key: "AI_TASK", name: "AI tasks" },
  ];
  const EXECUTIONS_PAGE = 20;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

  const $ = (id) => document.getElementById(id);
  const formatCredits = (value) => NUMBER.format(Number(value));
  const formatPercent = (value) => `${Number(value).toFixed(1)}%`;
  const featureName = (key) => (FEATURES.find((f) => f.key === key) || { name: key }).name;

  /** An element with attributes (null/false ones skipped) and children (strings become text, never HTML). */
  function el(tag, attributes = {}, ...children) {
    return fill(document.createElement(tag), attributes, children);
  }

  function svg(tag, attributes = {}, ...children) {
    return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attributes, children);
  }

  function fill(node, attributes, children) {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "style") {
        // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
        for (const [property, setting] of Object.entries(value)) node.style.setProperty(property, setting);
        continue;
      }
      node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---- periods (UTC calendar months, as the API counts them) ----

  function currentPeriod() {
    return new Date().toISOString().slice(0, 7);
  }

  function validPeriod(text) {
    return /^\d{4}-(0[1-9]|1[0-2])$/.test(text || "") ? text : null;
  }

  function daysIn(period) {
    const [year, month] = period.split("-").map(Number);
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
  }

  function periodLabel(period) {
    const [year, month] = period.split("-").map(Number);
    return `${MONTH_NAMES[month - 1]} ${year}`;
  }

  function dayLabel(isoDate) {
    const [, month, day] = isoDate.split("-").map(Number);
    return `${day} ${MONTHS[month - 1]}`;
  }

  function timeLabel(isoInstant) {
    const date = new Date(isoInstant);
    if (Number.isNaN(date.getTime())) return isoInstant || "";
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, `
      + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  }

  // ---- the API ----

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, token = sessionStorage.getItem(TOKEN_KEY)) {
    let response;
    try {
      response = await fetch(API_BASE + path, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        credentials: "omit",
        cache: "no-store",
      });
    } catch (e) {
      throw new ApiError(0, `Cannot reach the API at ${API_BASE || location.origin} (${e.message}).`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message = (body && body.error && body.error.message) || (body && body.message) || response.statusText;
      throw new ApiError(response.status, message);
    }
    return body;
  }

  /** Every workspace row of the organization for a period, across pages; kept for the names and tiers. */
  const rowsByPeriod = new Map();

  async function organizationRows(organization, period, token) {
    const key = `${organization}/${period}`;
    if (rowsByPeriod.has(key)) return rowsByPeriod.get(key);
    const rows = [];
    let cursor = null;
    do {
      const query = new URLSearchParams({ period, limit: "100" });
      if (cursor) query.set("cursor", cursor);
      const page = await api(`/v1/organizations/${encodeURIComponent(organization)}/usage?${query}`, token);
      rows.push(...page.items);
      cursor = page.nextCursor || null;
    } while (cursor);
    rowsByPeriod.set(key, rows);
    return rows;
  }

  // ---- the token ----

  /** The JWT's claims, read (not verified: the API does that) for the organization it belongs to. */
  function claimsOf(token) {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    try {
      const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims && typeof claims === "object" ? claims : null;
    } catch (e) {
      return null;
    }
  }

  function signedInOrganization() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const claims = token ? claimsOf(token) : null;
    return claims && claims.org_id ? String(claims.org_id) : null;
  }

  async function signIn(rawToken) {
    const token = rawToken.trim().replace(/^Bearer\s+/i, "");
    if (!token) throw new Error("Paste a token first.");
    const claims = claimsOf(token);
    if (!claims) {
      throw new Error("This is not a JWT: a token is three base64url parts separated by dots. Paste the whole token.");
    }
    if (!claims.org_id) {
      throw new Error("This token belongs to no organization (it has no org_id claim): sign in with an organization manager's token.");
    }
    if (typeof claims.exp === "number" && claims.exp * 1000 <= Date.now()) {
      throw new Error(`This token expired on ${timeLabel(new Date(claims.exp * 1000).toISOString())} UTC. Get a new one.`);
    }
    try {
      await organizationRows(String(claims.org_id), currentPeriod(), token);
    } catch (e) {
      throw new Error(signInMessage(e));
    }
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  function signInMessage(error) {
    if (error.status === 401) {
      return "The API refused this token (401 Unauthorized): it is not signed by the expected issuer, or it has expired. "
        + "Get a new token and sign in again.";
    }
    if (error.status === 403) {
      return "The API accepted this token but it is not an organization manager's (403 Forbidden): only managers see usage.";
    }
    return `Sign-in failed: ${error.message}`;
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    rowsByPeriod.clear();
    showSignIn(message || "");
  }

  // ---- views ----

  let renderCount = 0;
  let shownUsage = null;

  function setStatus(text) {
    $("status").textContent = text;
  }

  function show(view) {
    for (const id of ["sign-in", "organization", "workspace"]) $(id).hidden = id !== view;
    document.body.dataset.view = view;
    const organization = signedInOrganization();
    $("who").textContent = organization && view !== "sign-in" ? `Organization ${organization}` : "";
    $("sign-out").hidden = view === "sign-in";
  }

  function showSignIn(message) {
    renderCount++;
    hideTooltip();
    show("sign-in");
    setStatus("");
    document.title = "Sign in – AI credits usage";
    $("sign-in-error").textContent = message || "";
    $("token").setAttribute("aria-invalid", message ? "true" : "false");
    document.body.dataset.ready = "sign-in";
  }

  function route() {
    const query = new URLSearchParams(location.search);
    return {
      workspace: query.get("workspace"),
      period: validPeriod(query.get("period")) || currentPeriod(),
    };
  }

  function navigate(target) {
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

  async function render() {
    const organization = signedInOrganization();
    if (!organization) {
      showSignIn(sessionStorage.getItem(TOKEN_KEY) ? "The stored token is unusable; sign in again." : "");
      return;
    }
    const ticket = ++renderCount;
    const { workspace, period } = route();
    hideTooltip();
    document.body.dataset.ready = "";
    setStatus("Loading…");
    $("main").setAttribute("aria-busy", "true");
    try {
      if (workspace) {
        await renderWorkspace(ticket, organization, workspace, period);
      } else {
        await renderOrganization(ticket, organization, period);
      }
      if (ticket === renderCount) setStatus("");
    } catch (e) {
      if (ticket !== renderCount) return;
      if (e.status === 401) {
        signOut("Your token was refused (401 Unauthorized); it may have expired. Sign in again.");
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
      if (ticket === renderCount) $("main").removeAttribute("aria-busy");
    }
  }

  async function renderOrganization(ticket, organization, period) {
    const rows = await organizationRows(organization, period);
    if (ticket !== renderCount) return;
    show("organization");
    document.title = `Workspaces, ${periodLabel(period)} – AI credits usage`;
    $("organization-title").textContent = `Workspaces of ${organization}, ${periodLabel(period)}`;
    setMonthPicker($("organization-month"), period);
    const tiles = $("tiles");
    tiles.replaceChildren(...[...rows].sort((a, b) => String(a.name).localeCompare(String(b.name))).map((row) => tile(row, period)));
    if (rows.length === 0) tiles.append(el("li", { class: "empty" }, "No workspaces in this organization yet."));
    document.body.dataset.ready = "organization";
  }

  function tile(row, period) {
    const percent = Number(row.percentUsed);
    const level = percent >= 100 ? "over" : percent >= 80 ? "high" : "normal";
    const link = el("a", {
      class: `tile level-${level}`,
      href: `?${new URLSearchParams({ workspace: row.workspaceId, period })}`,
      "data-workspace": row.workspaceId,
      "data-used": row.creditsUsed,
      "data-allocated": row.creditsAllocated,
    },
    el("span", { class: "tile-head" },
      el("span", { class: "tile-name" }, row.name || row.workspaceId),
      el("span", { class: "tier" }, row.tier || "")),
    el("span", { class: "tile-id" }, row.workspaceId),
    el("span", { class: "tile-used" },
      el("strong", {}, `${formatCredits(row.creditsUsed)} / ${formatCredits(row.creditsAllocated)}`), " credits"),
    el("span", { class: "meter", "aria-hidden": "true" },
      el("span", { class: "meter-fill", style: { width: `${Math.min(100, Math.max(0, percent))}%` } })),
    el("span", { class: "tile-percent" },
      `${formatPercent(percent)} used`, level === "over" ? " — over the allocation" : level === "high" ? " — nearly used up" : ""));
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      navigate({ workspace: row.workspaceId, period });
    });
    return el("li", {}, link);
  }

  async function renderWorkspace(ticket, organization, workspaceId, period) {
    const path = `/v1/workspaces/${encodeURIComponent(workspaceId)}`;
    const [usage, executions, rows] = await Promise.all([
      api(`${path}/usage?${new URLSearchParams({ period })}`),
      api(`${path}/executions?${new URLSearchParams({ period, limit: String(EXECUTIONS_PAGE) })}`),
      organizationRows(organization, period).catch(() => []),
    ]);
    if (ticket !== renderCount) return;
    const row = rows.find((r) => r.workspaceId === workspaceId) || {};
    show("workspace");
    const name = row.name || workspaceId;
    document.title = `${name}, ${periodLabel(period)} – AI credits usage`;
    $("workspace-title").replaceChildren(name, " ", el("span", { class: "tier" }, row.tier || ""),
      el("span", { class: "title-id" }, workspaceId));
    setMonthPicker($("workspace-month"), period);
    $("back").setAttribute("href", `?${new URLSearchParams({ period })}`);
    renderUsedThisMonth(usage);
    shownUsage = usage;
    renderDaily(usage);
    renderFacts(usage, period);
    renderExecutions(workspaceId, period, executions, false);
    document.body.dataset.ready = "workspace";
  }

  function setMonthPicker(input, period) {
    input.value = period;
    input.max = currentPeriod();
  }

  // ---- "Credits used this month": a horizontal bar stacked by feature ----

  function renderUsedThisMonth(usage) {
    const used = Number(usage.creditsUsed);
    const allocated = Number(usage.creditsAllocated);
    const summary = $("used-summary");
    summary.replaceChildren(
      el("strong", { id: "used-total", "data-used": used, "data-allocated": allocated },
        `${formatCredits(used)} / ${formatCredits(allocated)}`),
      " credits used ", el("span", { class: "percent" }, `(${formatPercent(usage.percentUsed)})`),
      el("br"),
      used > allocated
        ? `${formatCredits(used - allocated)} over the allocation`
        : `${formatCredits(usage.creditsRemaining)} remaining`,
      usage.hardLimitCredits ? ` · hard limit ${formatCredits(usage.hardLimitCredits)}` : "");

    const scale = Math.max(allocated, used);
    const bar = $("feature-bar");
    const segments = FEATURES.filter((f) => Number(usage.byFeature[f.key] || 0) > 0).map((feature) => {
      const credits = Number(usage.byFeature[feature.key]);
      const share = used > 0 ? (credits / used) * 100 : 0;
      const width = (credits / scale) * 100;
      const text = `${feature.name}: ${formatCredits(credits)} credits`;
      const segment = el("div", {
        class: `segment feature-${feature.key}`,
        tabindex: "0",
        role: "img",
        "aria-label": `${text} (${formatPercent(share)} of used)`,
        "data-feature": feature.key,
        "data-credits": credits,
        style: { width: `${width}%` },
      }, width >= 9 ? el("span", { class: "segment-label", "aria-hidden": "true" }, formatCredits(credits)) : null);
      attachTooltip(segment, () => `${text} (${formatPercent(share)} of used)`);
      return segment;
    });
    if (used < scale) {
      segments.push(el("div", { class: "unused", "aria-hidden": "true", style: { width: `${((scale - used) / scale) * 100}%` } }));
    }
    if (used === 0) {
      bar.setAttribute("aria-label", "No credits used this month");
    } else {
      bar.setAttribute("aria-label", `Credits used by feature, ${formatCredits(used)} of ${formatCredits(allocated)}`);
    }
    bar.replaceChildren(...segments);
    if (used > allocated && scale > 0) {
      bar.append(el("div", { class: "allocation-mark", "aria-hidden": "true", style: { left: `${(allocated / scale) * 100}%` } }));
    }
    $("bar-scale").replaceChildren(el("span", {}, "0"),
      el("span", {}, used > allocated ? `${formatCredits(scale)} used (allocation ${formatCredits(allocated)})`
        : `${formatCredits(allocated)} allocated`));

    $("feature-legend").tBodies[0].replaceChildren(...FEATURES.map((feature) => {
      const credits = Number(usage.byFeature[feature.key] || 0);
      return el("tr", { "data-feature": feature.key },
        el("th", { scope: "row" }, el("span", { class: `swatch feature-${feature.key}`, "aria-hidden": "true" }), feature.name),
        el("td", { class: "number" }, formatCredits(credits)),
        el("td", { class: "number" }, used > 0 ? formatPercent((credits / used) * 100) : "–"));
    }));
    const notes = [];
    if (Number(usage.freeExecutions) > 0) notes.push(`${formatCredits(usage.freeExecutions)} free executions (no credits)`);
    if (Number(usage.casesCounted) > 0) notes.push(`${formatCredits(usage.casesCounted)} cases counted`);
    $("free-note").textContent = notes.join(" · ");
  }

  // ---- "Cumulative daily usage": an SVG line from the 1st ----

  function renderDaily(usage) {
    const days = usage.daily || [];
    const period = usage.period;
    const monthDays = daysIn(period);
    const allocated = Number(usage.creditsAllocated);
    const used = Number(usage.creditsUsed);
    const last = days.length ? Number(days[days.length - 1].cumulative) : 0;
    const forecast = forecastLine(usage, days, monthDays);
    // The scale takes the forecast in, so its line ends where its label says (at most 5x the allocation: beyond
    // that the line is cut at the top and its label says so).
    const ceiling = 5 * Math.max(allocated, last, 1);
    const top = niceCeiling(Math.max(allocated, last, forecast ? Math.min(forecast.value, ceiling) : 0, 1));

    // Drawn at the container's own width, so text keeps its size on a phone; redrawn when the window resizes.
    const width = Math.max(280, Math.round($("daily-chart").clientWidth || 720));
    const height = width < 500 ? 220 : 280;
    const margin = { left: 60, right: 20, top: 16, bottom: 36 };
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    const x = (day) => margin.left + ((day - 1) / Math.max(1, monthDays - 1)) * plotWidth;
    const y = (value) => margin.top + plotHeight - (Math.min(value, top) / top) * plotHeight;

    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`, class: "daily", tabindex: "0", role: "img",
      "aria-label": days.length
        ? `Cumulative daily usage for ${periodLabel(period)}: ${formatCredits(last)} credits by ${dayLabel(days[days.length - 1].date)}, `
          + `of ${formatCredits(allocated)} allocated. Use the arrow keys to read each day.`
        : `No days to show for ${periodLabel(period)}.`,
      "aria-describedby": "daily-readout",
    });
    const grid = svg("g", { class: "grid", "aria-hidden": "true" });
    for (const value of ticks(top)) {
      grid.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
        svg("text", { x: margin.left - 8, y: y(value) + 4, "text-anchor": "end" }, formatCredits(value)));
    }
    for (const day of dayTicks(monthDays, width)) {
      grid.append(svg("text", { x: x(day), y: height - 12, "text-anchor": "middle" },
        dayLabel(`${period}-${String(day).padStart(2, "0")}`)));
    }
    chart.append(grid);

    if (allocated > 0) {
      chart.append(svg("g", { class: "allocation", "aria-hidden": "true" },
        svg("line", { x1: margin.left, x2: width - margin.right, y1: y(allocated), y2: y(allocated) }),
        svg("text", { x: margin.left + 6, y: y(allocated) - 6, "text-anchor": "start" },
          `Allocation ${formatCredits(allocated)}`)));
    }
    if (days.length) {
      const points = days.map((d, i) => [x(i + 1), y(Number(d.cumulative))]);
      const line = points.map(([px, py], i) => `${i ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`).join("");
      chart.append(svg("path", {
        class: "area", "aria-hidden": "true",
        d: `${line}L${points[points.length - 1][0].toFixed(1)},${y(0)}L${points[0][0].toFixed(1)},${y(0)}Z`,
      }), svg("path", { class: "line", d: line, "aria-hidden": "true" }));
    }
    if (forecast) {
      chart.append(svg("g", { class: "forecast", "aria-hidden": "true" },
        svg("line", { x1: x(days.length), y1: y(last), x2: x(monthDays), y2: y(forecast.value) }),
        svg("text", { x: x(monthDays), y: Math.max(y(forecast.value) - 6, margin.top + 12), "text-anchor": "end" },
          forecast.value > top ? `Forecast ${formatCredits(forecast.value)} (off the chart)` : `Forecast ${formatCredits(forecast.value)}`)));
    }
    const pointGroup = svg("g", { class: "points", "aria-hidden": "true" });
    days.forEach((d, i) => pointGroup.append(svg("circle", {
      class: "point", cx: x(i + 1), cy: y(Number(d.cumulative)), r: 3,
      "data-date": d.date, "data-cumulative": d.cumulative, "data-credits": d.credits,
    })));
    const guide = svg("line", { class: "guide", y1: margin.top, y2: margin.top + plotHeight, visibility: "hidden" });
    chart.append(guide, pointGroup);

    // One invisible column per day catches the pointer anywhere above or below the point.
    const step = plotWidth / Math.max(1, monthDays - 1);
    let selected = -1;
    const select = (index) => {
      if (index < 0 || index >= days.length) return;
      selected = index;
      const d = days[index];
      const text = `${dayLabel(d.date)}: ${formatCredits(d.cumulative)} credits in total since the 1st `
        + `(${formatCredits(d.credits)} that day)`;
      guide.setAttribute("x1", x(index + 1));
      guide.setAttribute("x2", x(index + 1));
      guide.setAttribute("visibility", "visible");
      pointGroup.querySelectorAll(".selected").forEach((p) => p.classList.remove("selected"));
      pointGroup.children[index].classList.add("selected");
      $("daily-readout").textContent = text;
      showTooltip(pointGroup.children[index], text);
    };
    const unselect = () => {
      guide.setAttribute("visibility", "hidden");
      pointGroup.querySelectorAll(".selected").forEach((p) => p.classList.remove("selected"));
      hideTooltip();
    };
    const hits = svg("g", { class: "hits", "aria-hidden": "true" });
    days.forEach((d, i) => {
      const hit = svg("rect", {
        class: "day-hit", x: x(i + 1) - step / 2, y: margin.top, width: step, height: plotHeight,
        "data-date": d.date, "data-index": i,
      });
      hit.addEventListener("mouseenter", () => select(i));
      hits.append(hit);
    });
    hits.addEventListener("mouseleave", () => { if (document.activeElement !== chart) unselect(); });
    chart.append(hits);
    chart.addEventListener("focus", () => select(selected >= 0 ? selected : days.length - 1));
    chart.addEventListener("blur", unselect);
    chart.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: selected - 1, ArrowRight: selected + 1, Home: 0, End: days.length - 1,
        ArrowDown: selected - 1, ArrowUp: selected + 1 };
      if (event.key === "Escape") { unselect(); return; }
      if (!(event.key in moves)) return;
      event.preventDefault();
      select(Math.max(0, Math.min(days.length - 1, moves[event.key])));
    });

    $("daily-chart").replaceChildren(chart, el("p", { id: "daily-readout", class: "visually-hidden", "aria-live": "polite" }));
    $("daily-table").tBodies[0].replaceChildren(...days.map((d) => el("tr", {},
      el("th", { scope: "row" }, dayLabel(d.date)),
      el("td", { class: "number" }, formatCredits(d.credits)),
      el("td", { class: "number" }, formatCredits(d.cumulative)))));
  }

  /** The forecast's end of month, drawn from today's point, for the current month only. */
  function forecastLine(usage, days, monthDays) {
    if (usage.period !== currentPeriod() || !usage.forecast || usage.forecast.tooEarly || days.length >= monthDays) return null;
    return { value: Number(usage.forecast.projectedUsed) };
  }

  function niceCeiling(value) {
    const magnitude = 10 ** Math.floor(Math.log10(value));
    for (const factor of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
      if (factor * magnitude >= value) return factor * magnitude;
    }
    return 10 * magnitude;
  }

  function ticks(top) {
    return [0, 0.25, 0.5, 0.75, 1].map((f) => top * f);
  }

  function dayTicks(monthDays, width) {
    return (width < 500 ? [1, 8, 15, 22, monthDays] : [1, 5, 10, 15, 20, 25, monthDays]).filter((d, i, all) => d <= monthDays && (i === all.length - 1 || monthDays - d >= 3));
  }

  // ---- thresholds and forecast, in words ----

  function renderFacts(usage, period) {
    const facts = [];
    const reached = usage.thresholdsReached || [];
    facts.push(el("li", { id: "thresholds" }, reached.length
      ? [el("strong", {}, "Thresholds reached: "), reached.map((t) => `${t}%`).join(", ")]
      : "No alert threshold reached this month."));
    const allocated = Number(usage.creditsAllocated);
    const used = Number(usage.creditsUsed);
    if (period === currentPeriod() && usage.forecast && usage.forecast.tooEarly) {
      facts.push(el("li", { id: "forecast" }, el("strong", {}, "Forecast: "),
        "too early to forecast: the month is less than a day old, so its pace says little yet."));
    } else if (period === currentPeriod() && usage.forecast) {
      const projected = Number(usage.forecast.projectedUsed);
      facts.push(el("li", { id: "forecast" }, el("strong", {}, "Forecast: "),
        `about ${formatCredits(projected)} credits by the end of the month at this month's pace`,
        allocated > 0 ? ` (${formatPercent((projected / allocated) * 100)} of the allocation).` : "."));
      facts.push(el("li", { id: "runs-out" }, usage.forecast.runsOutOn
        ? [el("strong", {}, "Runs out: "), `at this pace the allocation is used up on ${dayLabel(usage.forecast.runsOutOn)}.`]
        : used >= allocated ? "The allocation is already used up." : "At this pace the allocation lasts the month."));
    } else {
      facts.push(el("li", { id: "forecast" }, period > currentPeriod()
        ? "This month has not started."
        : `Month closed: ${formatCredits(used)} of ${formatCredits(allocated)} credits used.`));
    }
    $("facts").replaceChildren(...facts);
  }

  // ---- recent executions ----

  function renderExecutions(workspaceId, period, page, append) {
    const body = $("executions").tBodies[0];
    const rows = page.items.map((r) => el("tr", { "data-execution": r.executionId },
      el("td", {}, timeLabel(r.occurredAt)),
      el("td", {}, el("code", {}, r.activity)),
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
        const query = new URLSearchParams({ period, limit: String(EXECUTIONS_PAGE), cursor: page.nextCursor });
        renderExecutions(workspaceId, period,
          await api(`/v1/workspaces/${encodeURIComponent(workspaceId)}/executions?${query}`), true);
      } catch (e) {
        setStatus(`Could not load more executions: ${e.message}`);
      } finally {
        more.disabled = false;
      }
    } : null;
  }

  // ---- one tooltip for the bar's segments and the chart's days ----

  function attachTooltip(target, text) {
    const open = () => showTooltip(target, text());
    target.addEventListener("mouseenter", open);
    target.addEventListener("focus", open);
    target.addEventListener("mouseleave", () => { if (document.activeElement !== target) hideTooltip(); });
    target.addEventListener("blur", hideTooltip);
    target.addEventListener("keydown", (event) => { if (event.key === "Escape") hideTooltip(); });
  }

  function showTooltip(target, text) {
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

  function hideTooltip() {
    $("tooltip").hidden = true;
  }

  // ---- wiring ----

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
        const response = await fetch(`${API_BASE}/_local/token?${new URLSearchParams({ role: "manager", org: organization })}`,
          { cache: "no-store", credentials: "omit" });
        const body = await response.json();
        if (!response.ok || !body.token) throw new Error((body.error && body.error.message) || `HTTP ${response.status}`);
        $("token").value = body.token;
        $("sign-in-error").textContent = "";
        $("token").focus();
      } catch (e) {
        $("sign-in-error").textContent = `No dev token here (${e.message}): dev tokens come from the local stack only.`;
      }
    });
    $("sign-out").addEventListener("click", () => signOut(""));
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
      resizing = setTimeout(() => { if (document.body.dataset.view === "workspace" && shownUsage) renderDaily(shownUsage); }, 150);
    });
    render();
  });
})();
