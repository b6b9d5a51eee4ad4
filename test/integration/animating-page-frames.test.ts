/**
 * Frames of a page that never stops painting, in a real Chromium. Drawing at 3×, the screencast gives
 * way to captures, the captures are at the page's CSS size and show where the page is scrolled to
 * after a wheel, and the screencast takes over again once the page is still. Drawing at 1×, where the
 * screencast keeps up, it stays.
 */
import type { Browser } from "playwright";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { PageStream } from "../../worker/page-stream";
import { ANIMATING_FPS, type FrameMode, type Screencast, type ScreencastFrame } from "../../worker/screencast";

const VIEW = { width: 390, height: 700 };

/** A spinner that repaints every frame, and a green band 2,000 px down the page. */
const PAGE = `<style>
body{margin:0;height:4000px;background:#fff}
#spin{position:fixed;left:20px;top:20px;width:60px;height:60px;background:#e33;z-index:1;animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
#band{position:absolute;left:0;top:2000px;width:100%;height:400px;background:#0a0}
</style><div id="spin"></div><div id="band"></div>`;

/** The colour at (x, y) of a frame's picture, in CSS pixels of the page. */
async function pixel(frame: ScreencastFrame, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(frame.image).raw().toBuffer({ resolveWithObject: true });
  const at = (Math.round((y * info.height) / frame.height) * info.width + Math.round((x * info.width) / frame.width)) * info.channels;
  return [data[at], data[at + 1], data[at + 2]];
}

/** A frame as delivered, with the mode that made it. */
type Delivered = ScreencastFrame & { mode: FrameMode };

/**
 * The animating page in a new context of `browser`, streamed; the test draws each frame at once, as
 * a phone does, and `next(test)` waits for a frame that passes.
 */
async function watch(browser: Browser) {
  const context = await browser.newContext({ viewport: VIEW, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.setContent(PAGE);
  const waiters: { test: (f: Delivered) => boolean; resolve: (f: Delivered) => void }[] = [];
  let seq = 0;
  let stream: PageStream | null = null;
  stream = await PageStream.open(page, {
    nextSeq: () => ++seq,
    deliver: (frame) => {
      const delivered = { ...frame, mode: (stream!.source as Screencast).mode };
      for (const w of [...waiters]) {
        if (!w.test(delivered)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(delivered);
      }
      stream?.source.drawn(frame.seq);
    },
  });
  await stream.show(VIEW, { quality: 60, format: "jpeg" }, true);
  const next = (test: (f: Delivered) => boolean = () => true) => new Promise<Delivered>((resolve) => waiters.push({ test, resolve }));
  const close = async () => {
    await stream.stop();
    await context.close();
  };
  return { page, stream, source: stream.source as Screencast, next, close };
}

describe("a page that animates, in a browser drawing at 1×", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium([]);
  });
  afterAll(async () => {
    await browser.close();
  });

  it("keeps the screencast", async () => {
    const { source, next, close } = await watch(browser);
    // Three times the frames that would make a page at 3× switch, all of them from the screencast.
    for (let i = 0; i < 3 * ANIMATING_FPS; i++) expect((await next()).mode).toBe("screencast");
    expect(source.mode).toBe("screencast");
    await close();
  });
});

describe("a page that animates, in a browser drawing at 3×", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(["--force-device-scale-factor=3"]);
  });
  afterAll(async () => {
    await browser.close();
  });

  it("is captured at CSS size instead of screencast, shows a scroll at once, and gets the screencast back when still", async () => {
    const { page, stream, source, next, close } = await watch(browser);

    const captured = await next((f) => f.mode === "captures");
    expect({ width: captured.width, height: captured.height }).toEqual(VIEW);
    const size = await sharp(captured.image).metadata();
    expect({ width: size.width, height: size.height }).toEqual(VIEW);
    const [r0, g0] = await pixel(captured, 200, 300);
    expect(r0 > 200 && g0 > 200).toBe(true); // white: the band is far below

    // A wheel scrolls the band to the top; a capture begun after the scroll shows it there (one may
    // be under way meanwhile, so the second frame after it is the first surely begun after it).
    await stream.apply({ t: "wheel", x: 200, y: 300, dx: 0, dy: 2000 });
    await page.waitForFunction(() => window.scrollY >= 1900);
    await next();
    const scrolled = await next();
    expect(scrolled.mode).toBe("captures");
    const [r, g, b] = await pixel(scrolled, 200, 300);
    expect(g > 120 && r < 60 && b < 60).toBe(true);

    // The spinner stops: identical captures hand back to the screencast.
    await page.evaluate(() =>
      document
        .getElementById("spin")!
        .getAnimations()
        .forEach((a) => a.pause()),
    );
    await expect.poll(() => source.mode, { timeout: 5_000 }).toBe("screencast");
    await close();
  });
});
