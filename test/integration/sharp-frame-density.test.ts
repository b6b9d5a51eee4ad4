/**
 * The sharp frame for a dense phone has the size asked for whatever density the agent's browser
 * draws at: in a real Chromium started with --force-device-scale-factor=3, a 2× sharp frame of a
 * 390-px-wide page is 780 px wide, not 2340 (a screenshot clip's scale multiplies the browser's own).
 * Frames run at the moving quality; the resting frame, at 1× as at 2×, at the resting quality. And
 * the screenshots these take (the one-pixel capture that tells the browser's density, each sharp
 * frame's clip) never leak a picture of their own metrics into the frames the phone gets.
 */
import type { Browser } from "playwright";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../worker/demo/chromium";
import { FrameTuner, FrameTuning } from "../../worker/frame-tuner";
import { PageStream } from "../../worker/page-stream";
import type { ScreencastFrame } from "../../worker/screencast";
import { lumaDcStep, lumaDcStepAt } from "../helpers/jpeg-tables";

const VIEW = { width: 390, height: 700 };

describe.each([1, 3])("sharp frames in a browser drawing at %i×", (density) => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium([`--force-device-scale-factor=${density}`]);
  });
  afterAll(async () => {
    await browser.close();
  });

  it("are the phone's density times the page's CSS size", async () => {
    const context = await browser.newContext({ viewport: VIEW, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.setContent(`<p style="font-size:20px">Sign in</p>`);
    let seq = 0;
    const stream = await PageStream.open(page, { deliver: () => undefined, nextSeq: () => ++seq });
    await stream.show(VIEW, { quality: 60, format: "jpeg" }, false);
    const frame = await stream.sharpFrame(2, 1);
    const size = await sharp(frame.image).metadata();
    expect({ width: size.width, height: size.height }).toEqual({ width: 780, height: 1400 });
    await stream.stop();
    await context.close();
  });

  it("run at the moving quality, and rest at the resting quality, at 1× as at 2×", async () => {
    const context = await browser.newContext({ viewport: VIEW, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.setContent(`<input style="font-size:20px" value="Sign in">`);
    let seq = 0;
    let hasTyped = false;
    let onFrame: (frame: ScreencastFrame) => void = () => undefined;
    const stream = await PageStream.open(page, { deliver: (frame) => onFrame(frame), nextSeq: () => ++seq });
    // The frame that shows the keystroke, not one from before it.
    const moving = new Promise<ScreencastFrame>((resolve) => (onFrame = (frame) => hasTyped && resolve(frame)));
    await stream.show(VIEW, new FrameTuner(3).settings(), true);
    await page.locator("input").press("End");
    hasTyped = true;
    await page.keyboard.type("x");
    expect(lumaDcStep((await moving).image)).toBe(lumaDcStepAt(FrameTuning.movingQuality));
    for (const scale of [1, 2]) {
      const resting = await stream.sharpFrame(scale, 1);
      expect(lumaDcStep(resting.image)).toBe(lumaDcStepAt(FrameTuning.restingQuality));
      const size = await sharp(resting.image).metadata();
      expect({ width: size.width, height: size.height }).toEqual({ width: VIEW.width * scale, height: VIEW.height * scale });
    }
    await stream.stop();
    await context.close();
  });

  it("send the phone only pictures of the whole view, whatever the captures beside them", async () => {
    const context = await browser.newContext({ viewport: VIEW, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.setContent(`<input style="font-size:20px" value="Sign in">`);
    let seq = 0;
    const delivered: ScreencastFrame[] = [];
    let onFrame: () => void = () => undefined;
    const stream = await PageStream.open(page, {
      deliver: (frame) => {
        delivered.push(frame);
        // Drawn at once, as a phone on a fast link would, so every frame Chromium sends may go.
        stream.source.drawn(frame.seq);
        onFrame();
      },
      nextSeq: () => ++seq,
    });
    // The density is measured as the frames start, the moment Chromium sent its 1×1 (or 3×3) picture.
    await stream.show(VIEW, new FrameTuner(3).settings(), true);
    await page.locator("input").press("End");
    for (const key of "abc") {
      const next = new Promise<void>((resolve) => (onFrame = resolve));
      await page.keyboard.type(key);
      await next;
      await stream.sharpFrame(2, ++seq);
    }
    const sizes = await Promise.all(delivered.map(async (frame) => ({ ...(await sharp(frame.image).metadata()), said: [frame.width, frame.height] })));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (const size of sizes) expect([size.width, size.height, ...size.said]).toEqual([VIEW.width, VIEW.height, VIEW.width, VIEW.height]);
    await stream.stop();
    await context.close();
  });
});
