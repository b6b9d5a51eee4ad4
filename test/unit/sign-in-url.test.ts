import { describe, expect, it } from "vitest";
import { isFederatedSignInUrl } from "../../lib/policy/sign-in-url";

describe("isFederatedSignInUrl", () => {
  it("recognises OAuth, OpenID Connect, SAML and WS-Federation steps", () => {
    for (const url of [
      "https://idp.example/authorize?client_id=bank&redirect_uri=https%3A%2F%2Fbank.example%2Fcb&response_type=code",
      "https://accounts.idp.example/o/oauth2/v2/auth?client_id=1&response_type=code",
      "https://login.idp.example/common/oauth2/v2.0/authorize?x=1",
      "https://idp.example/login?client_id=abc&redirect_uri=https://bank.example/",
      "https://idp.example/idp/profile/SAML2/Redirect/SSO?SAMLRequest=fVJNb",
      "https://sts.idp.example/adfs/ls/?wa=wsignin1.0&wtrealm=urn:bank",
      "https://idp.example/saml/acs",
      "https://idp.example/sso/start",
    ]) {
      expect(isFederatedSignInUrl(url), url).toBe(true);
    }
  });

  it("does not take ordinary pages, help links or trackers for a sign-in", () => {
    for (const url of [
      "https://help.example/forgot-password",
      "https://evil.example/",
      "https://tracker.example/pixel?client_id=42",
      "https://news.example/articles/ssonic-boom",
      "https://ads.example/authorized-resellers",
      "javascript:alert(1)",
      "not a url",
    ]) {
      expect(isFederatedSignInUrl(url), url).toBe(false);
    }
  });
});
