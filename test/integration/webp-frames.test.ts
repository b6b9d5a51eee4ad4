/**
 * WebP frames in a real Chromium (the format a slow link gets, see frame-tuner.ts): the screencast
 * and the captures of a page that animates give WebP at the page's CSS size when asked, a third of
 * the bytes of the JPEG of the same page or less, and JPEG again when tuned back.
 */
import type { Browser } from "playwright";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import type { FrameSettings } from "../../worker/frame-tuner";
import { PageStream } from "../../worker/page-stream";
import type { Screencast, ScreencastFrame } from "../../worker/screencast";

const VIEW = { width: 390, height: 700 };
const LOGIN = `<style>body{font:16px sans-serif;margin:20px}input{display:block;width:300px;font-size:18px;margin:12px 0}</style>
<h1>Sign in to Example</h1><label>Email<input id="email"></label><label>Password<input type="password"></label><button>Continue</button>`;
const SPINNER = `<style>#s{width:60px;height:60px;background:#e33;animation:r 1s linear infinite}@keyframes r{to{transform:rotate(360deg)}}</style><div id="s"></div>`;
const settings = (format: FrameSettings["format"]): FrameSettings => ({ quality: 60, format });

/** `html` streamed from a new context of `browser`; each frame is drawn at once, as a phone does. */
async function stream(browser: Browser, html: string) {
  const context = await browser.newContext({ viewport: VIEW, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.setContent(html);
  const waiters: { test: (f: ScreencastFrame) => boolean; resolve: (f: ScreencastFrame) => void }[] = [];
  let seq = 0;
  const s: PageStream = await PageStream.open(page, {
    nextSeq: () => ++seq,
    deliver: (frame) => {
      for (const w of waiters.filter((w) => w.test(frame))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
      s.source.drawn(frame.seq);
    },
  });
  const next = (test: (f: ScreencastFrame) => boolean) => new Promise<ScreencastFrame>((resolve) => waiters.push({ test, resolve }));
  return { page, s, next, close: () => s.stop().then(() => context.close()) };
}

const formatOf = async (frame: ScreencastFrame) => (await sharp(frame.image).metadata()).format;

describe.each([1, 3])("WebP frames in a browser drawing at %i×", (density) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium([`--force-device-scale-factor=${density}`]);
  });
  afterAll(async () => {
    await browser.close();
  });

  it("come from the screencast at CSS size when asked for, smaller than JPEG, and JPEG again when tuned back", async () => {
    const { page, s, next, close } = await stream(browser, LOGIN);
    await page.focus("#email");
    const sizes: Record<string, number> = {};
    for (const format of ["jpeg", "webp", "jpeg"] as const) {
      await s.show(VIEW, settings(format), true);
      await s.tune(settings(format));
      // A frame of the whole view in the format asked for arrives (one in flight from before the
      // switch may not be in it; Chromium's first after a start can be a 1-px one).
      const whole = (f: ScreencastFrame) => f.width === VIEW.width && f.height === VIEW.height;
      const typed = next(whole);
      await page.keyboard.type("a");
      let frame = await typed;
      for (let late = 0; (await formatOf(frame)) !== format; late++) {
        if (late === 3) throw new Error(`no ${format} frame in the 4 after the switch`);
        await page.keyboard.type("a");
        frame = await next(whole);
      }
      const meta = await sharp(frame.image).metadata();
      expect({ width: meta.width, height: meta.height }).toEqual(VIEW);
      sizes[format] = frame.image.length;
    }
    expect(sizes.webp).toBeLessThan(sizes.jpeg / 2);
    await close();
  });

  it("come from captures while the page animates, where the browser draws past CSS size", async () => {
    const { s, next, close } = await stream(browser, SPINNER);
    await s.show(VIEW, settings("webp"), true);
    if (density === 1) {
      // At 1× the screencast keeps up and stays (animating-page-frames.test.ts); its frames are WebP too.
      expect(await formatOf(await next(() => true))).toBe("webp");
    } else {
      const captured = await next(() => (s.source as Screencast).mode === "captures");
      const meta = await sharp(captured.image).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: "webp", ...VIEW });
    }
    await close();
  });
});
