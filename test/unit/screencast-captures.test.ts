/**
 * The screencast on a page that never stops painting: past ANIMATING_FPS it stops, the page is
 * captured each time the phone has room for a frame, and once a few captures in a row are the same
 * picture the screencast takes over again. Against a CDP session and a capture played in memory.
 */
import type { CDPSession } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  ANIMATING_FPS,
  ANIMATING_WINDOW_MS,
  CAPTURE_TIMEOUT_MS,
  CAPTURES_PAUSE_AFTER_FAILURE_MS,
  ECHO_FRAMES,
  Screencast,
  type ScreencastFrame,
  STILL_CAPTURES,
} from "../../worker/screencast";
import { FakeCdp } from "../helpers/fake-cdp";
import { FakeTimers } from "../helpers/fake-timers";

const OPTIONS = { format: "jpeg", quality: 60, maxWidth: 390, maxHeight: 700 } as const;
/** Enough distinct frames within the window to count as animating. */
const ANIMATING_FRAMES = Math.ceil((ANIMATING_FPS * ANIMATING_WINDOW_MS) / 1000);

/** A capture the test answers by hand: each call waits until `answer` or `fail`. */
class FakeCapture {
  readonly qualities: number[] = [];
  private pending: { resolve: (image: Buffer) => void; reject: (e: Error) => void }[] = [];
  readonly fn = (quality: number) => {
    this.qualities.push(quality);
    return new Promise<{ width: number; height: number; image: Buffer }>((resolve, reject) =>
      this.pending.push({ resolve: (jpeg) => resolve({ width: 390, height: 700, image: jpeg }), reject }),
    );
  };
  get waiting(): number {
    return this.pending.length;
  }
  answer(name: string): void {
    this.pending.shift()!.resolve(Buffer.from(name));
  }
  fail(): void {
    this.pending.shift()!.reject(new Error("Target page navigated"));
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function setup(options: { withCapture?: boolean } = {}) {
  const timers = new FakeTimers();
  const cdp = new FakeCdp();
  const capture = new FakeCapture();
  const delivered: ScreencastFrame[] = [];
  const screencast = new Screencast({
    cdp: cdp as unknown as CDPSession,
    deliver: (f) => delivered.push(f),
    timers,
    capture: options.withCapture === false ? undefined : capture.fn,
  });
  await screencast.start(OPTIONS);
  screencast.viewerReady();
  const names = () => delivered.map((f) => f.image.toString());
  /** Chromium paints `count` distinct frames, `gapMs` apart; the phone draws each one it gets at once. */
  const paint = async (count: number, gapMs: number, from = 1) => {
    for (let n = from; n < from + count; n++) {
      cdp.frame(n);
      for (const f of delivered.splice(0)) {
        drawn.push(f.image.toString());
        screencast.drawn(f.seq);
      }
      await timers.advance(gapMs);
    }
  };
  const drawn: string[] = [];
  return { timers, cdp, capture, screencast, delivered, names, paint, drawn };
}

describe("screencast on a page that animates", () => {
  it("stops the screencast and captures instead once frames keep coming faster than ANIMATING_FPS", async () => {
    const { cdp, capture, screencast, paint } = await setup();
    await paint(ANIMATING_FRAMES - 1, 5);
    expect(screencast.mode).toBe("screencast");
    await paint(1, 5, ANIMATING_FRAMES);
    expect(screencast.mode).toBe("captures");
    expect(cdp.calls.at(-1)).toBe("Page.stopScreencast");
    await settle();
    expect(capture.waiting).toBe(1);
    expect(capture.qualities).toEqual([OPTIONS.quality]);
  });

  it("keeps the screencast on a page that paints now and then, or when it has no way to capture", async () => {
    const slow = await setup();
    // One frame short of the rate in every window, for three windows: a caret, a page typed into.
    await slow.paint(3 * ANIMATING_FRAMES, Math.ceil(ANIMATING_WINDOW_MS / (ANIMATING_FRAMES - 1)) + 1);
    expect(slow.screencast.mode).toBe("screencast");
    const fixed = await setup({ withCapture: false });
    await fixed.paint(3 * ANIMATING_FRAMES, 1);
    expect(fixed.screencast.mode).toBe("screencast");
    expect(fixed.cdp.calls).not.toContain("Page.stopScreencast");
  });

  it("does not count a key's own repaints: a still page typed into fast keeps the screencast", async () => {
    const { timers, cdp, screencast, delivered } = await setup();
    // 50 keys a second, each repainting ECHO_FRAMES times: more frames than ANIMATING_FPS, all of them echoes.
    let n = 1;
    for (let key = 0; key < 2 * ANIMATING_FRAMES; key++) {
      screencast.input();
      await timers.advance(5);
      for (let echo = 0; echo < ECHO_FRAMES; echo++) cdp.frame(n++);
      for (const f of delivered.splice(0)) screencast.drawn(f.seq);
      await timers.advance(15);
    }
    expect(screencast.mode).toBe("screencast");
    // Once the keys stop, the same rate of the page's own frames is an animation.
    await timers.advance(ANIMATING_WINDOW_MS);
    for (let n = 1000; n < 1000 + ANIMATING_FRAMES; n++) {
      cdp.frame(n);
      for (const f of delivered.splice(0)) screencast.drawn(f.seq);
      await timers.advance(10);
    }
    expect(screencast.mode).toBe("captures");
  });

  it("captures only when the phone has room, sends only new pictures, and ignores late screencast frames", async () => {
    const { cdp, capture, screencast, delivered, paint } = await setup();
    await paint(ANIMATING_FRAMES, 5);
    delivered.splice(0);
    await settle();
    capture.answer("shot-1");
    await settle();
    capture.answer("shot-2");
    await settle();
    expect(delivered.map((f) => f.image.toString())).toEqual(["shot-1", "shot-2"]);
    // Two frames in flight to the phone: no capture until it draws one.
    expect(capture.waiting).toBe(0);
    // A screencast frame still on its way from Chromium is older than the captures: acked, not sent.
    const acksBefore = cdp.acks.length;
    cdp.frame(99);
    expect(cdp.acks.length).toBe(acksBefore + 1);
    screencast.drawn(delivered[0].seq);
    await settle();
    expect(capture.waiting).toBe(1);
    // The same picture again is not news: nothing sent, and the next capture follows.
    capture.answer("shot-2");
    await settle();
    expect(delivered.map((f) => f.image.toString())).toEqual(["shot-1", "shot-2"]);
    expect(capture.waiting).toBe(1);
    expect(screencast.lastFrame?.image.toString()).toBe("shot-2");
  });

  it("never leaves the screencast running beside captures when a restart is on its way as the page starts animating", async () => {
    const { cdp, screencast, delivered, timers } = await setup();
    // A quality change restarts the screencast; its stop is slow to answer.
    const release = cdp.hold("Page.stopScreencast");
    const tuning = screencast.start({ ...OPTIONS, quality: 40 });
    await settle();
    // Meanwhile frames still on their way make the page an animating one.
    for (let n = 1; n <= ANIMATING_FRAMES; n++) {
      cdp.frame(n);
      for (const f of delivered.splice(0)) screencast.drawn(f.seq);
      await timers.advance(5);
    }
    expect(screencast.mode).toBe("captures");
    release();
    await tuning;
    await settle();
    expect(cdp.calls.slice(cdp.calls.lastIndexOf("Page.stopScreencast"))).not.toContain("Page.startScreencast");
    expect(cdp.calls.filter((c) => c === "Page.startScreencast")).toHaveLength(1);
  });

  it("gives up on a capture that does not come back, and stays on the screencast for a while", async () => {
    const { cdp, capture, screencast, delivered, timers, paint } = await setup();
    await paint(ANIMATING_FRAMES, 5);
    await settle();
    expect(capture.waiting).toBe(1);
    await timers.advance(CAPTURE_TIMEOUT_MS);
    expect(screencast.mode).toBe("screencast");
    expect(cdp.calls.at(-1)).toBe("Page.startScreencast");
    // The page still animates, but captures wait: the screencast's frames go to the phone meanwhile.
    delivered.splice(0);
    await paint(2 * ANIMATING_FRAMES, 5, 100);
    expect(screencast.mode).toBe("screencast");
    await timers.advance(CAPTURES_PAUSE_AFTER_FAILURE_MS);
    await paint(ANIMATING_FRAMES, 5, 300);
    expect(screencast.mode).toBe("captures");
    // The capture that hung, answered at last, is not sent.
    delivered.splice(0);
    capture.answer("hung");
    await settle();
    expect(delivered.map((f) => f.image.toString())).not.toContain("hung");
    expect(screencast.lastFrame?.image.toString()).not.toBe("hung");
  });

  it("survives a screencast that fails to start again, and starts it on the next change", async () => {
    const { cdp, screencast, paint } = await setup();
    await paint(ANIMATING_FRAMES, 5);
    expect(screencast.mode).toBe("captures");
    cdp.failOnce("Page.startScreencast");
    screencast.viewerGone();
    await settle();
    expect(screencast.mode).toBe("screencast");
    const starts = () => cdp.calls.filter((c) => c === "Page.startScreencast").length;
    expect(starts()).toBe(2);
    // Nothing runs now; the next change of options starts it, without a stop for a screencast that never ran.
    await screencast.start({ ...OPTIONS, quality: 50 });
    expect(starts()).toBe(3);
    expect(cdp.calls.at(-2)).toBe("Page.startScreencast");
  });

  it(`hands back to the screencast after ${STILL_CAPTURES} identical captures in a row`, async () => {
    const { cdp, capture, screencast, delivered, paint } = await setup();
    await paint(ANIMATING_FRAMES, 5);
    delivered.splice(0);
    await settle();
    capture.answer("moving");
    for (let i = 0; i < STILL_CAPTURES; i++) {
      await settle();
      expect(screencast.mode).toBe("captures");
      capture.answer("moving");
    }
    await settle();
    expect(screencast.mode).toBe("screencast");
    expect(cdp.calls.at(-1)).toBe("Page.startScreencast");
    expect(capture.waiting).toBe(0);
    // The screencast's frames go to the phone again.
    screencast.drawn(delivered.at(-1)!.seq);
    cdp.frame(200);
    expect(delivered.at(-1)!.image.toString()).toBe("jpeg-200");
  });

  it("goes back to the screencast when a capture fails (the page navigates) or the viewer leaves", async () => {
    const failing = await setup();
    await failing.paint(ANIMATING_FRAMES, 5);
    await settle();
    failing.capture.fail();
    await settle();
    expect(failing.screencast.mode).toBe("screencast");
    expect(failing.cdp.calls.at(-1)).toBe("Page.startScreencast");

    const leaving = await setup();
    await leaving.paint(ANIMATING_FRAMES, 5);
    leaving.delivered.splice(0);
    await settle();
    leaving.capture.answer("a");
    await settle();
    // The viewer leaves while a capture is under way: what it brings back afterwards is not sent.
    expect(leaving.capture.waiting).toBe(1);
    leaving.screencast.viewerGone();
    await settle();
    expect(leaving.screencast.mode).toBe("screencast");
    expect(leaving.cdp.calls.at(-1)).toBe("Page.startScreencast");
    leaving.capture.answer("late");
    await settle();
    expect(leaving.names()).toEqual(["a"]);
    expect(leaving.screencast.viewerReady()?.image.toString()).toBe("a");
  });

  it("uses a new quality for the next capture, and stops for good when the stream stops", async () => {
    const { cdp, capture, screencast, paint, names } = await setup();
    await paint(ANIMATING_FRAMES, 5);
    await settle();
    await screencast.start({ ...OPTIONS, quality: 40 });
    // Tuning while capturing does not start the screencast beside the captures.
    expect(cdp.calls.at(-1)).toBe("Page.stopScreencast");
    capture.answer("q60");
    await settle();
    expect(capture.qualities).toEqual([60, 40]);
    const sent = names().length;
    await screencast.stop();
    capture.answer("late");
    await settle();
    expect(capture.waiting).toBe(0);
    expect(names()).toHaveLength(sent);
    expect(screencast.lastFrame?.image.toString()).toBe("q60");
    expect(screencast.mode).toBe("screencast");
    expect(cdp.calls.filter((c) => c === "Page.startScreencast")).toHaveLength(1);
    // Late frames of the stopped screencast are acked and go nowhere.
    cdp.frame(500);
    expect(names()).toHaveLength(sent);
  });
});
