/**
 * The CDP screencast of the handoff page, paced by the phone. Chromium lets only a few frames go
 * unacknowledged; we acknowledge a frame only when the phone says it has drawn it (or when no phone
 * is watching), so a slow phone gets fewer, fresher frames instead of a growing queue. The last
 * frame is kept for a viewer that (re)connects.
 */
import type { CDPSession } from "playwright-core";

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

export class Screencast implements FrameSource {
  private seq = 0;
  private last: ScreencastFrame | null = null;
  /** CDP ack ids of frames sent to the phone and not yet drawn there. */
  private readonly inFlight = new Map<number, number>();
  private isViewerReady = false;
  private isRunning = false;

  constructor(
    private readonly cdp: CDPSession,
    private readonly deliver: (frame: ScreencastFrame) => void,
    private readonly nextSeq: () => number = () => (this.seq = (this.seq + 1) >>> 0),
  ) {
    cdp.on("Page.screencastFrame", (event) => {
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
      this.inFlight.set(frame.seq, event.sessionId);
      this.deliver(frame);
    });
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
    const sessionId = this.inFlight.get(seq);
    if (sessionId === undefined) return;
    this.inFlight.delete(seq);
    void this.ack(sessionId);
  }

  /** The phone drew frame `seq`: acknowledge it and every older one still held. */
  drawn(seq: number): void {
    for (const [s, sessionId] of this.inFlight) {
      if (s <= seq || (seq < 16 && s > 0xfffffff0)) {
        this.inFlight.delete(s);
        void this.ack(sessionId);
      }
    }
  }

  private releaseAll(): void {
    for (const sessionId of this.inFlight.values()) void this.ack(sessionId);
    this.inFlight.clear();
  }

  private async ack(sessionId: number): Promise<void> {
    await this.cdp.send("Page.screencastFrameAck", { sessionId }).catch(() => undefined);
  }
}
