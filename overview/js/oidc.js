// Sign-in with the organization's OpenID Connect issuer (config.js): Authorization Code with PKCE (S256) and state,
// by oauth4webapi (overview/vendor/, pinned by local/overview-vendor/package-lock.json). The page is a public client:
// it exchanges the code itself, keeps the tokens in this tab's sessionStorage (never localStorage, never the URL) and
// renews them with the refresh token before they expire.

import * as oauth from "../vendor/oauth4webapi.js";

const config = window.AICREDITS_OVERVIEW || {};
const PENDING_KEY = "aicredits.overview.signin";
const SESSION_KEY = "aicredits.overview.session";
/** Renew this long before expiry at most (a quarter of a short lifetime). */
const RENEW_LEAD_MS = 60_000;

const client = { client_id: String(config.clientId || "") };
let server = null;

export const oidcConfigured = () => Boolean(config.issuer && config.clientId);

function requestOptions(url) {
  // Plain http only for a loopback issuer: the local stack's.
  const host = new URL(url).hostname;
  return { [oauth.allowInsecureRequests]: host === "127.0.0.1" || host === "localhost" };
}

async function authorizationServer() {
  if (server) return server;
  const issuer = new URL(config.issuer);
  let response;
  try {
    response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...requestOptions(issuer) });
  } catch (e) {
    throw new Error(`Cannot reach the sign-in service at ${issuer} (${e.message}).`);
  }
  server = await oauth.processDiscoveryResponse(issuer, response);
  return server;
}

const redirectUri = () => location.origin + location.pathname;

/** Sends the browser to the issuer's sign-in; it comes back to this page with a code. */
export async function beginSignIn() {
  const as = await authorizationServer();
  const verifier = oauth.generateRandomCodeVerifier();
  const pending = { verifier, state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), returnTo: location.search };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code", client_id: client.client_id, redirect_uri: redirectUri(), scope: config.scope || "openid",
    state: pending.state, nonce: pending.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
  });
  location.assign(url.href);
}

function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || "null");
  } catch (e) {
    return null;
  }
}

/**
 * If the address carries the issuer's answer (code or error), takes it off the address and exchanges the code; returns
 * the bearer token (not yet kept), or null when there was nothing to complete. Throws an Error saying why sign-in failed.
 */
export async function completeSignIn() {
  const answer = new URLSearchParams(location.search);
  if (!answer.has("code") && !answer.has("error")) return null;
  const pending = readJson(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const callback = new URL(location.href);
  // The code and state leave the address (and the history) at once, used or not.
  history.replaceState(null, "", location.pathname + (pending && pending.returnTo ? pending.returnTo : ""));
  if (!pending) throw new Error("This sign-in was not started from this tab (or it was used already): sign in again.");
  const as = await authorizationServer();
  let parameters;
  try {
    parameters = oauth.validateAuthResponse(as, client, callback, pending.state);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError) {
      throw new Error(`The sign-in service refused: ${e.error_description || e.error}.`);
    }
    throw new Error("The sign-in answer does not match the request this tab sent (its state differs): sign in again.");
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), parameters, redirectUri(),
      pending.verifier, requestOptions(as.token_endpoint));
    return keepSession(await oauth.processAuthorizationCodeResponse(as, client, response,
      { expectedNonce: pending.nonce, requireIdToken: true }));
  } catch (e) {
    throw new Error(`The sign-in service did not hand out a token: ${describeError(e)}. Sign in again.`);
  }
}

/** The issuer's own words for a refusal (its error_description), else the error's message. */
export function describeError(error) {
  if (error instanceof oauth.ResponseBodyError) return error.error_description || error.error;
  return error.message;
}

/** Keeps the refresh and ID tokens and the expiry; returns the bearer (api.js keeps that one). */
function keepSession(tokens) {
  const bearer = config.bearer === "id_token" ? tokens.id_token : tokens.access_token;
  const previous = readJson(SESSION_KEY) || {};
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({
    refreshToken: tokens.refresh_token || previous.refreshToken || null,
    idToken: tokens.id_token || previous.idToken || null,
    expiresAt: Date.now() + 1000 * (tokens.expires_in || 3600),
    lifetimeMs: 1000 * (tokens.expires_in || 3600),
  }));
  return bearer;
}

export const signedInWithIssuer = () => readJson(SESSION_KEY) !== null;

/** Swaps the refresh token for new tokens; returns the new bearer, or null when there is no session to renew. */
export async function renew() {
  const session = readJson(SESSION_KEY);
  if (!session || !session.refreshToken) return null;
  const as = await authorizationServer();
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), session.refreshToken,
    requestOptions(as.token_endpoint));
  return keepSession(await oauth.processRefreshTokenResponse(as, client, response));
}

let renewal = null;

/** Renews a while before the token expires, and again after each renewal; {@code onToken} gets each new bearer. */
export function scheduleRenewal(onToken, onFailure) {
  clearTimeout(renewal);
  const session = readJson(SESSION_KEY);
  if (!session || !session.refreshToken) return;
  const lead = Math.min(RENEW_LEAD_MS, session.lifetimeMs / 4);
  renewal = setTimeout(async () => {
    try {
      const token = await renew();
      if (!token) return;
      onToken(token);
      scheduleRenewal(onToken, onFailure);
    } catch (e) {
      onFailure(e);
    }
  }, Math.max(0, session.expiresAt - lead - Date.now()));
}

/** Forgets the issuer's tokens and any sign-in under way. */
export function forgetSession() {
  clearTimeout(renewal);
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(PENDING_KEY);
}

/** Where the issuer ends its own session (then back to this page), or null when it names no end-session endpoint. */
export async function endSessionUrl(idToken) {
  if (config.logoutUrl) return config.logoutUrl;
  const as = await authorizationServer();
  if (!as.end_session_endpoint) return null;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set("client_id", client.client_id);
  url.searchParams.set("post_logout_redirect_uri", redirectUri());
  if (idToken) url.searchParams.set("id_token_hint", idToken);
  return url.href;
}

export const sessionIdToken = () => (readJson(SESSION_KEY) || {}).idToken || null;
