/**
 * Carets stay lit in a handoff context, in a real Chromium: a focused field sends no frames while
 * nobody acts (a blinking one repaints twice a second, each repaint a frame to the phone), in the
 * page, a same-site iframe and a shadow root alike, and the caret still shows.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, CDPSession, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { openHandoffBrowser } from "../../worker/handoff-browser";

const PAGES: Record<string, string> = {
  "/login": `<input id="f" autofocus style="font-size:20px"><iframe id="frame" src="/framed"></iframe><div id="host"></div>
<script>document.querySelector("#host").attachShadow({ mode: "open" }).innerHTML = '<input id="inner">'</script>`,
  "/framed": `<input id="g">`,
};

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((req, res) => {
    const page = PAGES[(req.url ?? "/").split("?")[0]];
    res.writeHead(page ? 200 : 404, { "content-type": "text/html" }).end(page ?? "");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://bank.test:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium(["--host-resolver-rules=MAP *.test 127.0.0.1"]);
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Screencast frames sent over `ms` while nothing happens, after the page has settled on one. */
async function idleFrames(page: Page, cdp: CDPSession, ms: number): Promise<number> {
  let frames = 0;
  let first: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (first = resolve));
  cdp.on("Page.screencastFrame", (frame) => {
    frames += 1;
    first();
    void cdp.send("Page.screencastFrameAck", { sessionId: frame.sessionId }).catch(() => undefined);
  });
  await cdp.send("Page.startScreencast", { format: "jpeg", quality: 40, maxWidth: 390, maxHeight: 700 });
  await settled;
  // The window: a blinking caret would show in it about twice a second.
  await page.waitForTimeout(300);
  const before = frames;
  await page.waitForTimeout(ms);
  await cdp.send("Page.stopScreencast");
  return frames - before;
}

describe("steady caret", () => {
  it("a focused field sends no frames while nobody acts, where a plain context's blinks", async () => {
    const hb = await openHandoffBrowser({
      browser,
      targetOrigin: origin,
      allowedSites: ["bank.test"],
      resolve: async (host) => (host.endsWith(".test") ? ["127.0.0.1"] : []),
    });
    await hb.page.goto(`${origin}/login`);
    await hb.page.focus("#f");
    expect(await idleFrames(hb.page, await hb.context.newCDPSession(hb.page), 2000)).toBe(0);
    // Lit everywhere a field can be, and not hidden: the caret keeps its colour.
    const animation = (el: Element) => getComputedStyle(el).getPropertyValue("caret-animation");
    expect(await hb.page.locator("#f").evaluate(animation)).toBe("manual");
    expect(await hb.page.frameLocator("#frame").locator("#g").evaluate(animation)).toBe("manual");
    expect(
      await hb.page.locator("#host").evaluate((host) => getComputedStyle(host.shadowRoot!.querySelector("#inner")!).getPropertyValue("caret-animation")),
    ).toBe("manual");
    expect(await hb.page.locator("#f").evaluate((el) => getComputedStyle(el).caretColor)).not.toBe("rgba(0, 0, 0, 0)");
    await hb.close();

    const plain = await browser.newContext({ viewport: { width: 390, height: 700 } });
    const page = await plain.newPage();
    await page.goto(`${origin}/login`);
    await page.focus("#f");
    expect(await idleFrames(page, await plain.newCDPSession(page), 2000)).toBeGreaterThanOrEqual(2);
    await plain.close();
  });
});
