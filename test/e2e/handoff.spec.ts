/**
 * The whole path, as people use it: an agent hits a login wall, a phone (390×844, touch) opens the
 * link, approves and signs in through the live view by tapping and typing, and the agent resumes
 * signed in. Then the other endings: deny, expiry, a second device.
 */
import { readFileSync } from "node:fs";
import { BatonClient, HandoffDenied, HandoffExpired, type HandoffLink } from "../../worker";
import { PhoneBot, locateOnPage } from "../../worker/demo/phone-bot";
import { E2E_DB, E2E_LOG, E2E_URL } from "./e2e-env";
import { createAgent, expect, test } from "./fixtures";

function linkPromise() {
  let resolve!: (link: HandoffLink) => void;
  const promise = new Promise<HandoffLink>((r) => (resolve = r));
  return { promise, onLink: (link: HandoffLink) => resolve(link) };
}

test("an agent borrows the session a phone signs in to, and never sees the password", async ({ site, agentBrowser, phoneBrowser }) => {
  const password = `canary-pw-${Date.now().toString(36)}-Zq9`;
  const bank = await (await import("../fixtures/demo-site/demo-site")).startDemoSite({ password });
  try {
    const { apiKey } = await createAgent([bank.origin]);
    const agentPage = await (await agentBrowser.newContext()).newPage();
    await agentPage.goto(`${bank.url}/account`);
    expect(new URL(agentPage.url()).pathname).toBe("/login");

    const link = linkPromise();
    const workerOutput: string[] = [];
    const baton = new BatonClient({ serverUrl: E2E_URL, apiKey });
    const handoff = baton.handoff(agentPage, {
      reason: "Download your March statements",
      success: { url: /\/account/ },
      onLink: link.onLink,
      onStateChange: (s) => workerOutput.push(`state ${s}`),
    });

    const { url, code } = await link.promise;
    expect(url).toMatch(new RegExp(`^${E2E_URL}/h/[A-Za-z0-9_-]{43}#k=[A-Za-z0-9_-]{43}$`));
    const phone = await PhoneBot.open(phoneBrowser, url);
    await expect(phone.page.getByText(code)).toBeVisible();
    await expect(phone.page.getByText("Download your March statements")).toBeVisible();
    await expect.poll(() => phone.page.url()).not.toContain("#k="); // the key left the address bar

    await phone.continueAndApprove();
    const size = await phone.remoteSize();
    expect(size.width).toBeGreaterThan(300);
    await phone.page.screenshot({ path: "test-results/e2e/phone-live.png" });

    const boxes = await locateOnPage(phoneBrowser, `${bank.url}/login`, size, ["#username", "#password"]);
    await phone.tapRemote(boxes["#username"].x, boxes["#username"].y);
    await phone.type(bank.username);
    await phone.tapRemote(boxes["#password"].x, boxes["#password"].y);
    await phone.type(password);
    await phone.press("Enter");
    await phone.page.waitForTimeout(1500);
    await phone.type(bank.currentCode());
    await phone.press("Enter");

    const result = await handoff;
    expect(result.status).toBe("completed");
    expect(result.cookies).toEqual([{ name: "demo_session", domain: "127.0.0.1" }]);
    await phone.waitForState("completed");

    await agentPage.goto(`${bank.url}/account`);
    await expect(agentPage.locator("#protected-data")).toHaveText("Balance: 1,234.56 EUR");

    // The password and the session cookie's value appear in no sink.
    const sessionValue = (await agentPage.context().cookies()).find((c) => c.name === "demo_session")!.value;
    const sinks = {
      database: readFileSync(E2E_DB),
      wal: (() => {
        try {
          return readFileSync(`${E2E_DB}-wal`);
        } catch {
          return Buffer.alloc(0);
        }
      })(),
      serverLog: readFileSync(E2E_LOG),
      workerOutput: Buffer.from(workerOutput.join("\n")),
    };
    for (const [sink, bytes] of Object.entries(sinks)) {
      expect(bytes.includes(password), `password in ${sink}`).toBe(false);
      expect(bytes.includes(sessionValue), `cookie value in ${sink}`).toBe(false);
    }
    await phone.close();
  } finally {
    await bank.close();
  }
});

test("a phone that denies ends the handoff with HandoffDenied", async ({ site, agentBrowser, phoneBrowser }) => {
  const { apiKey } = await createAgent([site.origin]);
  const agentPage = await (await agentBrowser.newContext()).newPage();
  await agentPage.goto(`${site.url}/account`);
  const link = linkPromise();
  const handoff = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, { reason: "Check your balance", onLink: link.onLink });
  const denied = expect(handoff).rejects.toBeInstanceOf(HandoffDenied);
  const phone = await PhoneBot.open(phoneBrowser, (await link.promise).url);
  await phone.page.getByRole("button", { name: "Continue" }).click();
  await phone.page.getByRole("button", { name: "Deny" }).click();
  await phone.waitForState("denied");
  await denied;
  await phone.close();
});

test("an unclaimed link expires: the agent gets HandoffExpired and the link stops working", async ({ site, agentBrowser, phoneBrowser }) => {
  const { apiKey } = await createAgent([site.origin]);
  const agentPage = await (await agentBrowser.newContext()).newPage();
  await agentPage.goto(`${site.url}/login`);
  const link = linkPromise();
  const handoff = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, { reason: "Quick check", ttlSeconds: 10, onLink: link.onLink });
  const { url } = await link.promise;
  await expect(handoff).rejects.toBeInstanceOf(HandoffExpired);
  const phone = await PhoneBot.open(phoneBrowser, url);
  await expect(phone.page.getByText(/can.t be used/i)).toBeVisible();
  await expect(phone.page.getByRole("button", { name: "Continue" })).toHaveCount(0);
  await phone.close();
});

test("a second device is refused, and the agent is told", async ({ site, agentBrowser, phoneBrowser }) => {
  const { apiKey } = await createAgent([site.origin]);
  const agentPage = await (await agentBrowser.newContext()).newPage();
  await agentPage.goto(`${site.url}/login`);
  const link = linkPromise();
  const reuse: number[] = [];
  const controller = new AbortController();
  const handoff = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, {
    reason: "Quick check",
    onLink: link.onLink,
    onReuseDetected: ({ attempts }) => reuse.push(attempts),
    signal: controller.signal,
  });
  handoff.catch(() => undefined);
  const { url } = await link.promise;
  const first = await PhoneBot.open(phoneBrowser, url);
  await first.page.getByRole("button", { name: "Continue" }).click();
  await expect(first.page.getByRole("button", { name: "Approve" })).toBeVisible();

  const second = await PhoneBot.open(phoneBrowser, url);
  await second.page.getByRole("button", { name: "Continue" }).click();
  await expect(second.page.getByText(/already in use on another device/i)).toBeVisible();
  await second.page.screenshot({ path: "test-results/e2e/phone-in-use.png" });
  await expect.poll(() => reuse.length).toBeGreaterThan(0);
  controller.abort();
  await first.close();
  await second.close();
});
