// The usage API, called with the manager's (or viewer's) token; the token stays in this tab's sessionStorage. A 401 asks the
// sign-in for a fresh token once (the issuer's refresh) before it counts.

const config = window.AICREDITS_OVERVIEW || {};
const API_BASE = String(config.apiBaseUrl || "").replace(/\/+$/, "");
const TOKEN_KEY = "aicredits.overview.token";
const EXECUTIONS_PAGE = 20;

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const keepToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);

/** Forgets the token and every answer read with it. */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  usageByPeriod.clear();
}

let renewToken = null;
/** {@code renew} returns a fresh token (or null) when the API answers 401 to the kept one. */
export const whenUnauthorized = (renew) => { renewToken = renew; };

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, token = storedToken()) {
  try {
    return await call(path, token);
  } catch (e) {
    if (e.status !== 401 || !renewToken || token !== storedToken()) throw e;
    const fresh = await renewToken();
    if (!fresh) throw e;
    return call(path, fresh);
  }
}

async function call(path, token) {
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

/** Every workspace row of the organization for a period, across pages, and its credit pool; kept for the names and tiers. */
const usageByPeriod = new Map();

/** `{ rows, pool }`: the rows of every page and, for a period the organization pooled, its pool (else null). */
export async function organizationUsage(organization, period, token) {
  const key = `${organization}/${period}`;
  if (usageByPeriod.has(key)) return usageByPeriod.get(key);
  const rows = [];
  let pool = null;
  let cursor = null;
  do {
    const query = new URLSearchParams({ period, limit: "100" });
    if (cursor) query.set("cursor", cursor);
    const page = await api(`/v1/organizations/${encodeURIComponent(organization)}/usage?${query}`, token);
    rows.push(...page.items);
    // Every page carries the same pool.
    pool = page.pool || null;
    cursor = page.nextCursor || null;
  } while (cursor);
  const usage = { rows, pool };
  usageByPeriod.set(key, usage);
  return usage;
}

export async function organizationRows(organization, period, token) {
  return (await organizationUsage(organization, period, token)).rows;
}

export function workspaceUsage(workspaceId, period) {
  return api(`/v1/workspaces/${encodeURIComponent(workspaceId)}/usage?${new URLSearchParams({ period })}`);
}

/** The workspace's last 12 months, ending with the API's current one. */
export function usageHistory(workspaceId) {
  return api(`/v1/workspaces/${encodeURIComponent(workspaceId)}/usage/history`);
}

/** One page of the workspace's latest executions; the first without a cursor. */
export function executionsPage(workspaceId, period, cursor = null, limit = EXECUTIONS_PAGE) {
  const query = new URLSearchParams({ period, limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  return api(`/v1/workspaces/${encodeURIComponent(workspaceId)}/executions?${query}`);
}

/** A manager's or viewer's dev token from the local stack (no other host has this route). */
export async function localDevToken(organization, role = "manager") {
  const response = await fetch(`${API_BASE}/_local/token?${new URLSearchParams({ role, org: organization })}`,
    { cache: "no-store", credentials: "omit" });
  const body = await response.json();
  if (!response.ok || !body.token) throw new Error((body.error && body.error.message) || `HTTP ${response.status}`);
  return body.token;
}
