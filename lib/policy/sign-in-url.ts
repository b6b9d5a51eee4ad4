/**
 * Whether a URL is a step of a federated sign-in — an OAuth 2 / OpenID Connect authorization
 * request, a SAML or WS-Federation exchange — rather than an ordinary page. When such a navigation
 * goes to a site outside a handoff's scope, the target's own sign-in needs an identity provider the
 * agent did not name: waiting is pointless, and the person and the agent are told at once.
 * Pure; the URL is only inspected here, never reported (only its origin ever leaves the worker).
 */
const OAUTH_PARAMS = ["redirect_uri", "response_type"] as const;
const SAML_PARAMS = ["SAMLRequest", "SAMLResponse", "SAMLart"] as const;
const SIGN_IN_PATH = /(?:^|\/)(?:oauth2?|authorize|authorization|openid(?:-connect)?|saml2?|sso|adfs|wsfed)(?:\/|$|\.)/i;

export function isFederatedSignInUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  const q = url.searchParams;
  if (q.has("client_id") && OAUTH_PARAMS.some((p) => q.has(p))) return true;
  if (SAML_PARAMS.some((p) => q.has(p))) return true;
  if (q.get("wa") === "wsignin1.0") return true;
  return SIGN_IN_PATH.test(url.pathname);
}
