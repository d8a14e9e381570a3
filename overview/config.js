// Where the page finds the aicredits API. Empty: the page's own origin (the local stack serves both).
// When deploying the page apart from the API, set the API's URL (the stack's ApiUrl output), e.g.
//   apiBaseUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com"
// and allow the page's origin in the API's CORS (template parameter OverviewOrigin).
window.AICREDITS_OVERVIEW = {
  apiBaseUrl: ""
};
