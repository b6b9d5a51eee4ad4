/**
 * The handoff browser stays in its lane, in a real Chromium: names are mapped to loopback with
 * --host-resolver-rules, so `bank.test` is the target and `evil.test` another site on the same
 * machine. Every way out — link, redirect, iframe, popup, subresource, WebSocket, private address
 * inside the allowed site, download — is refused and reported.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { launchChromium } from "../../worker/demo/chromium";
import { openHandoffBrowser } from "../../worker/handoff-browser";
import type { EgressVerdict } from "../../worker/egress-guard";

let server: Server;
let port: number;
let browser: Browser;
const hits: string[] = [];

const pages: Record<string, (p: number) => string> = {
  "/login": (p) => `<a id="out" href="http://evil.test:${p}/steal">out</a><a id="dl" href="/file.bin" download>dl</a><p id="ok">login</p>`,
  "/frame": (p) => `<iframe id="f" src="http://evil.test:${p}/framed"></iframe>`,
  "/popup": (p) => `<button id="b" onclick="window.open('http://evil.test:${p}/popup')">open</button>`,
  "/img": (p) => `<img src="http://internal.bank.test:${p}/secret.png"><img src="http://evil.test:${p}/pixel.png">`,
  "/schemes": () =>
    `<a id="file" href="file:///etc/passwd">f</a><a id="vs" href="view-source:http://example.com/">v</a>` +
    `<a id="chrome" href="chrome://settings">c</a><a id="data" href="data:text/html,<p id=evil>data</p>">d</a><p id="ok">schemes</p>`,
  "/sw": () => `<script>navigator.serviceWorker.register("/sw.js").then(() => document.title = "sw-registered", () => document.title = "sw-refused")</script>`,
  "/sw.js": () => `self.addEventListener("fetch", () => {});`,
  "/prompts": () =>
    `<script>
      document.title = "confirm:" + confirm("Let this page do anything?");
      navigator.geolocation.getCurrentPosition(() => document.body.dataset.geo = "granted", (e) => document.body.dataset.geo = "refused:" + e.code, { timeout: 5000 });
      navigator.permissions.query({ name: "notifications" }).then((p) => document.body.dataset.notify = p.state);
      navigator.permissions.query({ name: "camera" }).then((p) => document.body.dataset.camera = p.state, () => document.body.dataset.camera = "unavailable");
    </script>`,
  "/ws": (p) =>
    `<script>const w = new WebSocket("ws://evil.test:${p}/ws"); w.onopen = () => document.title = "open"; w.onerror = w.onclose = () => document.title = "closed";</script>`,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const host = req.headers.host ?? "";
    const path = (req.url ?? "/").split("?")[0];
    hits.push(`${host.split(":")[0]}${path}`);
    if (path === "/redirect") return void res.writeHead(302, { location: `http://evil.test:${port}/landed` }).end();
    if (path === "/file.bin")
      return void res.writeHead(200, { "content-type": "application/octet-stream", "content-disposition": "attachment" }).end("x".repeat(1000));
    const page = pages[path];
    const type = path.endsWith(".js") ? "text/javascript" : "text/html";
    res.writeHead(200, { "content-type": type }).end(page ? page(port) : "<p>page</p>");
  });
  new WebSocketServer({ server }).on("connection", () => hits.push("ws-connected"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  browser = await launchChromium(["--host-resolver-rules=MAP *.test 127.0.0.1"]);
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function open(target = { origin: `http://bank.test:${port}`, site: "bank.test" }) {
  const blocked: { verdict: Extract<EgressVerdict, { ok: false }>; isNavigation: boolean }[] = [];
  const hb = await openHandoffBrowser({
    browser,
    targetOrigin: target.origin,
    allowedSites: [target.site],
    // Node cannot see Chromium's resolver rules; tell the guard what those names resolve to.
    resolve: async (host) => (host.endsWith(".test") ? ["127.0.0.1"] : []),
    onBlocked: ({ verdict, isNavigation }) => blocked.push({ verdict, isNavigation }),
  });
  return { ...hb, blocked };
}

const evilHits = () => hits.filter((h) => h.startsWith("evil.test") || h.startsWith("internal."));

describe("handoff browser confinement", () => {
  it("loads the allowlisted origin", async () => {
    const { close, page } = await open();
    await page.goto(`http://bank.test:${port}/login`);
    expect(await page.locator("#ok").textContent()).toBe("login");
    await close();
  });

  it("refuses a link to another site, and the other site never sees the request", async () => {
    const { close, page, blocked } = await open();
    await page.goto(`http://bank.test:${port}/login`);
    await page.click("#out").catch(() => undefined);
    await page.waitForTimeout(300);
    expect(blocked.some((b) => b.verdict.origin === `http://evil.test:${port}` && b.verdict.reason === "site" && b.isNavigation)).toBe(true);
    expect(evilHits()).toEqual([]);
    await close();
  });

  it("refuses a redirect off the site", async () => {
    const { close, page, blocked } = await open();
    await page.goto(`http://bank.test:${port}/redirect`).catch(() => undefined);
    expect(blocked.some((b) => b.verdict.origin.startsWith("http://evil.test"))).toBe(true);
    expect(evilHits()).toEqual([]);
    await close();
  });

  it("refuses off-site iframes, popups and subresources, and private addresses inside the site", async () => {
    const { close, context, page, blocked } = await open();
    await page.goto(`http://bank.test:${port}/frame`);
    await page.goto(`http://bank.test:${port}/img`);
    await page.goto(`http://bank.test:${port}/popup`);
    const popup = context.waitForEvent("page", { timeout: 3000 }).catch(() => null);
    await page.click("#b");
    await (await popup)?.waitForLoadState().catch(() => undefined);
    await page.waitForTimeout(300);
    const reasons = blocked.map((b) => `${b.verdict.reason}:${b.verdict.origin.replace(`:${port}`, "")}`);
    expect(reasons).toEqual(expect.arrayContaining(["site:http://evil.test", "private_address:http://internal.bank.test"]));
    expect(evilHits()).toEqual([]);
    await close();
  });

  it("refuses a WebSocket to another site", async () => {
    const { close, page, blocked } = await open();
    await page.goto(`http://bank.test:${port}/ws`);
    await page.waitForFunction(() => document.title === "closed" || document.title === "open");
    expect(await page.title()).toBe("closed");
    expect(hits).not.toContain("ws-connected");
    expect(blocked.some((b) => b.verdict.origin.includes("evil.test"))).toBe(true);
    await close();
  });

  it("never leaves the site for file:, view-source:, chrome: or a top-level data: page", async () => {
    const { close, page } = await open();
    await page.goto(`http://bank.test:${port}/schemes`);
    for (const id of ["file", "vs", "chrome", "data"]) {
      await page.click(`#${id}`).catch(() => undefined);
      await page.waitForTimeout(200);
      expect(new URL(page.url()).origin, `after the ${id} link`).toBe(`http://bank.test:${port}`);
      expect(await page.locator("#ok").textContent()).toBe("schemes");
    }
    expect(await page.locator("#evil").count()).toBe(0);
    await close();
  });

  it("takes a top-level data: document back and names it as data:, not as another scheme", async () => {
    const { close, page, blocked } = await open();
    await page.goto(`http://bank.test:${port}/schemes`);
    // Chromium refuses a page's own navigation to a top-level data: URL; one the browser starts commits.
    await page.goto("data:text/html,<p id=evil>data</p>").catch(() => undefined);
    await expect.poll(() => page.url()).toBe(`http://bank.test:${port}/schemes`);
    expect(blocked).toContainEqual({ verdict: { ok: false, reason: "scheme", origin: "data:" }, isNavigation: true });
    expect(blocked.some((b) => b.verdict.origin === "blob:")).toBe(false);
    await close();
  });

  it("refuses service workers, even where the page is a secure context", async () => {
    // Loopback is a secure context, so registration would succeed if workers were allowed.
    const { close, page } = await open({ origin: `http://127.0.0.1:${port}`, site: "127.0.0.1" });
    await page.goto(`http://127.0.0.1:${port}/sw`);
    await page.waitForFunction(() => document.title.startsWith("sw-"));
    expect(await page.title()).toBe("sw-refused");
    await close();
  });

  it("answers dialogs and permission prompts with no, without the user seeing them", async () => {
    const { close, page } = await open({ origin: `http://127.0.0.1:${port}`, site: "127.0.0.1" });
    await page.goto(`http://127.0.0.1:${port}/prompts`);
    await page.waitForFunction(() => document.title.startsWith("confirm:") && document.body.dataset.camera, undefined, { timeout: 10_000 });
    expect(await page.title()).toBe("confirm:false");
    // A request is refused or left unanswered (Chromium sometimes never answers a headless
    // geolocation or notification query); either way the page never gets what it asked for.
    await page.waitForTimeout(1500);
    const answers = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(answers.geo ?? "unanswered").toMatch(/^(refused:1|unanswered)$/);
    expect(answers.notify ?? "unanswered").not.toBe("granted");
    expect(answers.camera).not.toBe("granted");
    await close();
  });

  it("lets no download reach the disk", async () => {
    const { close, page } = await open();
    await page.goto(`http://bank.test:${port}/login`);
    const download = page.waitForEvent("download", { timeout: 3000 }).catch(() => null);
    await page.click("#dl");
    const d = await download;
    expect(d === null || (await d.failure()) !== null).toBe(true);
    await close();
  });
});
