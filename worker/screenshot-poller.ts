/**
 * The naive way to stream a page — take screenshots in a loop — kept only as the baseline that
 * `npm run bench` measures Baton's screencast against. It has the Screencast's interface and the
 * same pacing (one frame in flight until the phone has drawn it), so the comparison isolates how
 * frames are produced.
 */
import type { CDPSession, Page } from "playwright-core";
import { measureRasterScale } from "./raster-scale";
import type { FrameSource, ScreencastFrame, ScreencastOptions } from "./screencast";

export class ScreenshotPoller implements FrameSource {
  private seq = 0;
  private last: ScreencastFrame | null = null;
  private isRunning = false;
  private isViewerReady = false;
  private awaitingSeq = 0;
  private options: ScreencastOptions | null = null;
  private wake: (() => void) | null = null;

  private raster: number | null = null;

  constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly deliver: (frame: ScreencastFrame) => void,
    private readonly nextSeq: () => number = () => (this.seq = (this.seq + 1) >>> 0),
  ) {}

  start(options: ScreencastOptions): Promise<void> {
    this.options = options;
    if (this.isRunning) return Promise.resolve();
    this.isRunning = true;
    void this.loop();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.isRunning = false;
    this.wake?.();
    return Promise.resolve();
  }

  viewerReady(): ScreencastFrame | null {
    this.isViewerReady = true;
    this.awaitingSeq = 0;
    this.wake?.();
    return this.last;
  }

  viewerGone(): void {
    this.isViewerReady = false;
  }

  get lastFrame(): ScreencastFrame | null {
    return this.last;
  }

  input(): void {}

  skip(seq: number): void {
    this.drawn(seq);
  }

  drawn(seq: number): void {
    if (seq >= this.awaitingSeq) {
      this.awaitingSeq = 0;
      this.wake?.();
    }
  }

  private async loop(): Promise<void> {
    while (this.isRunning) {
      if (!this.isViewerReady || this.awaitingSeq !== 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 250);
        });
        continue;
      }
      const size = this.page.viewportSize() ?? { width: 0, height: 0 };
      const image = await this.capture(size).catch(() => null);
      if (!image || !this.isRunning) continue;
      const frame = { seq: this.nextSeq(), width: size.width, height: size.height, image };
      this.last = frame;
      this.awaitingSeq = frame.seq;
      this.deliver(frame);
    }
  }

  /** The page at CSS size whatever the browser's density, as the screencast frames are: the baseline sends what Baton sends. */
  private async capture(size: { width: number; height: number }): Promise<Buffer> {
    this.raster ??= await measureRasterScale(this.cdp);
    // At the document origin: the baseline streams the bench page, which does not scroll.
    const clip = { x: 0, y: 0, width: size.width, height: size.height, scale: 1 / this.raster };
    const shot = await this.cdp.send("Page.captureScreenshot", { format: "jpeg", quality: this.options?.quality ?? 60, clip });
    return Buffer.from(shot.data, "base64");
  }
}
