// Where the page finds the aicredits API. Empty: the page's own origin (the local stack serves both).
// When deploying the page apart from the API, set the API's URL (the stack's ApiUrl output), e.g.
//   apiBaseUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com"
// and allow the page's origin in the API's CORS (template parameter OverviewOrigin).
//
// issuer and clientId: the OpenID Connect issuer managers sign in with (the template's JwtIssuer, or its Cognito user
// pool: the stack's outputs name both) and the page's client id there. The local stack plays the issuer at
// <its origin>/_local. bearer: which of the issuer's tokens the API takes ("access_token"; "id_token" for the
// template's Cognito pool, whose ID token carries org_id and roles). logoutUrl: where sign-out ends the issuer's
// session when its discovery names no end_session_endpoint (Cognito: the stack's OverviewLogoutUrl output).
window.AICREDITS_OVERVIEW = {
  apiBaseUrl: "",
  issuer: window.location.origin + "/_local",
  clientId: "aicredits-overview",
  scope: "openid profile",
  bearer: "access_token",
  logoutUrl: ""
};
