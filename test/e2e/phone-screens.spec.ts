/**
 * Every phone screen at an iPhone size (390×844, light) and an Android size (360×800, dark): it
 * fits the width, its controls are on screen and reachable, the live view fills the space between
 * the bars with the remote viewport at exactly that size (no letterboxing), and a screenshot of
 * each is kept under test-results/e2e/screens/ to look at.
 */
import type { Page } from "playwright";
import { BatonClient, HandoffCancelled, type HandoffLink } from "../../worker";
import { ANDROID, PHONE, PhoneBot, type PhoneProfile } from "../../worker/demo/phone-bot";
import { E2E_URL } from "./e2e-env";
import { createAgent, expect, test } from "./fixtures";

async function expectFits(page: Page, shot: string): Promise<void> {
  const layout = await page.evaluate(() => {
    const controls = [...document.querySelectorAll("button, [data-testid=live-view]")].map((el) => {
      const r = el.getBoundingClientRect();
      return { name: el.textContent?.trim() || el.getAttribute("aria-label") || el.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    });
    return { scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, height: window.innerHeight, controls };
  });
  expect(layout.scrollWidth, "no horizontal scrolling").toBeLessThanOrEqual(layout.width);
  for (const c of layout.controls) {
    expect(c.left, `${c.name} inside the screen`).toBeGreaterThanOrEqual(0);
    expect(c.right, `${c.name} inside the screen`).toBeLessThanOrEqual(layout.width + 0.5);
    expect(c.bottom, `${c.name} above the bottom edge`).toBeLessThanOrEqual(layout.height + 0.5);
  }
  await page.screenshot({ path: `test-results/e2e/screens/${shot}.png` });
}

const profiles: [string, PhoneProfile, "light" | "dark"][] = [
  ["iphone-390x844-light", PHONE, "light"],
  ["android-360x800-dark", ANDROID, "dark"],
];

for (const [name, profile, colorScheme] of profiles) {
  test(`phone screens fit and work at ${name}`, async ({ site, agentBrowser, phoneBrowser }) => {
    const { apiKey } = await createAgent([site.origin], "Statements assistant");
    const agentPage = await (await agentBrowser.newContext()).newPage();
    await agentPage.goto(`${site.url}/login`);
    let deliver!: (link: HandoffLink) => void;
    const linkReady = new Promise<HandoffLink>((r) => (deliver = r));
    const handoff = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, {
      reason: "Download your March statements so I can file your expense report before Friday.",
      onLink: deliver,
    });
    const cancelled = expect(handoff).rejects.toBeInstanceOf(HandoffCancelled);

    const phone = await PhoneBot.open(phoneBrowser, (await linkReady).url, { profile, colorScheme });
    await expect(phone.page.getByRole("button", { name: "Continue" })).toBeEnabled();
    await expect(phone.page.getByText(/Expires in \d+:\d\d/)).toBeVisible();
    await expect(phone.page.getByText(`Session cookies for ${new URL(site.origin).hostname} — nothing else`)).toBeVisible();
    await expectFits(phone.page, `${name}-1-consent`);

    await phone.page.getByRole("button", { name: "Continue" }).click();
    await expect(phone.page.getByRole("button", { name: "Approve" })).toBeEnabled();
    await expect(phone.page.getByRole("button", { name: "Deny" })).toBeEnabled();
    await expectFits(phone.page, `${name}-2-approve`);

    await phone.page.getByRole("button", { name: "Approve" }).click();
    await phone.waitForState("live", 30_000);
    await expect(phone.page.getByRole("status").filter({ hasText: /^Live/ })).toBeVisible();
    const box = (await phone.liveView.boundingBox())!;
    const remote = await phone.remoteSize();
    expect(remote).toEqual({ width: Math.floor(box.width), height: Math.floor(box.height) });
    await expect(phone.page.getByTestId("remote-origin")).toContainText(new URL(site.origin).host);
    await expect(phone.page.getByRole("button", { name: "I'm signed in" })).toBeEnabled();
    // Once nothing happens, the picture is redrawn at the phone's density (capped at 2×): sharp text.
    await expect.poll(() => phone.liveView.evaluate((c: HTMLCanvasElement) => c.width), { timeout: 10_000 }).toBe(remote.width * 2);
    await expectFits(phone.page, `${name}-3-live`);

    await phone.page.getByRole("button", { name: "Cancel" }).click();
    await phone.waitForState("cancelled");
    await expect(phone.page.getByRole("heading", { name: "Request cancelled" })).toBeVisible();
    await expectFits(phone.page, `${name}-4-cancelled`);
    await cancelled;

    // A declined request ends on its own screen.
    const declined = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(await (await agentBrowser.newContext()).newPage(), {
      reason: "Check your balance",
      loginUrl: `${site.url}/login`,
      onLink: (link) => void PhoneBot.open(phoneBrowser, link.url, { profile, colorScheme }).then((p) => (denier = p)),
    });
    let denier: PhoneBot | undefined;
    const deniedEnd = expect(declined).rejects.toThrow();
    await expect.poll(() => denier !== undefined).toBe(true);
    await denier!.page.getByRole("button", { name: "Continue" }).click();
    await denier!.page.getByRole("button", { name: "Deny" }).click();
    await expect(denier!.page.getByRole("heading", { name: "Request declined" })).toBeVisible();
    await expectFits(denier!.page, `${name}-6-denied`);
    await deniedEnd;
    await denier!.close();

    // A reload of an ended link on the same device still says how it ended; elsewhere it is invalid.
    await phone.page.reload();
    await expect(phone.page.getByRole("heading", { name: "Request cancelled" })).toBeVisible();
    const stranger = await PhoneBot.open(phoneBrowser, `${E2E_URL}/h/${"A".repeat(43)}`, { profile, colorScheme });
    await expect(stranger.page.getByRole("heading", { name: "This link can't be used" })).toBeVisible();
    await expectFits(stranger.page, `${name}-5-invalid`);
    await stranger.close();
    await phone.close();
  });
}

test("the link page sends strict headers, changes nothing on GET and never redirects", async ({ site }) => {
  const { apiKey } = await createAgent([site.origin]);
  const created = await fetch(`${E2E_URL}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${site.url}/login`, reason: "Header check" }),
  }).then((r) => r.json() as Promise<{ id: string; linkPath: string }>);
  for (const path of [created.linkPath, created.linkPath, `/h/${"B".repeat(43)}`, "/h/not-a-token"]) {
    const response = await fetch(`${E2E_URL}${path}`, { redirect: "manual", headers: { "user-agent": "Slackbot-LinkExpanding 1.0" } });
    expect(response.status, path).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    const csp = response.headers.get("content-security-policy") ?? "";
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "script-src 'self' 'nonce-"]) expect(csp).toContain(directive);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("set-cookie")).toBeNull();
  }
  const status = await fetch(`${E2E_URL}/api/handoffs/${created.id}`, { headers: { authorization: `Bearer ${apiKey}` } }).then(
    (r) => r.json() as Promise<{ state: string }>,
  );
  expect(status.state).toBe("pending");
});
