import { describe, expect, it } from "vitest";
import { fromBase64Url } from "../../lib/crypto/base64url";
import { handoffLink, startHandoff } from "../../worker/session/start-handoff";
import { createdHandoff, FakeApi } from "../helpers/fake-api";

const onLink = () => undefined;

describe("starting a handoff", () => {
  it("asks for the agent page's URL as the login page unless the options name one", async () => {
    const api = new FakeApi();
    const started = await startHandoff(api, { reason: "Statements", onLink }, "https://bank.example/login");
    await startHandoff(api, { reason: "Statements", onLink, loginUrl: "https://bank.example/sso" }, "https://bank.example/login");
    expect(api.created.map((r) => r.loginUrl)).toEqual(["https://bank.example/login", "https://bank.example/sso"]);
    expect(started.loginUrl).toBe("https://bank.example/login");
  });

  it("names the success rule's kind and never the rule itself", async () => {
    const api = new FakeApi();
    await startHandoff(api, { reason: "r", onLink, success: { url: /\/account\?secret=1/ } }, "https://bank.example/login");
    expect(api.created[0]).toMatchObject({ successKind: "url", includeStorage: false });
    expect(JSON.stringify(api.created[0])).not.toContain("secret");
  });

  it("lets the page visit identity providers without handing them over", async () => {
    const api = new FakeApi();
    const { scope } = await startHandoff(
      api,
      { reason: "r", onLink, identityProviders: ["idp.example", "idp.example"], alsoHandOver: ["bank-cdn.example"], includeStorage: true },
      "https://bank.example/login",
    );
    expect(api.created[0]).toMatchObject({ identityProviders: ["idp.example"], handOverSites: ["bank-cdn.example"], includeStorage: true });
    expect(scope.visit).toEqual(["bank.example", "idp.example", "bank-cdn.example"]);
    expect(scope.handOver).toMatchObject({ targetSite: "bank.example", handOverSites: ["bank-cdn.example"], includeStorage: true });
  });
});

describe("the handoff link", () => {
  it("carries the raw seal key in the fragment only, and the code in two halves", () => {
    const rawKey = new Uint8Array(32).map((_, i) => i);
    const link = handoffLink(createdHandoff, "https://baton.example/base/", rawKey);
    const url = new URL(link.url);
    expect(url.origin + url.pathname).toBe("https://baton.example/h/tok");
    expect(url.search).toBe("");
    expect(fromBase64Url(url.hash.replace(/^#k=/, ""))).toEqual(rawKey);
    expect(link).toMatchObject({ code: "BCDF-GHJK", handoffId: "hnd_1", expiresAt: new Date("2026-12-01T12:00:00.000Z") });
  });
});
