/**
 * The sign-in shapes people meet, end to end with the SDK, a real server and a real Chromium: single
 * sign-on by redirect and by popup (the identity provider is visited, its session never handed
 * over), an identity provider outside the scope (a typed error within seconds), and sessions that
 * live only in storage (handed over with includeStorage, else a typed error — never a bare success).
 */
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { HandoffFailed } from "../../worker";
import { startSsoSites, type SsoSites } from "../fixtures/sso/sso-sites";
import { notices, startSignIn } from "../helpers/sign-in-harness";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let sites: SsoSites;
let browser: Browser;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  sites = await startSsoSites();
  browser = await launchChromium();
  apiKey = (await server.services.agents.create({ name: "Bank agent", origins: [sites.bank], identityProviders: ["localhost"], maxConcurrent: 10 })).apiKey;
});
afterAll(async () => {
  await browser?.close();
  await sites?.close();
  await server?.close();
});

const sso = () => ({ loginUrl: `${sites.bank}/login`, identityProviders: ["localhost"], trustedPrivateOrigins: [sites.idp] });

async function signInAtIdp(page: Page) {
  await page.locator("#username").fill(sites.username);
  await page.locator("#password").fill(sites.password);
  await page.locator("#submit").click();
}

describe("single sign-on", () => {
  it("signs in through the identity provider by redirect, and hands over only the bank's session", async () => {
    const s = await startSignIn(server, browser, apiKey, sso());
    await s.page.locator("#sso").click();
    await s.page.waitForURL(`${sites.idp}/authorize**`);
    await signInAtIdp(s.page);
    const outcome = await s.outcome;
    if (!outcome.ok) throw outcome.error;
    // The identity provider set its session during the sign-in, inside the handoff context…
    expect(sites.issued).toContainEqual({ host: "localhost", name: "idp_session" });
    // …and only the bank's cookies reached the agent.
    const names = (await s.agentContext.cookies()).map((c) => `${c.domain}:${c.name}`).sort();
    expect(names).toEqual(["127.0.0.1:bank_csrf", "127.0.0.1:bank_session"]);
    expect(outcome.result.cookies.map((c) => c.name).sort()).toEqual(["bank_csrf", "bank_session"]);
    expect(outcome.result.detectedBy).toBe("heuristic");
    const audited = await server.services.store.findById(s.handoffId);
    expect(audited?.state).toBe("completed");
    await s.agentContext.close();
  });

  it("signs in through an identity-provider popup, and the provider's session stays behind", async () => {
    const s = await startSignIn(server, browser, apiKey, sso());
    const popupOpened = s.handoffContext.waitForEvent("page");
    await s.page.locator("#sso-popup").click();
    const popup = await popupOpened;
    await popup.waitForURL(`${sites.idp}/authorize**`);
    await signInAtIdp(popup);
    const outcome = await s.outcome;
    if (!outcome.ok) throw outcome.error;
    const cookies = await s.agentContext.cookies();
    expect(cookies.map((c) => c.name).sort()).toEqual(["bank_csrf", "bank_session"]);
    expect(cookies.some((c) => c.domain === "localhost")).toBe(false);
    await s.agentContext.close();
  });

  it("fails within seconds, with a typed error naming the site, when the sign-in needs a provider outside the scope", async () => {
    const s = await startSignIn(server, browser, apiKey, sso());
    const clickedAt = Date.now();
    await s.page.locator("#sso-other").click();
    const outcome = await s.outcome;
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: Error }).error;
    expect(error).toBeInstanceOf(HandoffFailed);
    expect((error as HandoffFailed).reason).toBe("identity_provider_not_in_scope");
    expect((error as HandoffFailed).site).toBe("127.0.0.3");
    // Seconds, not the link's ten minutes (bounded loosely: the machine may be busy).
    expect(Date.now() - clickedAt).toBeLessThan(10_000);
    // The agent hears of the failure from its own worker; the phone's copy crosses the relay, and may come a moment later.
    await s.phone.waitFor(() => notices(s.phone).length > 0, 10_000, "the phone's notice");
    expect(notices(s.phone)).toContain("identity_provider_not_in_scope:127.0.0.3");
    const row = await server.services.store.findById(s.handoffId);
    expect([row?.state, row?.endReason]).toEqual(["failed", "identity_provider_not_in_scope"]);
    // Nothing was handed over, and the other provider was never asked.
    expect(await s.agentContext.cookies()).toEqual([]);
    expect(sites.hits.some((h) => h.startsWith("127.0.0.3"))).toBe(false);
    await s.agentContext.close();
  });
});

describe("sessions kept in storage", () => {
  async function signInToSpa(includeStorage: boolean) {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/spa`, includeStorage });
    await s.page.locator("#username").fill(sites.username);
    await s.page.locator("#password").fill(sites.password);
    await s.page.locator("#submit").click();
    return { s, outcome: await s.outcome };
  }

  it("hands the storage over when the agent asked for it", async () => {
    const { s, outcome } = await signInToSpa(true);
    if (!outcome.ok) throw outcome.error;
    expect(outcome.result.storageEntries).toBe(1);
    const agentPage = await s.agentContext.newPage();
    await agentPage.goto(`${sites.bank}/spa`);
    await expect(agentPage.locator("#welcome").textContent()).resolves.toBe("Dashboard");
    await s.agentContext.close();
  });

  it("fails with a reason that says to pass includeStorage, never a bare completed", async () => {
    const { s, outcome } = await signInToSpa(false);
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: Error }).error as HandoffFailed;
    expect(error).toBeInstanceOf(HandoffFailed);
    expect(error.reason).toBe("session_in_storage");
    expect(error.message).toMatch(/includeStorage/);
    expect((await server.services.store.findById(s.handoffId))?.state).toBe("failed");
    await s.agentContext.close();
  });
});
