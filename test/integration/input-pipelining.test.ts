/**
 * The phone's pointer events reach a real Chromium without waiting for the renderer to acknowledge
 * the one before, in the order they came, at most POINTER_EVENTS_IN_FLIGHT at a time; a key waits
 * for them. The page's touchstart handler holds its main thread on a synchronous request the test
 * answers when it chooses, so "not acknowledged yet" is a state, not a race.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ToWorkerMessage } from "../../lib/protocol/stream";
import { launchChromium } from "../../worker/demo/chromium";
import { InputDriver } from "../../worker/input-driver";

const PAGE = `<!doctype html><meta name="viewport" content="width=device-width">
<button id="b" style="position:absolute;left:0;top:0;width:200px;height:100px">Tap</button>
<input id="f" style="position:absolute;left:0;top:200px">
<script>
window.events = [];
b.addEventListener("touchstart", () => {
  events.push("touchstart");
  const x = new XMLHttpRequest();
  x.open("GET", "/hold", false);
  x.send();
}, { passive: false });
b.addEventListener("touchend", () => events.push("touchend"));
b.addEventListener("click", () => { events.push("click"); f.focus(); });
f.addEventListener("keydown", (e) => events.push("key:" + e.key));
</script>`;

type Pointer = Extract<ToWorkerMessage, { t: "pointer" }>;
const touch = (phase: Pointer["phase"], x = 50, y = 50): Pointer => ({ t: "pointer", phase, pointerType: "touch", x, y });

let browser: Browser;
let server: Server;
let origin: string;
/** The touchstart handler's request, answered when the test releases it. */
let held: ServerResponse[] = [];
let holdArrived: (() => void) | null = null;

beforeAll(async () => {
  browser = await launchChromium();
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === "/hold") {
      held.push(res);
      holdArrived?.();
      return;
    }
    res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser.close();
  server.close();
});

let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let driver: InputDriver;
/** Each CDP input command the driver sent, and whether Chromium has answered it. */
let commands: { method: string; answered: boolean }[];

beforeEach(async () => {
  held = [];
  context = await browser.newContext({ viewport: { width: 390, height: 700 }, isMobile: true, hasTouch: true });
  page = await context.newPage();
  await page.goto(origin);
  cdp = await context.newCDPSession(page);
  commands = [];
  // Every command the driver sends is counted, and marked once Chromium answers it.
  const send = cdp.send.bind(cdp) as (method: string, params?: object) => Promise<unknown>;
  Object.assign(cdp, {
    send: (method: string, params?: object) => {
      const entry = { method, answered: false };
      commands.push(entry);
      return send(method, params).finally(() => (entry.answered = true));
    },
  });
  driver = new InputDriver(page, cdp);
});

afterEach(async () => {
  release();
  driver.stop();
  await context.close();
});

function release(): void {
  for (const res of held.splice(0)) res.end("ok");
}

/** Applies `down` and waits until the page's touchstart handler is holding its main thread. */
async function holdTouchStart(): Promise<void> {
  const arrived = new Promise<void>((resolve) => (holdArrived = resolve));
  await driver.apply(touch("down"));
  await arrived;
}

describe("pointer events from the phone", () => {
  it("go out without waiting for the renderer's answer to the one before, and arrive in order", async () => {
    await holdTouchStart();
    await driver.apply(touch("up"));
    // Both are sent while the renderer is still inside the touchstart handler.
    expect(commands.map((c) => [c.method, c.answered])).toEqual([
      ["Input.dispatchTouchEvent", false],
      ["Input.dispatchTouchEvent", false],
    ]);
    release();
    await driver.acknowledged();
    expect(commands.every((c) => c.answered)).toBe(true);
    // The click comes from Chromium's gesture after the touch end: read until it has.
    await expect.poll(() => page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual(["touchstart", "touchend", "click"]);
  });

  it("are at most POINTER_EVENTS_IN_FLIGHT unanswered; the next one waits for room", async () => {
    await holdTouchStart();
    for (let i = 1; i < 8; i++) await driver.apply(touch("move", 50 + i, 50));
    let ninthSent = false;
    const ninth = driver.apply(touch("move", 60, 50)).then(() => (ninthSent = true));
    // A round trip to the browser process, which answers without the busy renderer: the ninth,
    // had it not waited for room, would have gone out before it.
    await cdp.send("Browser.getVersion");
    expect(commands.filter((c) => c.method === "Input.dispatchTouchEvent")).toHaveLength(8);
    expect(ninthSent).toBe(false);
    release();
    await ninth;
    await driver.apply(touch("up"));
    await driver.acknowledged();
    expect(commands.filter((c) => c.method === "Input.dispatchTouchEvent")).toHaveLength(10);
  });

  it("come before a key typed after them: the key waits until Chromium answered every one", async () => {
    await holdTouchStart();
    await driver.apply(touch("up"));
    const key = driver.apply({ t: "text", text: "a" });
    release();
    await key;
    // The key went only once Chromium had answered both touch events.
    expect(commands.every((c) => c.answered)).toBe(true);
    await expect.poll(() => page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual(["touchstart", "touchend", "click", "key:a"]);
  });
});
