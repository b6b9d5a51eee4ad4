/**
 * The frames of the handoff page. On a page that is still or changes now and then, Chromium's
 * screencast: it sends a frame when something repaints, so an idle page costs nothing. Chromium lets
 * only a few frames go unacknowledged and never produces the ones it skips meanwhile, so it is
 * acknowledged as each frame arrives and the phone is paced here (frames-to-phone.ts).
 *
 * On a page that repaints all the time (a spinner, a moving background), the screencast makes
 * Chromium capture and encode every frame it paints, and where the browser draws at more than CSS
 * size the frame that shows a keystroke queues behind them: measured at 3×, a screenshot taken when
 * the phone has room showed a key in half the time of the screencast, while at 1× the screencast
 * kept up and was the sooner (README "Performance"). So there, once the page's own frames keep coming
 * faster than ANIMATING_FPS, the screencast stops and the page is captured whenever the phone has
 * room for a frame, one capture at a time (a second one begun at each input, to show it sooner, made
 * keystrokes and taps slower: measured, README "Performance"); once a few captures in a row are the
 * same picture, the page is still again and the screencast takes over. The last frame is kept for a
 * viewer that (re)connects.
 */
import type { CDPSession } from "playwright-core";
import type { ImageFormat } from "./frame-tuner";
import { FramesToPhone } from "./frames-to-phone";
import { showsWholeView } from "./picture-shape";
import { systemTimers, type Timers, withDeadline } from "./session/timers";
import { WebpSupport } from "./webp-support";

export { FRAME_LOST_AFTER_MS, FRAMES_TO_PHONE } from "./frames-to-phone";

export interface ScreencastFrame {
  seq: number;
  width: number;
  height: number;
  image: Buffer;
}

export interface ScreencastOptions {
  format: ImageFormat;
  quality: number;
  maxWidth: number;
  maxHeight: number;
}

/** Where the handoff's frames come from; the session paces any source with the phone's acks. */
export interface FrameSource {
  start(options: ScreencastOptions): Promise<void>;
  stop(): Promise<void>;
  /** A viewer is connected and drawing; returns the last frame to re-send to it. */
  viewerReady(): ScreencastFrame | null;
  viewerGone(): void;
  /** The phone drew frame `seq`. */
  drawn(seq: number): void;
  /** The person touched or typed (the frames that follow are its echo, not the page's own). */
  input(): void;
  /** Frame `seq` will not be sent: release it without the phone. */
  skip(seq: number): void;
  /** The newest frame produced. */
  readonly lastFrame: ScreencastFrame | null;
}

/** The page on view as it is now, at CSS size, in `format` at `quality`. */
export type CaptureView = (quality: number, format: ImageFormat) => Promise<Omit<ScreencastFrame, "seq">>;

/**
 * A page painting at least this many distinct frames a second of its own, over ANIMATING_WINDOW_MS,
 * animates. Up to ECHO_FRAMES frames per input applied meanwhile are its echo and do not count: a
 * still page typed into fast repaints as often, and there the screencast shows each key sooner than
 * a capture does.
 */
export const ANIMATING_FPS = 16;
export const ANIMATING_WINDOW_MS = 500;
export const ECHO_FRAMES = 1;
/** This many identical captures in a row: the page is still, and the screencast takes over again. */
export const STILL_CAPTURES = 3;
/** A capture not back in this long is given up on, and the screencast takes over (a renderer that hangs). */
export const CAPTURE_TIMEOUT_MS = 1_000;
/** After a capture failed (the page navigates, or hangs), this long on the screencast before captures again. */
export const CAPTURES_PAUSE_AFTER_FAILURE_MS = 2_000;

export type FrameMode = "screencast" | "captures";

export interface ScreencastDeps {
  cdp: CDPSession;
  deliver(frame: ScreencastFrame): void;
  nextSeq?: () => number;
  timers?: Timers;
  /** Captures the page on view; without it the screencast runs whatever the page does. */
  capture?: CaptureView;
  /** Whether captures would show the page sooner than the screencast (the browser draws at more than CSS size). */
  capturesPay?: () => boolean;
}

type ScreencastFrameEvent = { data: string; sessionId: number };

export class Screencast implements FrameSource {
  private seq = 0;
  private last: ScreencastFrame | null = null;
  private readonly toPhone: FramesToPhone;
  private readonly timers: Timers;
  private readonly nextSeq: () => number;
  private isViewerReady = false;
  private options: ScreencastOptions | null = null;
  private frameMode: FrameMode = "screencast";
  /** When the recent distinct screencast frames, and the recent inputs, came: to tell an animating page. */
  private arrivals: number[] = [];
  private inputs: number[] = [];
  private isCapturing = false;
  /** Counts each switch to captures and each stop, so a capture from an earlier stretch is never taken for one of this. */
  private stretch = 0;
  private sameCaptures = 0;
  private noCapturesUntil = -Infinity;
  /** The options Chromium's screencast runs with now (null: stopped), and the queue that changes it. */
  private castingWith: ScreencastOptions | null = null;
  private casting: Promise<void> = Promise.resolve();
  private readonly webp = new WebpSupport();

  constructor(private readonly deps: ScreencastDeps) {
    this.timers = deps.timers ?? systemTimers;
    this.nextSeq = deps.nextSeq ?? (() => (this.seq = (this.seq + 1) >>> 0));
    this.toPhone = new FramesToPhone(
      (frame) => deps.deliver(frame),
      this.timers,
      () => this.pump(),
    );
    deps.cdp.on("Page.screencastFrame", (event) => this.onFrame(event));
  }

  get mode(): FrameMode {
    return this.frameMode;
  }

  /** A frame from Chromium's screencast. */
  private onFrame(event: ScreencastFrameEvent): void {
    void this.ack(event.sessionId);
    // Late frames of a screencast already stopped — for captures, which are newer, or for good — are not news.
    if (this.frameMode !== "screencast" || !this.options) return;
    const image = Buffer.from(event.data, "base64");
    // The view the screencast runs for, not the frame's metadata, which a clip's capture changes.
    const { maxWidth: width, maxHeight: height } = this.options;
    if (!showsWholeView(image, width, height)) return;
    if (this.webp.screencastFrame(this.castingWith?.format, image)) {
      // Chromium took WebP and sends something else: the next step restarts the screencast, as JPEG.
      this.castingWith = { ...this.castingWith!, format: "jpeg" };
      void this.syncScreencast().catch(() => undefined);
    }
    // A repaint that changed nothing (Chromium sends some, e.g. after a screenshot) is not news:
    // sending it would cost bandwidth and replace a sharper picture of the same page.
    if (this.last && this.isViewerReady && this.last.image.equals(image)) return;
    this.produced({ width, height, image });
    if (this.isViewerReady && this.isAnimating()) this.startCaptures();
  }

  /** A new picture of the page, from the screencast or a capture (the bench's trace times its arrival here). */
  private produced(picture: Omit<ScreencastFrame, "seq">): void {
    const frame: ScreencastFrame = { seq: this.nextSeq(), ...picture };
    this.last = frame;
    if (this.isViewerReady) this.toPhone.offer(frame);
  }

  private isAnimating(): boolean {
    if (!this.deps.capture || !(this.deps.capturesPay?.() ?? true)) return false;
    const now = this.timers.now();
    if (now < this.noCapturesUntil) return false;
    this.arrivals.push(now);
    const since = now - ANIMATING_WINDOW_MS;
    while (this.arrivals[0] <= since) this.arrivals.shift();
    while (this.inputs.length > 0 && this.inputs[0] <= since) this.inputs.shift();
    return this.arrivals.length - ECHO_FRAMES * this.inputs.length >= (ANIMATING_FPS * ANIMATING_WINDOW_MS) / 1000;
  }

  /** Stops the screencast and captures the page each time the phone has room, until it is still. */
  private startCaptures(): void {
    if (!this.deps.capture || this.frameMode === "captures") return;
    this.frameMode = "captures";
    this.stretch += 1;
    this.isCapturing = false;
    this.arrivals = [];
    this.sameCaptures = 0;
    void this.syncScreencast().catch(() => undefined);
    this.pump();
  }

  /** Starts the next capture when the phone has room for its frame and none is under way. */
  private pump(): void {
    if (this.frameMode !== "captures" || this.isCapturing || !this.toPhone.isFree()) return;
    // Nothing on the way to the phone throws today; should it, the screencast takes over rather than a stall.
    this.captureOnce().catch(() => this.captureFailed());
  }

  private async captureOnce(): Promise<void> {
    const { capture } = this.deps;
    if (!capture || !this.options || !this.isViewerReady) return this.resumeScreencast();
    const stretch = this.stretch;
    this.isCapturing = true;
    const { format, quality } = this.webp.encoding(this.options);
    const picture = await withDeadline(capture(quality, format), CAPTURE_TIMEOUT_MS, this.timers);
    if (picture) this.webp.captured(format, picture.image);
    if (stretch !== this.stretch || this.frameMode !== "captures") return;
    this.isCapturing = false;
    // A capture that failed (the page is navigating) or hangs is the screencast's to follow.
    if (!picture) return this.captureFailed();
    if (!this.last?.image.equals(picture.image)) {
      this.sameCaptures = 0;
      this.produced(picture);
    } else if (++this.sameCaptures >= STILL_CAPTURES) return this.resumeScreencast();
    this.pump();
  }

  private captureFailed(): Promise<void> {
    this.noCapturesUntil = this.timers.now() + CAPTURES_PAUSE_AFTER_FAILURE_MS;
    return this.resumeScreencast();
  }

  private resumeScreencast(): Promise<void> {
    if (this.frameMode !== "captures") return Promise.resolve();
    this.frameMode = "screencast";
    this.stretch += 1;
    this.isCapturing = false;
    // A start that fails is tried again on the next change (see syncScreencast).
    return this.syncScreencast().catch(() => undefined);
  }

  /**
   * Brings Chromium's screencast to what is wanted when this step runs — running with the current
   * options while in screencast mode, stopped otherwise — one step at a time: a start still on its
   * way can never leave the screencast running beside captures, or on a page no longer on view.
   */
  private syncScreencast(): Promise<void> {
    const wanted = () => (this.frameMode === "screencast" ? this.options : null);
    this.casting = this.casting.then(async () => {
      if (this.castingWith && this.castingWith !== wanted()) {
        this.castingWith = null;
        await this.deps.cdp.send("Page.stopScreencast").catch(() => undefined);
      }
      // Read again: what is wanted may have changed while the stop was on its way.
      const options = wanted();
      if (!options || options === this.castingWith) return;
      // A start that fails (the page is closing) leaves it stopped; the next change tries again.
      // In the format wanted, or JPEG where this Chromium has no WebP (webp-support.ts); Playwright's
      // protocol types predate "webp" here.
      const { maxWidth, maxHeight } = options;
      await this.webp.startScreencast(options, ({ format, quality }) =>
        this.deps.cdp.send("Page.startScreencast", { format: format as "jpeg", quality, maxWidth, maxHeight, everyNthFrame: 1 }),
      );
      this.castingWith = options;
    });
    const step = this.casting;
    this.casting = step.catch(() => undefined);
    return step;
  }

  /** Starts the frames, or applies new options: the next capture uses them, or the screencast restarts with them. */
  async start(options: ScreencastOptions): Promise<void> {
    this.options = options;
    await this.syncScreencast();
  }

  async stop(): Promise<void> {
    this.options = null;
    this.frameMode = "screencast";
    this.stretch += 1;
    this.isCapturing = false;
    this.isViewerReady = false;
    this.arrivals = [];
    this.toPhone.clear();
    await this.syncScreencast().catch(() => undefined);
  }

  /** A viewer is connected and drawing: frames now go to it, paced by its acks. Re-sends the last frame. */
  viewerReady(): ScreencastFrame | null {
    this.isViewerReady = true;
    return this.last;
  }

  /** The viewer left: nothing is in flight any more, and the screencast keeps the last frame fresh. */
  viewerGone(): void {
    this.isViewerReady = false;
    this.arrivals = [];
    this.toPhone.clear();
    void this.resumeScreencast();
  }

  get lastFrame(): ScreencastFrame | null {
    return this.last;
  }

  /** An input was applied to the page: the frame that follows is its echo, not the page's own. */
  input(): void {
    this.inputs.push(this.timers.now());
    if (this.inputs.length > 256) this.inputs.shift();
  }

  skip(seq: number): void {
    this.toPhone.skip(seq);
  }

  drawn(seq: number): void {
    this.toPhone.drawn(seq);
  }

  private async ack(sessionId: number): Promise<void> {
    await this.deps.cdp.send("Page.screencastFrameAck", { sessionId }).catch(() => undefined);
  }
}
