// Signing in with the issuer (oidc.js) as the page lives it: finishing a sign-in the issuer sent back, checking the
// token with the API before keeping it, renewing it out of sight, and signing out of the issuer too.

import { forgetToken, keepToken, whenUnauthorized } from "./api.js";
import { showSignIn, signOut } from "./navigation.js";
import {
  beginSignIn, completeSignIn, describeError, endSessionUrl, forgetSession, oidcConfigured, renew, scheduleRenewal,
  sessionIdToken, signedInWithIssuer,
} from "./oidc.js";
import { signIn } from "./session.js";

export { oidcConfigured };

function keepRenewing() {
  scheduleRenewal(keepToken, (e) => signOut(`Your sign-in has expired and could not be renewed (${describeError(e)}). `
    + "Sign in again."));
}

/** A fresh token now (the API said 401), or null. */
async function renewNow() {
  try {
    const token = await renew();
    if (token) {
      keepToken(token);
      keepRenewing();
    }
    return token;
  } catch (e) {
    return null;
  }
}

function refusal(error) {
  if (error.status === 403) {
    return "You are signed in, but not as an organization manager or viewer: only organization managers and viewers see usage. "
      + "Sign in as a manager or viewer of your organization.";
  }
  return error.message;
}

/** On load: completes a sign-in coming back from the issuer, and keeps a kept one renewed. False: sign-in is shown. */
export async function resumeSignIn() {
  whenUnauthorized(renewNow);
  let token;
  try {
    token = await completeSignIn();
  } catch (e) {
    forgetSession();
    showSignIn(e.message);
    return false;
  }
  if (token) {
    try {
      await signIn(token);
    } catch (e) {
      forgetSession();
      forgetToken();
      showSignIn(refusal(e));
      return false;
    }
  }
  if (signedInWithIssuer()) keepRenewing();
  return true;
}

export async function startSignIn() {
  try {
    await beginSignIn();
  } catch (e) {
    showSignIn(`Cannot start the sign-in: ${e.message}`);
  }
}

/** Forgets everything here, then ends the issuer's session where it has an end-session endpoint. */
export async function signOutEverywhere() {
  const fromIssuer = signedInWithIssuer();
  const idToken = sessionIdToken();
  signOut("");
  if (!fromIssuer) return;
  const url = await endSessionUrl(idToken).catch(() => null);
  if (url) location.assign(url);
}
