/**
 * Which frames go to the phone, and when: every screencast frame while the person acts, then — once
 * they pause and the page itself has been still for a moment — one resting frame at the phone's
 * pixel density and the resting quality, so text reads sharp (the screencast itself stays at CSS
 * size and the moving quality, see page-stream.ts and frame-tuner.ts).
 *
 * Around a sharp capture Chromium repaints (measured: one or two frames within ~10 ms, the last one
 * byte-identical to the frame before the capture). Those frames are held, and once the repaint has
 * settled only a held frame that differs from the one before the capture is sent: the sharp picture
 * is not replaced by a blurrier copy of itself, and a real change is not lost.
 *
 * Quality and scale come from the pure FrameTuner; time and timers are passed in.
 */
import { FrameTuner, FrameTuning, type FrameSettings } from "../frame-tuner";
import type { PageStream } from "../page-stream";
import type { ScreencastFrame } from "../screencast";
import type { TimerHandle, Timers } from "./timers";

/** A sharp frame is at most this many pixels (≈ a 3× phone screen) and this many bytes (the relay takes 1 MiB). */
const MAX_SHARP_PIXELS = 4_000_000;
const MAX_SHARP_BYTES = 900 * 1024;
/** Sharp captures tried since the last input; a page that never settles gets a few tries, not a capture loop. */
const MAX_SHARP_ATTEMPTS = 6;
/** How long frames are held after a sharp capture for Chromium's repaint to settle. */
export const ECHO_SETTLE_MS = 250;

/** What the pacer needs of a page's stream. */
export type PacedStream = Pick<PageStream, "needsTune" | "tune" | "sharpFrame"> & { source: Pick<PageStream["source"], "skip" | "drawn" | "lastFrame"> };

export interface FramePacerDeps {
  timers: Timers;
  /** The stream on view now (the login page or a popup). */
  current(): PacedStream;
  viewport(): { width: number; height: number };
  isViewerConnected(): boolean;
  /** Seals and sends a frame to the phone. */
  send(frame: ScreencastFrame): void;
  /** The next frame number (numbers run on across pages). */
  nextSeq(): number;
}

/** What the phone shows of the page as it is now. */
type Sharpness = "css_size" | "capturing" | "sharp";

/** Frames held while a sharp capture settles, and the frame the phone had before it. */
interface EchoHold {
  baseline: Buffer | null;
  held: ScreencastFrame | null;
}

export class FramePacer {
  private tuner = new FrameTuner(1);
  /** What the phone said it decodes, for the tuner of each (re)connection. */
  private decodesWebp = false;
  private sharpness: Sharpness = "css_size";
  private attempts = 0;
  private hold: EchoHold | null = null;
  private lastScreencastFrameAt = 0;
  private tuning: Promise<unknown> = Promise.resolve();
  private timer: { handle: TimerHandle; at: number } | null = null;

  constructor(private readonly deps: FramePacerDeps) {}

  settings(): FrameSettings {
    return this.tuner.settings();
  }

  /** Sends `frame` as the newest picture (the tuner times its round trip). */
  emit(frame: ScreencastFrame): void {
    this.tuner.frameSent(frame.seq, this.deps.timers.now(), frame.image.length);
    this.deps.send(frame);
  }

  /** A screencast frame of `stream`: sent, held around a sharp capture, or ignored (not on view). */
  deliver(stream: PacedStream, frame: ScreencastFrame): void {
    if (stream !== this.deps.current()) return;
    if (this.hold) {
      this.hold.held = frame;
      stream.source.skip(frame.seq);
      return;
    }
    this.sharpness = "css_size";
    this.lastScreencastFrameAt = this.deps.timers.now();
    this.emit(frame);
  }

  /** The phone drew frame `seq`. */
  drawn(seq: number): void {
    this.tuner.frameDrawn(seq, this.deps.timers.now());
    this.deps.current().source.drawn(seq);
    void this.retune();
  }

  /** The person touched or typed: frames go at 1× again, and what the input changes shows at once. */
  input(): void {
    this.tuner.input(this.deps.timers.now());
    this.attempts = 0;
    const held = this.hold?.held;
    this.hold = null;
    if (held) this.sendHeld(held);
    void this.retune();
  }

  /** A (re)connected viewer (its density) or a resize: the phone's picture starts over at CSS size. */
  viewerChanged(density: number | null): void {
    if (density !== null) this.tuner = new FrameTuner(density, this.decodesWebp);
    this.restart();
  }

  /** The phone said which formats beyond JPEG it decodes: on a slow link, frames may go as WebP. */
  phoneDecodes(formats: { webp: boolean }): void {
    this.decodesWebp = formats.webp;
    this.tuner.phoneDecodesWebp(formats.webp);
    void this.retune();
  }

  /**
   * The picture starts over: another page came on view, or (through viewerChanged) a phone said hello
   * or resized. The first frames come from the screencast; a sharp capture waits until the page has
   * been still for a moment, as after any frame (one taken at once held the first frames of a page
   * that animates for the whole capture and its settling: measured ≈ 450 ms).
   */
  restart(): void {
    this.sharpness = "css_size";
    this.attempts = 0;
    this.lastScreencastFrameAt = this.deps.timers.now();
  }

  /**
   * Runs `work` after any frame tuning in flight: a resize running beside a sharp capture would give
   * a picture clipped to the old size, sent as the new one.
   */
  afterTuning<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tuning.then(work);
    this.tuning = result.catch(ignoreFailedTuning);
    return result;
  }

  /** Applies the tuner's current choice, and comes back when the pause after input is over. */
  retune(): Promise<unknown> {
    const now = this.deps.timers.now();
    const stream = this.deps.current();
    const settings = this.tuner.settings();
    // Runs on every frame ack: queue work only when something is to change.
    if (stream.needsTune(settings)) this.tuning = this.tuning.then(() => stream.tune(settings)).catch(ignoreFailedTuning);
    let next = this.tuner.nextChangeAt(now);
    const scale = this.tuner.restingScale(now);
    if (scale !== null && this.sharpness === "css_size" && this.attempts < MAX_SHARP_ATTEMPTS && this.deps.isViewerConnected()) {
      // Only once the page itself has been still for a moment: a page that keeps repainting (a
      // spinner, a countdown; carets are kept lit, see steady-caret.ts) gets its changes at 1× and the
      // moving quality, and a few tries at most.
      const quietAt = this.lastScreencastFrameAt + FrameTuning.idleMs;
      if (now >= quietAt) this.captureSharp(stream, scale);
      else next = Math.min(next ?? quietAt, quietAt);
    }
    if (next !== null) this.schedule(next - now + 5);
    return this.tuning;
  }

  stop(): void {
    if (this.timer) this.deps.timers.clearTimeout(this.timer.handle);
    this.timer = null;
  }

  private captureSharp(stream: PacedStream, scale: number): void {
    this.sharpness = "capturing";
    this.attempts += 1;
    this.tuning = this.tuning
      .then(() => this.sendSharpFrame(stream, scale))
      .catch(ignoreFailedTuning)
      .finally(() => {
        if (this.sharpness === "capturing") this.sharpness = "css_size";
        if (this.sharpness !== "sharp") this.schedule(FrameTuning.idleMs);
      });
  }

  private schedule(inMs: number): void {
    const { timers } = this.deps;
    const at = timers.now() + inMs;
    if (this.timer && Math.abs(at - this.timer.at) < 10) return;
    if (this.timer) timers.clearTimeout(this.timer.handle);
    const handle = timers.setTimeout(() => {
      this.timer = null;
      void this.retune();
    }, inMs);
    this.timer = { handle, at };
  }

  /** During a pause, the same picture again at the phone's density and the resting quality, unless something newer came. */
  private async sendSharpFrame(stream: PacedStream, scale: number): Promise<void> {
    // Queued behind other tuning: the person may have acted, or the link slowed, since it was asked for.
    if (stream !== this.deps.current() || this.tuner.restingScale(this.deps.timers.now()) === null) return;
    const { width, height } = this.deps.viewport();
    // Bounded work and size, whatever view size the phone asks for: a sharp frame must fit the relay.
    if (width * height * scale * scale > MAX_SHARP_PIXELS) scale = Math.sqrt(MAX_SHARP_PIXELS / (width * height));
    if (scale < 1) return;
    const hold: EchoHold = { baseline: stream.source.lastFrame?.image ?? null, held: null };
    this.hold = hold;
    let frame: ScreencastFrame;
    try {
      frame = await stream.sharpFrame(scale, 0);
    } finally {
      this.deps.timers.setTimeout(() => this.endHold(hold), ECHO_SETTLE_MS);
    }
    const isStale = stream !== this.deps.current() || this.tuner.restingScale(this.deps.timers.now()) === null || this.hold !== hold;
    const changedMeanwhile = hold.held !== null && !isSamePicture(hold.held, hold.baseline);
    if (isStale || changedMeanwhile || frame.image.length > MAX_SHARP_BYTES) return;
    frame.seq = this.deps.nextSeq();
    this.sharpness = "sharp";
    this.emit(frame);
  }

  private endHold(hold: EchoHold): void {
    if (this.hold !== hold) return;
    this.hold = null;
    if (hold.held && !isSamePicture(hold.held, hold.baseline)) this.sendHeld(hold.held);
  }

  private sendHeld(frame: ScreencastFrame): void {
    this.sharpness = "css_size";
    this.lastScreencastFrameAt = this.deps.timers.now();
    frame.seq = this.deps.nextSeq();
    this.emit(frame);
  }
}

function isSamePicture(frame: ScreencastFrame, baseline: Buffer | null): boolean {
  return baseline !== null && frame.image.equals(baseline);
}

/** A tuning step failed because the page closed or navigated mid-capture: the next one starts afresh. */
function ignoreFailedTuning(): void {}
