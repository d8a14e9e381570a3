// Who is signed in: the organization read from the token's claims (the API verifies the token, not the page).

import { keepToken, organizationRows, storedToken } from "./api.js";
import { currentPeriod, timeLabel } from "./format.js";

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

/** The token's organization: org_id, or custom:org_id in a Cognito ID token (as the API reads it). */
function organizationOf(claims) {
  const organization = claims && (claims.org_id || claims["custom:org_id"]);
  return organization ? String(organization) : null;
}

export function signedInOrganization() {
  const token = storedToken();
  return token ? organizationOf(claimsOf(token)) : null;
}

/** Keeps the pasted token once the API has accepted it; else throws an Error saying what is wrong with it. */
export async function signIn(rawToken) {
  const token = rawToken.trim().replace(/^Bearer\s+/i, "");
  if (!token) throw new Error("Paste a token first.");
  const claims = claimsOf(token);
  if (!claims) {
    throw new Error("This is not a JWT: a token is three base64url parts separated by dots. Paste the whole token.");
  }
  const organization = organizationOf(claims);
  if (!organization) {
    throw Object.assign(new Error("This token belongs to no organization (it has no org_id claim): sign in with an organization manager's or viewer's token."),
      { status: 403 });
  }
  if (typeof claims.exp === "number" && claims.exp * 1000 <= Date.now()) {
    throw new Error(`This token expired on ${timeLabel(new Date(claims.exp * 1000).toISOString())} UTC. Get a new one.`);
  }
  try {
    await organizationRows(organization, currentPeriod(), token);
  } catch (e) {
    throw Object.assign(new Error(signInMessage(e)), { status: e.status });
  }
  keepToken(token);
}

export function signInMessage(error) {
  if (error.status === 401) {
    return "The API refused this token (401 Unauthorized): it is not signed by the expected issuer, or it has expired. "
      + "Get a new token and sign in again.";
  }
  if (error.status === 403) {
    return "The API accepted this token but it is not an organization manager's or viewer's (403 Forbidden): only managers and viewers see usage.";
  }
  return `Sign-in failed: ${error.message}`;
}
