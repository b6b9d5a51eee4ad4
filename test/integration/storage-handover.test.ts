/**
 * The optional storage hand-over: the target origin's localStorage and sessionStorage (which
 * Playwright's storageState leaves out) move to the agent's context, only for that origin, and
 * `release()`'s part takes them out again.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { captureStorage, injectStorage } from "../../worker/storage-capture";

let browser: Browser;
let server: Server;
let origin: string;
let otherOrigin: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<p>site</p>"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  otherOrigin = `http://localhost:${port}`;
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

const read = (page: Page) =>
  page.evaluate(() => ({ token: localStorage.getItem("token"), tab: sessionStorage.getItem("tab"), mine: localStorage.getItem("mine") }));

it("moves the origin's local and session storage, for that origin only, and takes it back on release", async () => {
  const source = await browser.newContext();
  const signedIn = await source.newPage();
  await signedIn.goto(`${origin}/app`);
  await signedIn.evaluate(() => {
    localStorage.setItem("token", "t-123");
    sessionStorage.setItem("tab", "s-456");
  });
  const captured = await captureStorage(signedIn, origin);
  expect(captured).toEqual({ origin, local: [["token", "t-123"]], session: [["tab", "s-456"]] });
  expect(await captureStorage(signedIn, otherOrigin)).toBeNull();

  const agent = await browser.newContext();
  const release = await injectStorage(agent, captured!);
  const page = await agent.newPage();
  await page.goto(`${origin}/account`);
  await page.evaluate(() => localStorage.setItem("mine", "agent's own"));
  expect(await read(page)).toEqual({ token: "t-123", tab: "s-456", mine: "agent's own" });
  const elsewhere = await agent.newPage();
  await elsewhere.goto(`${otherOrigin}/`);
  expect(await read(elsewhere)).toEqual({ token: null, tab: null, mine: null });

  await release();
  expect(await read(page)).toEqual({ token: null, tab: null, mine: "agent's own" });
  const later = await agent.newPage();
  await later.goto(`${origin}/account`);
  expect(await read(later)).toEqual({ token: null, tab: null, mine: "agent's own" });
  await source.close();
  await agent.close();
});
