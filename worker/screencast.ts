/**
 * The CDP screencast of the handoff page, paced by the phone. Chromium lets only 3 frames go
 * unacknowledged and never produces the frames it skips while that budget is full, so tying its acks
 * to the phone's draws made every keystroke on a page that animates wait for older frames' whole
 * round trip through the relay and the phone. Chromium is therefore acknowledged as soon as a frame
 * arrives, and the pacing towards the phone happens here: at most FRAMES_TO_PHONE frames are on their
 * way or being drawn; a frame that comes while they are waits in a one-frame mailbox, replaced by any
 * newer one (latest wins), and goes when the phone draws. A slow phone still gets fewer, fresher
 * frames, never a queue. The last frame is kept for a viewer that (re)connects.
 */
import type { CDPSession } from "playwright-core";
import { systemTimers, type TimerHandle, type Timers } from "./session/timers";

export interface ScreencastFrame {
  seq: number;
  width: number;
  height: number;
  jpeg: Buffer;
}

export interface ScreencastOptions {
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
  /** Frame `seq` will not be sent: release it without the phone. */
  skip(seq: number): void;
  /** The newest frame produced. */
  readonly lastFrame: ScreencastFrame | null;
}

/** Frames on their way to the phone or being drawn there, at most (measured: see README "Performance"). */
export const FRAMES_TO_PHONE = 2;

/**
 * A frame the phone has not acknowledged in this long is taken as lost — the relay drops frames for
 * a phone that cannot keep up, and a node or Redis going away loses what was on its way — so the
 * stream never waits forever for acks that will not come. Far above a draw on a slow phone.
 */
export const FRAME_LOST_AFTER_MS = 2_000;

/**
 * How Chromium is acknowledged: `on_arrival` (the default, see above), or `after_draw` — the earlier
 * design, where the phone's draw released Chromium's budget — kept so `npm run bench -- --ab` can
 * measure one against the other in the same run.
 */
export const ScreencastAcks = { mode: "on_arrival" as "on_arrival" | "after_draw" };

type ScreencastFrameEvent = { data: string; sessionId: number; metadata: { deviceWidth?: number; deviceHeight?: number } };

export class Screencast implements FrameSource {
  private seq = 0;
  private last: ScreencastFrame | null = null;
  /** Frames sent to the phone and not yet drawn there, with their CDP ack id while that is still owed. */
  private readonly inFlight = new Map<number, number | null>();
  /** When each frame in flight went to the phone. */
  private readonly sentAt = new Map<number, number>();
  /** The newest frame that waits for room to the phone (on_arrival only). */
  private mailbox: ScreencastFrame | null = null;
  private isViewerReady = false;
  private isRunning = false;

  /** Looks for lost frames while any is in flight. */
  private lossTimer: TimerHandle | undefined;

  constructor(
    private readonly cdp: CDPSession,
    private readonly deliver: (frame: ScreencastFrame) => void,
    private readonly nextSeq: () => number = () => (this.seq = (this.seq + 1) >>> 0),
    private readonly timers: Timers = systemTimers,
  ) {
    cdp.on("Page.screencastFrame", (event) => this.onFrame(event));
  }

  /** A frame from Chromium (the bench's trace times its arrival here). */
  private onFrame(event: ScreencastFrameEvent): void {
    const jpeg = Buffer.from(event.data, "base64");
    // A repaint that changed nothing (Chromium sends some, e.g. after a screenshot) is not news:
    // sending it would cost bandwidth and replace a sharper picture of the same page.
    if (this.last && this.isViewerReady && this.last.jpeg.equals(jpeg)) {
      void this.ack(event.sessionId);
      return;
    }
    const frame: ScreencastFrame = {
      seq: this.nextSeq(),
      width: Math.round(event.metadata.deviceWidth ?? 0),
      height: Math.round(event.metadata.deviceHeight ?? 0),
      jpeg,
    };
    this.last = frame;
    if (!this.isViewerReady) {
      void this.ack(event.sessionId);
      return;
    }
    if (ScreencastAcks.mode === "after_draw") {
      this.inFlight.set(frame.seq, event.sessionId);
      this.sent(frame);
      return;
    }
    void this.ack(event.sessionId);
    this.mailbox = frame;
    this.flush();
  }

  /** Sends the waiting frame if the phone has room for it. */
  private flush(): void {
    const frame = this.mailbox;
    if (!frame || !this.isViewerReady || this.inFlight.size >= FRAMES_TO_PHONE) return;
    this.mailbox = null;
    this.inFlight.set(frame.seq, null);
    this.sent(frame);
  }

  private sent(frame: ScreencastFrame): void {
    this.sentAt.set(frame.seq, this.timers.now());
    this.deliver(frame);
    this.watchForLoss();
  }

  /** Frames in flight past FRAME_LOST_AFTER_MS are given up on; the newest waiting frame goes then. */
  private watchForLoss(): void {
    if (this.lossTimer || this.inFlight.size === 0) return;
    this.lossTimer = this.timers.setTimeout(() => {
      this.lossTimer = undefined;
      const now = this.timers.now();
      for (const [seq, at] of this.sentAt) if (now - at >= FRAME_LOST_AFTER_MS) this.forget(seq);
      this.flush();
      this.watchForLoss();
    }, FRAME_LOST_AFTER_MS / 4);
  }

  private forget(seq: number): void {
    const sessionId = this.inFlight.get(seq) ?? null;
    this.inFlight.delete(seq);
    this.sentAt.delete(seq);
    if (sessionId !== null) void this.ack(sessionId);
  }

  async start(options: ScreencastOptions): Promise<void> {
    if (this.isRunning) await this.cdp.send("Page.stopScreencast").catch(() => undefined);
    this.isRunning = true;
    await this.cdp.send("Page.startScreencast", {
      format: "jpeg",
      quality: options.quality,
      maxWidth: options.maxWidth,
      maxHeight: options.maxHeight,
      everyNthFrame: 1,
    });
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    this.releaseAll();
    await this.cdp.send("Page.stopScreencast").catch(() => undefined);
  }

  /** A viewer is connected and drawing: frames now wait for its acks. Re-sends the last frame. */
  viewerReady(): ScreencastFrame | null {
    this.isViewerReady = true;
    return this.last;
  }

  /** The viewer left: release every held frame so Chromium keeps producing them. */
  viewerGone(): void {
    this.isViewerReady = false;
    this.releaseAll();
  }

  get lastFrame(): ScreencastFrame | null {
    return this.last;
  }

  skip(seq: number): void {
    if (!this.inFlight.has(seq)) return;
    this.forget(seq);
    this.flush();
  }

  /** The phone drew frame `seq`: it and every older one still held are done with. */
  drawn(seq: number): void {
    for (const s of [...this.inFlight.keys()]) if (s <= seq || (seq < 16 && s > 0xfffffff0)) this.forget(s);
    this.flush();
  }

  private releaseAll(): void {
    for (const sessionId of this.inFlight.values()) if (sessionId !== null) void this.ack(sessionId);
    this.inFlight.clear();
    this.sentAt.clear();
    this.mailbox = null;
    this.timers.clearTimeout(this.lossTimer);
    this.lossTimer = undefined;
  }

  private async ack(sessionId: number): Promise<void> {
    await this.cdp.send("Page.screencastFrameAck", { sessionId }).catch(() => undefined);
  }
}
