/**
 * A login page's own workers keep working inside the lockdown: the wrapper that starts each worker
 * locked down runs it from a blob: URL, and relative URLs in it — importScripts, fetch, Request,
 * XMLHttpRequest, EventSource, a nested worker, `location` — still resolve against the worker's own
 * script, as in an ordinary context. The lockdown holds there all the same.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { openHandoffBrowser } from "../../worker/handoff-browser";

/** What a worker found, posted back to the page. */
const REPORT = `
const xhr = () => new Promise((done) => { const x = new XMLHttpRequest(); x.open("GET", "data/answer.txt"); x.onload = () => done(x.responseText); x.onerror = () => done("xhr failed"); x.send(); });
const events = () => new Promise((done) => { const e = new EventSource("events"); e.onmessage = (m) => { e.close(); done(m.data); }; e.onerror = () => { e.close(); done("eventsource failed"); }; });
const nested = () => new Promise((done) => { const w = new Worker("nested.js"); w.onmessage = (m) => done(m.data); w.onerror = () => done("nested failed"); });
const report = async () => ({
  helper: self.HELPER ?? "no helper",
  fetched: await fetch("data/answer.txt").then((r) => r.text(), () => "fetch failed"),
  request: await fetch(new Request("data/answer.txt")).then((r) => r.text(), () => "request failed"),
  xhr: await xhr(),
  events: await events(),
  nested: await nested(),
  path: location.pathname,
  webTransport: typeof WebTransport,
});`;

const FILES: Record<string, [string, string]> = {
  "/": ["text/html", "<title>site</title><p>site</p>"],
  "/js/classic.js": ["text/javascript", `importScripts("helper.js");${REPORT}\nreport().then(postMessage, (e) => postMessage(String(e)));`],
  "/js/module.js": [
    "text/javascript",
    `import { HELPER } from "./helper-module.js"; self.HELPER = HELPER;${REPORT}\nreport().then(postMessage, (e) => postMessage(String(e)));`,
  ],
  "/js/helper.js": ["text/javascript", `self.HELPER = "helper loaded";`],
  "/js/helper-module.js": ["text/javascript", `export const HELPER = "helper loaded";`],
  "/js/nested.js": [
    "text/javascript",
    `fetch("data/answer.txt").then((r) => r.text()).then((t) => postMessage("nested " + t + " " + typeof WebTransport), (e) => postMessage("nested fetch failed"));`,
  ],
  "/js/data/answer.txt": ["text/plain", "42"],
  "/js/events": ["text/event-stream", "data: streamed\n\n"],
};

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = FILES[(req.url ?? "/").split("?")[0]];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file[0], "cache-control": "no-store" }).end(file[1]);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

function runWorker(page: Page, type: "classic" | "module"): Promise<unknown> {
  return page.evaluate(
    (type) =>
      new Promise((done) => {
        const w = new Worker(`js/${type}.js`, { type });
        w.onmessage = (e) => done(e.data);
        w.onerror = (e) => done(`worker error: ${e.message}`);
      }),
    type,
  );
}

describe("a page's own workers in the lockdown", () => {
  it.each(["classic", "module"] as const)(
    "a %s worker resolves relative URLs against its script, as in an ordinary context, and stays locked down",
    async (type) => {
      const ordinary = await browser.newContext();
      const plainPage = await ordinary.newPage();
      await plainPage.goto(origin);
      const plain = (await runWorker(plainPage, type)) as Record<string, string>;
      await ordinary.close();

      const hb = await openHandoffBrowser({ browser, targetOrigin: origin, allowedSites: ["127.0.0.1"] });
      await hb.page.goto(origin);
      const locked = (await runWorker(hb.page, type)) as Record<string, string>;
      await hb.close();

      const works = { helper: "helper loaded", fetched: "42", request: "42", xhr: "42", events: "streamed", path: `/js/${type}.js` };
      // WebTransport is the worker's way around the proxy (WebRTC is not there in workers at all).
      expect(plain).toEqual({ ...works, nested: "nested 42 function", webTransport: "function" });
      expect(locked).toEqual({ ...works, nested: "nested 42 undefined", webTransport: "undefined" });
    },
  );

  it.each(["classic", "module"] as const)("a %s worker stays locked down when the page has replaced the tools the wrapper writes it with", async (type) => {
    const hb = await openHandoffBrowser({ browser, targetOrigin: origin, allowedSites: ["127.0.0.1"] });
    await hb.page.goto(origin);
    // Function.prototype.toString writes the lockdown's source into the worker; the page swaps it for a no-op.
    await hb.page.evaluate(() => {
      Function.prototype.toString = () => "function () {}";
    });
    const locked = (await runWorker(hb.page, type)) as Record<string, string>;
    await hb.close();
    expect(locked).toMatchObject({ webTransport: "undefined", nested: "nested 42 undefined" });
  });
});
