/**
 * Instruments the real phone page (in its own Chromium) so that every timestamp is taken there,
 * with `performance.now()`: when a key or a tap leaves the phone, when the WebSocket opens, when a
 * frame is drawn, and whether the pixels in a watched box changed with that frame.
 */
import type { BrowserContext, Page } from "playwright";

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Runs in the phone page before its own scripts. */
function probe(): void {
  const bench = {
    drawCount: 0,
    firstDrawAt: 0,
    wsOpenAt: 0,
    bytesIn: 0,
    lastKeyAt: 0,
    lastPointerAt: 0,
    approveAt: 0,
    /** The image drawn when the last watch saw its box change (the trace follows it back). */
    lastHit: null as null | { at: number; image: unknown },
    watch: null as null | { box: Box; baseline: number; kind: "key" | "pointer"; armedAt: number; resolve: (ms: number | null) => void },
  };
  (window as unknown as { __bench: typeof bench }).__bench = bench;

  const checksum = (ctx: CanvasRenderingContext2D, b: Box): number => {
    const canvas = ctx.canvas;
    const scale = canvas.width / Number(canvas.getAttribute("data-remote-width") || canvas.width);
    const data = ctx.getImageData(
      Math.round(b.x * scale),
      Math.round(b.y * scale),
      Math.max(1, Math.round(b.width * scale)),
      Math.max(1, Math.round(b.height * scale)),
    ).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum = (sum * 31 + data[i] + data[i + 1] * 7 + data[i + 2] * 13) >>> 0;
    return sum;
  };

  // Read off the descriptor: the original is called with each canvas as `this`, as it was before.
  const original = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, "drawImage")!.value as (...a: unknown[]) => void;
  CanvasRenderingContext2D.prototype.drawImage = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    original.apply(this, args);
    const now = performance.now();
    bench.drawCount += 1;
    if (!bench.firstDrawAt) bench.firstDrawAt = now;
    const w = bench.watch;
    if (!w) return;
    const t0 = w.kind === "key" ? bench.lastKeyAt : bench.lastPointerAt;
    if (t0 < w.armedAt) return;
    if (checksum(this, w.box) !== w.baseline) {
      bench.watch = null;
      bench.lastHit = { at: now, image: args[0] };
      w.resolve(now - t0);
    }
  };

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("open", () => (bench.wsOpenAt ||= performance.now()));
      this.addEventListener("message", (e: MessageEvent) => {
        bench.bytesIn += e.data instanceof ArrayBuffer ? e.data.byteLength : e.data instanceof Blob ? e.data.size : String(e.data).length;
      });
    }
  };

  document.addEventListener("keydown", () => (bench.lastKeyAt = performance.now()), true);
  document.addEventListener("pointerdown", () => (bench.lastPointerAt = performance.now()), true);
  document.addEventListener(
    "click",
    (e) => {
      if ((e.target as Element | null)?.closest("button")?.textContent?.trim() === "Approve") bench.approveAt = performance.now();
    },
    true,
  );
  (window as unknown as { __benchArm: unknown }).__benchArm = (box: Box, kind: "key" | "pointer", timeoutMs: number) => {
    const canvas = document.querySelector<HTMLCanvasElement>("[data-testid=live-view]");
    const ctx = canvas?.getContext("2d");
    if (!ctx) throw new Error("no live view");
    const result = new Promise<number | null>((resolve) => {
      bench.watch = { box, baseline: checksum(ctx, box), kind, armedAt: performance.now(), resolve };
      setTimeout(() => {
        if (bench.watch?.resolve === resolve) bench.watch = null;
        resolve(null);
      }, timeoutMs);
    });
    (window as unknown as { __benchResult: unknown }).__benchResult = result;
  };
}

export async function installProbe(context: BrowserContext): Promise<void> {
  // tsx (esbuild, keepNames) wraps named inner functions in `__name(...)`, which the page lacks.
  await context.addInitScript({ content: "globalThis.__name ||= (f) => f;" });
  await context.addInitScript(probe);
}

export interface ProbeCounters {
  drawCount: number;
  firstDrawAt: number;
  wsOpenAt: number;
  bytesIn: number;
  approveAt: number;
  now: number;
}

export function readCounters(page: Page): Promise<ProbeCounters> {
  return page.evaluate(() => {
    const b = (window as unknown as { __bench: Omit<ProbeCounters, "now"> }).__bench;
    return { drawCount: b.drawCount, firstDrawAt: b.firstDrawAt, wsOpenAt: b.wsOpenAt, bytesIn: b.bytesIn, approveAt: b.approveAt, now: performance.now() };
  });
}

/** One frame of a 60 Hz display (ms). */
const FRAME_MS = 1000 / 60;

/**
 * Waits a random time within one frame. Every timed input follows the moment the last one was seen,
 * so without it each input of a session would reach Chromium at the same point of its frame clock:
 * one session's keys always just before a frame is drawn, the next one's always just after, a
 * frame's time apart. A person's keys land anywhere in the frame; so do the bench's.
 */
export function anyFramePhase(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * FRAME_MS));
}

/**
 * At a random point of a frame, arms a watch on `box`, runs `act` (a key press or a tap), and
 * returns the phone-side latency, or null after `timeoutMs`. After a timeout the input's frame may
 * still come; it is given as long again, so that it does not count for the next input.
 */
export async function measure(page: Page, box: Box, kind: "key" | "pointer", act: () => Promise<void>, timeoutMs = 1000): Promise<number | null> {
  await anyFramePhase();
  await page.evaluate(([b, k, t]) => (window as unknown as { __benchArm: (b: unknown, k: unknown, t: unknown) => void }).__benchArm(b, k, t), [
    box,
    kind,
    timeoutMs,
  ] as const);
  await act();
  const latency = await page.evaluate(() => (window as unknown as { __benchResult: Promise<number | null> }).__benchResult);
  if (latency === null) await new Promise((resolve) => setTimeout(resolve, timeoutMs));
  return latency;
}
