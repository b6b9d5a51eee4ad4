/**
 * A login page that tries to go where it may not — by script, link, form POST, meta refresh,
 * window.open, a redirect hop over http and over https, a top-level blob: document, a javascript:
 * link — keeps the person on the login form, typed text intact; the phone gets a plain notice and
 * the agent a callback (origin only). And a sign-in is only a success when it created something:
 * both sides of that line.
 */
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { SignInRecognizer } from "../../worker/session/sign-in-recognizer";
import type { Timers } from "../../worker/session/timers";
import { startSsoSites, type SsoSites } from "../fixtures/sso/sso-sites";
import { notices, type SignIn, startSignIn, tap } from "../helpers/sign-in-harness";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let sites: SsoSites;
let browser: Browser;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  sites = await startSsoSites();
  browser = await launchChromium();
  apiKey = (await server.services.agents.create({ name: "Bank agent", origins: [sites.bank], maxConcurrent: 10 })).apiKey;
});
afterAll(async () => {
  await browser?.close();
  await sites?.close();
  await server?.close();
});

const EVIL = "127.0.0.2";

/** Marks the document on view, so that the one a restore loads can be told from it. */
async function markDocument(s: SignIn) {
  await s.page.evaluate(() => ((window as unknown as { __beforeRefusal?: boolean }).__beforeRefusal = true));
}

/**
 * After a refusal, the login form with what was typed: on the same document when the page was
 * kept where it was, or on the one the keeper's step back loaded. Brought back by a step in
 * history, the page is loaded again (Playwright starts Chromium without its back/forward cache), and
 * its form gets what was typed once it has been parsed, which on a loaded machine comes after the
 * input itself is there. The old document keeps its text until it is replaced, so the read waits
 * for the new one rather than for the address, which is the login page's before the page leaves.
 */
async function expectFormKept(s: SignIn, typed: string, how: "kept" | "brought back") {
  const onView = () =>
    s.page
      .evaluate(() => `${location.href} ${(window as unknown as { __beforeRefusal?: boolean }).__beforeRefusal ? "before" : "after"} the refusal`)
      .catch(() => "navigating");
  await expect.poll(onView, { timeout: 5_000 }).toBe(`${sites.bank}/login ${how === "kept" ? "before" : "after"} the refusal`);
  await s.page.waitForLoadState("domcontentloaded");
  await expect(s.page.locator("#username").inputValue()).resolves.toBe(typed);
}

describe("a page that wanders off", () => {
  it("stays on the login form whichever way it tries, tells the phone and the agent, and still signs in", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login` });
    await s.page.locator("#username").fill(sites.username);
    const ways = ["#wander-script", "#wander-link", "#wander-form-submit", "#wander-meta", "#wander-open", "#wander-hop", "#wander-hop-https"];
    for (const [i, way] of ways.entries()) {
      await markDocument(s);
      await s.page.locator(way).click();
      // Each refusal reaches the phone as a notice for the trusted chrome…
      await s.phone.waitFor(() => notices(s.phone).filter((n) => n === `navigation_blocked:${EVIL}`).length > i, 10_000, `the notice for ${way}`);
      // …and the login form is still there, with what was typed.
      // A refused https hop fails to connect and lands on Chromium's error page, which is stepped back from.
      await expectFormKept(s, sites.username, way === "#wander-hop-https" ? "brought back" : "kept");
      expect(s.handoffContext.pages(), way).toHaveLength(1);
    }
    expect(s.blocked.filter((b) => b.isNavigation).map((b) => b.origin)).toContain(`http://${EVIL}:${sites.port}`);
    expect(s.blocked.every((b) => !/\/(forgot|collect|script|meta|popup|hop-landed)/.test(b.origin))).toBe(true);
    expect(sites.hits.some((h) => h.startsWith(EVIL))).toBe(false);
    // No refusal counted as a sign-in: the handoff is still live, and completes on the real one.
    expect((await server.services.store.findById(s.handoffId))?.state).toBe("live");
    await s.page.locator("#password").fill(sites.password);
    await s.page.locator("#submit").click();
    const outcome = await s.outcome;
    if (!outcome.ok) throw outcome.error;
    expect(outcome.result.cookies.map((c) => c.name).sort()).toEqual(["bank_csrf", "bank_session"]);
    await s.agentContext.close();
  });

  it("takes a top-level blob: document back, and runs no javascript: URL a tap reaches, however it is spelled", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login` });
    await s.page.locator("#username").fill("still here");
    await markDocument(s);
    await s.page.locator("#wander-blob").click();
    await s.phone.waitFor(() => notices(s.phone).includes("navigation_blocked:blob:"), 10_000, "the blob notice");
    await expectFormKept(s, "still here", "brought back");
    await expect(s.page.locator("#phish").count()).resolves.toBe(0);
    // In place (location.replace), the login page's own history entry is gone: one step back would be
    // about:blank. The page is loaded again at its address, without what was typed.
    for (const [i, way] of ["#wander-blob-replace", "#wander-hop-https-replace"].entries()) {
      await s.page.locator(way).click();
      const notice = i === 0 ? "navigation_blocked:blob:" : `navigation_blocked:${EVIL}`;
      await s.phone.waitFor(() => notices(s.phone).filter((n) => n === notice).length >= (i === 0 ? 2 : 1), 10_000, `the notice for ${way}`);
      await expect.poll(() => s.page.url(), { message: way }).toBe(`${sites.bank}/login`);
      await s.page.locator("#username").waitFor();
      await expect(s.page.locator("#phish").count(), way).resolves.toBe(0);
    }
    for (const way of ["#wander-js", "#wander-js-tab", "#wander-js-case", "#wander-js-action", "#wander-js-formaction", "#wander-js-svg", "#wander-js-open"]) {
      await s.page.locator(way).click();
      // Two frames later a javascript: navigation the tap started would have run.
      await s.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await expect(s.page.title(), way).resolves.toBe("Bank sign-in");
      expect(s.handoffContext.pages(), way).toHaveLength(1);
    }
    await s.phone.decide("cancel");
    await expect(s.outcome).resolves.toMatchObject({ ok: false });
    await s.agentContext.close();
  });
});

describe("a sign-in page that leaves each time it is brought back", () => {
  async function expectStoppedAsLoop(s: SignIn, site: string) {
    const outcome = await s.outcome;
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({ name: "HandoffFailed", reason: "navigation_loop", site });
    const row = await server.services.store.findById(s.handoffId);
    expect(row).toMatchObject({ state: "failed", endReason: "navigation_loop" });
    await s.phone.waitFor(() => s.phone.states.includes("failed"), 5000, "the phone told the handoff failed");
  }

  it("replacing itself with a blob: document: brought back three times, then blank, and the handoff ends as a loop", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login-replaced` });
    await s.page.locator("#leave-each-time").click();
    await expectStoppedAsLoop(s, "blob:");
    // Past the restores' limit (3 in 10 s) it was not loaded again: the blob: document never stays on view.
    await expect.poll(() => s.page.url()).toBe("about:blank");
    expect(notices(s.phone).filter((n) => n === "navigation_blocked:blob:")).toHaveLength(4);
    await s.agentContext.close();
  });

  it("set off by the person's own tap, still a loop: the page that leaves on load within the tap's activation is not taken for the person", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login-hops-away` });
    await tap(s, "#leave-each-time");
    await expectStoppedAsLoop(s, EVIL);
    // The tap's refusal was the person's; the three after it the page's own, then it was given up on.
    expect(notices(s.phone).filter((n) => n === `navigation_blocked:${EVIL}`)).toHaveLength(5);
    await s.agentContext.close();
  });

  it("redirected to a refused https site on every load: brought back three times, then the handoff ends as a loop naming the site", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login-hops-away` });
    await s.page.locator("#leave-each-time").click();
    await expectStoppedAsLoop(s, EVIL);
    expect(notices(s.phone).filter((n) => n === `navigation_blocked:${EVIL}`)).toHaveLength(4);
    expect(sites.hits.some((h) => h.startsWith(EVIL))).toBe(false);
    await s.agentContext.close();
  });

  it("a person who taps a refused link again and again is brought back each time, up to a limit of their own", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login` });
    await s.page.locator("#username").fill(sites.username);
    const began = Date.now();
    // Past the page's own limit (3 restores in 10 s), up to the person's (8 in 30 s): each one their tap.
    for (let i = 1; i <= 8; i++) {
      await markDocument(s);
      await tap(s, "#wander-hop-https");
      await s.phone.waitFor(() => notices(s.phone).filter((n) => n === `navigation_blocked:${EVIL}`).length >= i, 10_000, `refusal ${i}`);
      await expectFormKept(s, sites.username, "brought back");
      // The page's limit was passed within its window, or this test would prove nothing.
      if (i === 4) expect(Date.now() - began).toBeLessThan(10_000);
    }
    expect((await server.services.store.findById(s.handoffId))?.state).toBe("live");
    // A ninth within 30 s: a page that leaves at every touch would never end otherwise.
    await tap(s, "#wander-hop-https");
    await expectStoppedAsLoop(s, EVIL);
    expect(Date.now() - began).toBeLessThan(30_000);
    await s.agentContext.close();
  });
});

describe("frames and reloads", () => {
  it("refuses a hidden third-party sign-in iframe quietly: no notice, no failure, and the password sign-in completes", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login-silent` });
    await s.phone.waitFor(() => s.blocked.some((b) => b.origin === `http://127.0.0.3:${sites.port}`), 10_000, "the iframe's refusal");
    expect(s.blocked.filter((b) => b.origin.includes("127.0.0.3")).every((b) => !b.isNavigation)).toBe(true);
    await s.page.locator("#username").fill(sites.username);
    await s.page.locator("#password").fill(sites.password);
    await s.page.locator("#submit").click();
    const outcome = await s.outcome;
    if (!outcome.ok) throw outcome.error;
    expect(notices(s.phone)).toEqual([]);
    await s.agentContext.close();
  });

  it("counts a sign-in by fetch followed by a reload of the login URL: the new cookie is not taken into the baseline", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/xhr-login` });
    await s.page.locator("#username").fill(sites.username);
    await s.page.locator("#password").fill(sites.password);
    await s.page.locator("#submit").click();
    await s.page.locator("#welcome").waitFor();
    // Same URL as the login page, so only the person can say it: and it is a success.
    await s.phone.send({ t: "signed_in" });
    const outcome = await s.outcome;
    if (!outcome.ok) throw outcome.error;
    expect(outcome.result.cookies.map((c) => c.name)).toContain("bank_session");
    expect(outcome.result.detectedBy).toBe("user");
    await s.agentContext.close();
  });
});

describe("no empty success", () => {
  it("asks the person to keep going when they say they are signed in but nothing was created", async () => {
    const s = await startSignIn(server, browser, apiKey, { loginUrl: `${sites.bank}/login` });
    // Untouched login page: "I'm signed in" is answered, and the handoff goes on.
    await s.phone.send({ t: "signed_in" });
    await s.phone.waitFor(() => notices(s.phone).includes("not_signed_in_yet:"), 10_000, "the not-yet notice");
    // A page that looks signed in (no password field, not a login path) but set nothing: still no.
    await s.page.goto(`${sites.bank}/welcome`);
    await s.phone.send({ t: "signed_in" });
    await s.phone.waitFor(() => notices(s.phone).filter((n) => n === "not_signed_in_yet:").length === 2, 10_000, "the second not-yet notice");
    expect((await server.services.store.findById(s.handoffId))?.state).toBe("live");
    // Back on the login page, which sets a fresh CSRF cookie as it loads: that is no sign-in either.
    await s.page.goto(`${sites.bank}/login`);
    await s.phone.send({ t: "signed_in" });
    await s.phone.waitFor(() => notices(s.phone).filter((n) => n === "not_signed_in_yet:").length === 3, 10_000, "the third not-yet notice");
    // The real sign-in sets the session: now it is a success.
    await s.page.locator("#username").fill(sites.username);
    await s.page.locator("#password").fill(sites.password);
    await s.page.locator("#submit").click();
    const outcome = await s.outcome;
    if (!outcome.ok) throw outcome.error;
    expect(outcome.result.cookies.map((c) => c.name)).toContain("bank_session");
    await s.agentContext.close();
  });
});

describe("no decision while the page navigates", () => {
  const scope = () => ({
    visit: ["127.0.0.1"],
    handOver: { targetSite: "127.0.0.1", targetOrigin: sites.bank, handOverSites: [], includeStorage: false },
  });
  /** Timers whose deadlines never come: a decision that waits ends only by the page's own events. */
  const noDeadline: Timers = { now: () => 0, setTimeout: () => ({ id: null }), clearTimeout: () => undefined };

  async function recognizerOnLogin() {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sites.bank}/login`);
    const recognizer = new SignInRecognizer(context, page, `${sites.bank}/login`, scope(), undefined, noDeadline);
    await recognizer.start(() => false);
    const csrf = async () => (await context.cookies()).find((c) => c.name === "bank_csrf")?.value;
    return { context, page, recognizer, csrf };
  }

  it("the login page loading again, its fresh CSRF cookie set and its document not yet there, is no sign-in", async () => {
    const { context, page, recognizer, csrf } = await recognizerOnLogin();
    const first = await csrf();
    const held = sites.holdNext("/login");
    const loaded = page.goto(`${sites.bank}/login`);
    await held.reached;
    await expect.poll(csrf).not.toBe(first);
    // Asked now, the cookie jar has the new token and the baseline does not: the answer waits for the document.
    const decision = recognizer.created();
    held.release();
    await expect(decision).resolves.toEqual({ kind: "nothing" });
    await loaded;
    await context.close();
  });

  it("a navigation answered with no document does not hold the decision, and a real sign-in after it still counts", async () => {
    const { context, page, recognizer } = await recognizerOnLogin();
    // Asked while the 204 is held, the decision waits; the answer (no document) ends the wait, not a deadline.
    const held = sites.holdNext("/no-content");
    const requested = page.waitForEvent("request", (r) => r.url().endsWith("/no-content"));
    await page.evaluate(() => void (location.href = "/no-content"));
    await Promise.all([requested, held.reached]);
    const decision = recognizer.created();
    held.release();
    await expect(decision).resolves.toEqual({ kind: "nothing" });
    expect(page.url()).toBe(`${sites.bank}/login`);
    await page.locator("#username").fill(sites.username);
    await page.locator("#password").fill(sites.password);
    await Promise.all([page.waitForURL(`${sites.bank}/account`), page.locator("#submit").click()]);
    const created = await recognizer.created();
    expect(created.kind === "something" && created.cookies.map((c) => c.name)).toContain("bank_session");
    await context.close();
  });
});
