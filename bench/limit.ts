/**
 * The limit: the same keystroke or tap read straight off Chromium's screencast in this process — no
 * relay, no sealing, no phone — with the screencast started the way Baton's worker starts it (same
 * viewport, JPEG quality and frame size). Each frame is decoded here (sharp) and the watched box
 * compared with the picture before the input, exactly as the phone does on its canvas: on a page that
 * animates, the first frame after a key is often an animation frame that does not show it yet.
 */
import type { Browser, CDPSession } from "playwright";
import sharp from "sharp";
import { FrameTuning } from "../worker/frame-tuner";
import { LAYOUT } from "./bench-site";
import { center } from "./harness";
import { anyFramePhase } from "./phone-probe";

type Box = { x: number; y: number; width: number; height: number };

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const TIMEOUT_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Frames of one screencast, decoded in arrival order, with a watch on one box. */
export class DecodedScreencast {
  private last: Buffer | null = null;
  private pending: Buffer | null = null;
  private decoding: Promise<unknown> = Promise.resolve();
  private isDecoding = false;
  private watch: { box: Box; baseline: number; resolve: (at: number) => void } | null = null;
  private readonly arrivals = new WeakMap<Buffer, number>();
  /** When the frame that ended the last watch arrived here (before its decode). */
  lastHitArrivedAt = Number.NaN;

  constructor(
    private readonly cdp: CDPSession,
    private readonly css: { width: number; height: number },
  ) {
    cdp.on("Page.screencastFrame", (event) => {
      // Acked at once: the limit is Chromium's own pace, not held back by anything downstream.
      void cdp.send("Page.screencastFrameAck", { sessionId: event.sessionId }).catch(() => undefined);
      const jpeg = Buffer.from(event.data, "base64");
      this.arrivals.set(jpeg, performance.now());
      this.last = jpeg;
      this.pending = jpeg;
      if (!this.isDecoding) this.decoding = this.decodeLoop();
    });
  }

  /** Latest frame wins, as on the phone: while one decodes, newer ones replace each other. */
  private async decodeLoop(): Promise<void> {
    this.isDecoding = true;
    try {
      while (this.pending) {
        const jpeg = this.pending;
        this.pending = null;
        await this.check(jpeg).catch(skipUndecodable);
      }
    } finally {
      this.isDecoding = false;
    }
  }

  /** `changed` resolves with when the box first differs from now (decoded), or null after the timeout. */
  async arm(box: Box): Promise<{ changed: Promise<number | null> }> {
    await this.decoding;
    const baseline = this.last ? await checksum(this.last, box, this.css) : 0;
    const changed = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        this.watch = null;
        resolve(null);
      }, TIMEOUT_MS);
      this.watch = {
        box,
        baseline,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
    return { changed };
  }

  private async check(jpeg: Buffer): Promise<void> {
    const watch = this.watch;
    if (!watch) return;
    if ((await checksum(jpeg, watch.box, this.css)) === watch.baseline) return;
    this.watch = null;
    this.lastHitArrivedAt = this.arrivals.get(jpeg) ?? Number.NaN;
    watch.resolve(performance.now());
  }
}

/** A frame sharp cannot read is one the limit never sees; the next one is checked as usual. */
function skipUndecodable(): void {}

async function checksum(jpeg: Buffer, box: Box, css: { width: number; height: number }): Promise<number> {
  const image = sharp(jpeg);
  const { width = css.width, height = css.height } = await image.metadata();
  const sx = width / css.width;
  const sy = height / css.height;
  const region = {
    left: Math.round(box.x * sx),
    top: Math.round(box.y * sy),
    width: Math.max(1, Math.round(box.width * sx)),
    height: Math.max(1, Math.round(box.height * sy)),
  };
  const data = await image.extract(region).raw().toBuffer();
  let sum = 0;
  for (let i = 0; i < data.length; i += 3) sum = (sum * 31 + data[i] + data[i + 1] * 7 + data[i + 2] * 13) >>> 0;
  return sum;
}

/** As PageStream.startFrames does: frames at the page's CSS size and the moving quality. */
export async function startWorkerScreencast(cdp: CDPSession, size: { width: number; height: number }): Promise<void> {
  await cdp.send("Page.startScreencast", {
    format: "jpeg",
    quality: FrameTuning.movingQuality,
    maxWidth: size.width,
    maxHeight: size.height,
    everyNthFrame: 1,
  });
}

/** One value per input (ms), null for a timeout. */
export interface LimitResult {
  keystroke: (number | null)[];
  tap: (number | null)[];
}

/** A plain page of `siteUrl` with its field focused and the worker's screencast decoded here. */
async function openLimitPage(browser: Browser, siteUrl: string, size: { width: number; height: number }) {
  const context = await browser.newContext({ viewport: size, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(siteUrl);
    await page.focus("#f");
    const cdp = await context.newCDPSession(page);
    const frames = new DecodedScreencast(cdp, size);
    await startWorkerScreencast(cdp, size);
    await sleep(500);
    /** One input at a random point of a frame, timed from its dispatch to its frame's decode here (null: timed out). */
    const time = async (box: Box, act: () => Promise<void>, gapMs: number) => {
      await anyFramePhase();
      const { changed } = await frames.arm(box);
      const t0 = performance.now();
      await act();
      const t1 = await changed;
      // After a timeout the input's frame may still come: let it, or it would count for the next input.
      await sleep(t1 === null ? TIMEOUT_MS : gapMs);
      return t1 === null ? null : { decoded: t1 - t0, arrived: frames.lastHitArrivedAt - t0 };
    };
    return { context, page, cdp, time };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Keystrokes then taps on `siteUrl`, timed in this process from the input's dispatch. */
export async function screencastLimit(
  browser: Browser,
  siteUrl: string,
  size: { width: number; height: number },
  samples: { keys: number; taps: number },
): Promise<LimitResult> {
  const { context, page, cdp, time } = await openLimitPage(browser, siteUrl, size);
  try {
    const keys: (number | null)[] = [];
    for (let i = 0; i < samples.keys + 20; i++) {
      const v = await time(LAYOUT.field, () => page.keyboard.type(LETTERS[i % 26]), 20);
      if (i >= 20) keys.push(v && v.decoded);
    }
    const tap = center(LAYOUT.tapButton);
    const taps: (number | null)[] = [];
    for (let i = 0; i < samples.taps + 5; i++) {
      // As on the phone: taps closer than a double-tap would be read as one.
      const v = await time(LAYOUT.tapBox, () => page.touchscreen.tap(tap.x, tap.y), 60);
      if (i >= 5) taps.push(v && v.decoded);
    }
    await cdp.send("Page.stopScreencast");
    return { keystroke: keys, tap: taps };
  } finally {
    await context.close();
  }
}

/** The limit's keystrokes for the trace: from the key's dispatch to its frame's arrival here, and to its decode. */
export async function limitKeyArrivals(
  browser: Browser,
  siteUrl: string,
  size: { width: number; height: number },
  keys: number,
): Promise<{ arrived: (number | null)[]; decoded: (number | null)[] }> {
  const { context, page, time } = await openLimitPage(browser, siteUrl, size);
  try {
    const arrived: (number | null)[] = [];
    const decoded: (number | null)[] = [];
    for (let i = 0; i < keys + 10; i++) {
      const v = await time(LAYOUT.field, () => page.keyboard.type(LETTERS[i % 26]), 20);
      if (i < 10) continue;
      arrived.push(v && v.arrived);
      decoded.push(v && v.decoded);
    }
    return { arrived, decoded };
  } finally {
    await context.close();
  }
}
