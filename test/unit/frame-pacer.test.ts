import { describe, expect, it } from "vitest";
import { FrameTuning } from "../../worker/frame-tuner";
import type { ScreencastFrame } from "../../worker/screencast";
import { ECHO_SETTLE_MS, FramePacer, type PacedStream } from "../../worker/session/frame-pacer";
import { FakeTimers, flush } from "../helpers/fake-timers";

const jpeg = (text: string) => Buffer.from(text);
const frame = (seq: number, text: string): ScreencastFrame => ({ seq, width: 390, height: 844, image: jpeg(text) });

/** A stream whose screencast and sharp captures the test controls. */
function fakeStream() {
  const log: string[] = [];
  let last: ScreencastFrame | null = null;
  let capture: () => ScreencastFrame = () => frame(0, "sharp");
  const stream: PacedStream = {
    needsTune: () => false,
    tune: async () => undefined,
    sharpFrame: async (scale) => {
      log.push(`capture@${scale}`);
      return capture();
    },
    source: {
      skip: (seq) => void log.push(`skip ${seq}`),
      drawn: (seq) => void log.push(`drawn ${seq}`),
      get lastFrame() {
        return last;
      },
    },
  };
  return {
    stream,
    log,
    setLast: (f: ScreencastFrame) => (last = f),
    onCapture: (fn: () => ScreencastFrame) => (capture = fn),
  };
}

function pacer(density = 3, viewport = { width: 390, height: 844 }) {
  const timers = new FakeTimers();
  const s = fakeStream();
  const sent: string[] = [];
  let seq = 100;
  const p = new FramePacer({
    timers,
    current: () => s.stream,
    viewport: () => viewport,
    isViewerConnected: () => true,
    send: (f) => void sent.push(`${f.seq}:${f.image.toString()}`),
    nextSeq: () => ++seq,
  });
  p.viewerChanged(density);
  return { p, timers, s, sent };
}

describe("frame pacer", () => {
  it("sends screencast frames as they come while the person acts", async () => {
    const { p, s, sent } = pacer();
    p.input();
    p.deliver(s.stream, frame(1, "a"));
    p.deliver(s.stream, frame(2, "b"));
    expect(sent).toEqual(["1:a", "2:b"]);
  });

  it("sends one sharp frame at the phone's density (capped at 2×) once the person and the page pause", async () => {
    const { p, timers, s, sent } = pacer(3);
    p.input();
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    await timers.advance(FrameTuning.idleMs + 20);
    expect(s.log).toContain(`capture@${FrameTuning.maxScale}`);
    expect(sent).toEqual(["1:a", "101:sharp"]);
    // Already sharp: no capture loop while nothing changes.
    await timers.advance(5_000);
    expect(s.log.filter((l) => l.startsWith("capture"))).toHaveLength(1);
  });

  it("shows a viewer that (re)connects the screencast's frames first: no sharp capture until the page has been still", async () => {
    const { p, timers, s, sent } = pacer(3);
    await timers.advance(10_000);
    // The phone says hello on a page that animates: frames flow, and none is held for a capture.
    p.viewerChanged(3);
    void p.retune();
    for (let n = 1; n <= 5; n++) {
      p.deliver(s.stream, frame(n, `f${n}`));
      await timers.advance(FrameTuning.idleMs / 4);
    }
    expect(sent).toEqual(["1:f1", "2:f2", "3:f3", "4:f4", "5:f5"]);
    expect(s.log.filter((l) => l.startsWith("capture"))).toEqual([]);
    // Still since the last frame: now the sharp one.
    s.setLast(frame(5, "f5"));
    await timers.advance(FrameTuning.idleMs + 20);
    expect(s.log.filter((l) => l.startsWith("capture"))).toEqual([`capture@${FrameTuning.maxScale}`]);
  });

  it("holds Chromium's repaint echo after a capture, and drops it when it is the same picture", async () => {
    const { p, timers, s, sent } = pacer(2);
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    p.drawn(1);
    s.onCapture(() => {
      // The capture makes Chromium repaint: an identical frame arrives during the hold.
      p.deliver(s.stream, frame(2, "a"));
      return frame(0, "sharp");
    });
    await timers.advance(FrameTuning.idleMs + 20);
    await timers.advance(ECHO_SETTLE_MS + 10);
    expect(s.log).toContain("skip 2");
    // The sharp picture goes out, and the echo after it does not replace it with a blurrier copy.
    expect(sent).toEqual(["1:a", "101:sharp"]);
  });

  it("sends a held frame that really changed, instead of the stale sharp one", async () => {
    const { p, timers, s, sent } = pacer(2);
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    p.drawn(1);
    s.onCapture(() => {
      p.deliver(s.stream, frame(2, "changed"));
      return frame(0, "sharp");
    });
    await timers.advance(FrameTuning.idleMs + 20);
    await timers.advance(ECHO_SETTLE_MS + 10);
    expect(sent).toEqual(["1:a", "101:changed"]);
  });

  it("ends a hold at once on input, so what the input changes shows without waiting", async () => {
    const { p, timers, s, sent } = pacer(2);
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    p.drawn(1);
    let release!: (f: ScreencastFrame) => void;
    s.stream.sharpFrame = () => new Promise((r) => (release = r));
    await timers.advance(FrameTuning.idleMs + 20);
    p.deliver(s.stream, frame(2, "typed"));
    p.input();
    expect(sent).toEqual(["1:a", "101:typed"]);
    release(frame(0, "sharp"));
    await flush();
    // The capture that finished after the input is stale and is not sent.
    expect(sent).toEqual(["1:a", "101:typed"]);
  });

  it("rests at 1× for a phone of density 1: one capture once it pauses, where only the quality rises", async () => {
    const { p, timers, s, sent } = pacer(1);
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    p.drawn(1);
    await timers.advance(5_000);
    expect(s.log.filter((l) => l.startsWith("capture"))).toEqual(["capture@1"]);
    expect(sent).toEqual(["1:a", "101:sharp"]);
  });

  it("sends no resting frame on a slow link, where its bytes would cost most", async () => {
    const { p, timers, s, sent } = pacer(3);
    s.setLast(frame(1, "a"));
    for (let seq = 1; seq <= 6; seq++) {
      p.deliver(s.stream, frame(seq, "a"));
      await timers.advance(FrameTuning.slowMs * 2);
      p.drawn(seq);
    }
    await timers.advance(5_000);
    expect(s.log.some((l) => l.startsWith("capture"))).toBe(false);
    expect(sent).toHaveLength(6);
  });

  it("sends no resting frame for a view too large to capture at 1× within the bound", async () => {
    const { p, timers, s, sent } = pacer(1, { width: 2600, height: 1600 });
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    p.drawn(1);
    await timers.advance(5_000);
    expect(s.log.some((l) => l.startsWith("capture"))).toBe(false);
    expect(sent).toEqual(["1:a"]);
  });

  it("drops a resting capture still queued behind other tuning when the person acts meanwhile", async () => {
    const { p, timers, s, sent } = pacer(3);
    s.setLast(frame(1, "a"));
    p.deliver(s.stream, frame(1, "a"));
    let finishResize: () => void = () => undefined;
    void p.afterTuning(() => new Promise<void>((resolve) => (finishResize = resolve)));
    p.drawn(1);
    await timers.advance(FrameTuning.idleMs + 20);
    p.input();
    finishResize();
    await flush();
    p.deliver(s.stream, frame(2, "b"));
    expect(s.log.some((l) => l.startsWith("capture"))).toBe(false);
    expect(sent).toEqual(["1:a", "2:b"]);
  });

  it("passes the phone's draws on to the frame source", () => {
    const { p, s } = pacer();
    p.drawn(7);
    expect(s.log).toContain("drawn 7");
  });
});
