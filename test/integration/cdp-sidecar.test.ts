/**
 * The CDP sidecar (`npm run baton -- handoff --cdp …`) as a program in another language would run
 * it: a plain child process, JSON lines on stdout, an exit status per outcome, against a Chromium
 * the "agent" started itself with --remote-debugging-port=0. The handoff's isolated context opens in
 * that browser, and the agent's own page ends up with the site's cookie.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { type CdpChromium, startCdpChromium } from "../helpers/cdp-chromium";
import { spawnJsonLines } from "../helpers/json-lines-child";
import { NodePhone } from "../helpers/node-phone";
import { signInOnPhone } from "../helpers/phone-sign-in";
import { freePort, startTestServer, type TestServer } from "../helpers/test-server";
import { BatonClient, BatonError } from "../../worker";
import { chromiumLaunchOptions } from "../../worker/demo/chromium";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let server: TestServer;
let site: DemoSite;
let agentBrowser: CdpChromium | undefined;
let apiKey: string;
/** Where the sidecar would put Baton's database if it opened one: it must not. */
let untouchedDb: string;

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer(), startDemoSite()]);
  apiKey = (await server.createAgent([site.origin])).apiKey;
  untouchedDb = path.join(server.dir, "sidecar-must-not-open.db");
});
afterEach(async () => {
  await agentBrowser?.close();
  agentBrowser = undefined;
});
afterAll(async () => {
  await site?.close();
  await server?.close();
});

function sidecar(...args: string[]) {
  return spawnJsonLines(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "handoff", ...args], {
    cwd: ROOT,
    env: { ...process.env, BATON_API_KEY: apiKey, BATON_SERVER_URL: server.url, DATABASE_URL: `file:${untouchedDb}` },
  });
}

describe("the CDP sidecar", () => {
  it("signs the agent's own browser in, reporting JSON lines with cookie names only, and exits 0", async () => {
    agentBrowser = await startCdpChromium(`${site.url}/account`);
    const run = sidecar("--cdp", agentBrowser.endpoint, "--page", "/login", "--reason", "Read the balance", "--success-url", "/account", "--json");
    const link = await run.next((l) => l.event === "link");
    expect(link).toMatchObject({ code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/), handoffId: expect.any(String) });
    const phone = await signInOnPhone(server.url, String(link.url), site);
    expect(await run.exited).toBe(0);
    phone.close();
    const result = run.lines.find((l) => l.event === "result");
    expect(result).toEqual({
      event: "result",
      status: "completed",
      handoffId: link.handoffId,
      detectedBy: "rule",
      cookies: [{ name: "demo_session", domain: "127.0.0.1" }],
    });
    expect(run.lines.filter((l) => l.event === "state").map((l) => l.state)).toEqual(expect.arrayContaining(["opened", "approved", "live", "completed"]));
    expect(run.lines.every((l) => typeof l.event === "string")).toBe(true);

    // The agent's browser, seen from a fresh connection: its page now reads the protected data.
    const browser = await chromium.connectOverCDP(agentBrowser.endpoint);
    const context = browser.contexts()[0];
    const cookie = (await context.cookies(site.url)).find((c) => c.name === "demo_session");
    expect(cookie?.value).toBeTruthy();
    const page = context.pages()[0];
    await page.goto(`${site.url}/account`);
    expect(await page.locator("#protected-data").textContent()).toBe("Balance: 1,234.56 EUR");
    expect(JSON.stringify(run.lines)).not.toContain(cookie!.value);
    await browser.close();
    expect(existsSync(untouchedDb)).toBe(false);
  }, 90_000);

  it("prints the link, a QR code and the confirmation code for a person at a terminal, and exits 3 on a denial", async () => {
    agentBrowser = await startCdpChromium(`${site.url}/login`);
    const run = sidecar("--cdp", agentBrowser.endpoint, "--reason", "Read the balance");
    const urlLine = await run.next((l) => typeof l.text === "string" && l.text.startsWith(`${server.url}/h/`));
    const codeLine = await run.next((l) => typeof l.text === "string" && l.text.startsWith("Confirmation code: "));
    expect(run.lines.some((l) => typeof l.text === "string" && /[▀▄█]/.test(l.text))).toBe(true);
    const phone = new NodePhone(server.url, String(urlLine.text));
    const claimed = await phone.claim();
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: claimed.json.handoffId } });
    expect(String(codeLine.text)).toContain(`${row.confirmCode.slice(0, 4)}-${row.confirmCode.slice(4)}`);
    await phone.decide("deny");
    expect(await run.exited).toBe(3);
    expect(run.stderr()).toContain("The person declined the sign-in request.");
  }, 60_000);

  it("cancels the handoff and exits 5 when its parent terminates it (SIGTERM)", async () => {
    agentBrowser = await startCdpChromium(`${site.url}/login`);
    const run = sidecar("--cdp", agentBrowser.endpoint, "--reason", "Read the balance", "--json");
    const link = await run.next((l) => l.event === "link");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(5);
    expect(run.lines.at(-1)).toMatchObject({ event: "result", status: "cancelled", reason: "cancelled_by_agent" });
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: String(link.handoffId) } });
    expect(row.state).toBe("cancelled");
  }, 60_000);

  it("exits 2 and reports NO_PAGE when no page matches --page, creating no handoff", async () => {
    agentBrowser = await startCdpChromium(`${site.url}/login`);
    const before = await server.services.db.handoff.count();
    const run = sidecar("--cdp", agentBrowser.endpoint, "--page", "never-opened\\.example", "--reason", "Read the balance", "--json");
    expect(await run.exited).toBe(2);
    expect(run.lines.at(-1)).toMatchObject({ event: "result", status: "usage", code: "NO_PAGE" });
    expect(await server.services.db.handoff.count()).toBe(before);
  }, 60_000);

  it("refuses a page in a context another client created, where the cookies would land in the wrong context", async () => {
    // As a Python Playwright program does it: launch, new_context(), new_page(), a debugging port.
    // Chromium must be told its port on the command line (port 0 would hide it in a profile
    // directory Playwright keeps to itself), so this is the one unavoidable free-port lookup.
    const port = await freePort();
    const launched = await chromium.launch(chromiumLaunchOptions([`--remote-debugging-port=${port}`]));
    try {
      const page = await (await launched.newContext()).newPage();
      await page.goto(`${site.url}/login`);
      const before = await server.services.db.handoff.count();
      const baton = new BatonClient({ serverUrl: server.url, apiKey });
      const error = await baton.handoffOverCdp(`http://127.0.0.1:${port}`, { reason: "Read the balance", onLink: () => undefined }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatonError);
      expect(error).toMatchObject({ code: "FOREIGN_CONTEXT", message: expect.stringContaining("default context") });
      expect(await server.services.db.handoff.count()).toBe(before);
    } finally {
      await launched.close();
    }
  }, 60_000);
});
