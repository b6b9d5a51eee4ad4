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

test("an agent borrows the session a phone signs in to, and no secret reaches any sink", async ({ agentBrowser, phoneBrowser }) => {
  const password = `canary-pw-${Date.now().toString(36)}-Zq9`;
  const bank = await (await import("../fixtures/demo-site/demo-site")).startDemoSite({ password });
  // Everything the SDK process prints while it works is one of the sinks.
  const processOutput: Buffer[] = [];
  const restoreOutput = captureProcessOutput(processOutput);
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
    const linkToken = new URL(url).pathname.split("/").pop()!;
    const sealKey = new URL(url).hash.slice("#k=".length);
    // Every byte the relay forwarded to or from the phone, as the phone's WebSocket saw it.
    const relayed: Buffer[] = [];
    const phone = await PhoneBot.open(phoneBrowser, url, {
      beforeOpen: (page) =>
        page.on("websocket", (ws) => {
          ws.on("framesent", (f) => relayed.push(Buffer.from(f.payload)));
          ws.on("framereceived", (f) => relayed.push(Buffer.from(f.payload)));
        }),
    });
    await expect(phone.page.getByText(code)).toBeVisible();
    await expect(phone.page.getByText("Download your March statements")).toBeVisible();
    await expect.poll(() => phone.page.url()).not.toContain("#k="); // the key left the address bar

    await phone.continueAndApprove();
    const size = await phone.remoteSize();
    expect(size.width).toBeGreaterThan(300);
    await phone.page.screenshot({ path: "test-results/e2e/phone-live.png" });

    const boxes = await locateOnPage(phoneBrowser, `${bank.url}/login`, size, ["#username", "#password"]);
    await phone.tapField(boxes["#username"].x, boxes["#username"].y);
    await phone.type(bank.username);
    await phone.tapField(boxes["#password"].x, boxes["#password"].y);
    await phone.type(password);
    await phone.press("Enter");
    await phone.page.waitForTimeout(1500);
    const otp = bank.currentCode();
    await phone.type(otp);
    await phone.press("Enter");

    const result = await handoff;
    expect(result.status).toBe("completed");
    expect(result.cookies).toEqual([{ name: "demo_session", domain: "127.0.0.1" }]);
    await phone.waitForState("completed");
    await expect(phone.page.getByRole("heading", { name: "You're done" })).toBeVisible();
    await phone.page.screenshot({ path: "test-results/e2e/screens/iphone-390x844-light-7-completed.png" });
    expect(relayed.length).toBeGreaterThan(10);

    await agentPage.goto(`${bank.url}/account`);
    await expect(agentPage.locator("#protected-data")).toHaveText("Balance: 1,234.56 EUR");
    restoreOutput();

    const sessionValue = (await agentPage.context().cookies()).find((c) => c.name === "demo_session")!.value;
    const canaries = { password, otp, "cookie value": sessionValue, "link token": linkToken, "seal key": sealKey, "API key": apiKey };
    const sinks: Record<string, Buffer> = {
      database: readFileSync(E2E_DB),
      "database WAL": readOptional(`${E2E_DB}-wal`),
      "server log": readFileSync(E2E_LOG),
      "worker output": Buffer.concat([Buffer.from(workerOutput.join("\n")), ...processOutput]),
      "relayed bytes": Buffer.concat(relayed),
    };
    for (const [sink, bytes] of Object.entries(sinks)) {
      for (const [name, canary] of Object.entries(canaries)) {
        // The link token travels to the server in the page's own requests, never over the relay; it is
        // still checked everywhere. The six-digit OTP is checked as a token of its own, since a hash or a
        // timestamp in the database can contain any six digits in a row.
        const found = name === "otp" ? new RegExp(`(?<![0-9a-f])${canary}(?![0-9a-f])`).test(bytes.toString("latin1")) : bytes.includes(canary);
        expect(found, `${name} found in ${sink}`).toBe(false);
      }
    }
    await phone.close();
  } finally {
    restoreOutput();
    await bank.close();
  }
});

function readOptional(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

/** Records what this process writes to stdout and stderr (and still writes it). */
function captureProcessOutput(into: Buffer[]): () => void {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (write: typeof out) =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(Buffer.from(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(out);
  process.stderr.write = tap(err);
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}

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
