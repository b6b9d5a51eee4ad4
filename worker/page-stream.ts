/**
 * One page of the handoff as the phone sees it: its CDP session, its frame source and its input
 * driver. The handoff streams one page at a time — the login page, or an OAuth popup it opened —
 * and switches back when the popup closes.
 */
import type { CDPSession, Page } from "playwright-core";
import type { ToPhoneMessage } from "../lib/protocol/stream";
import { type FrameSettings, FrameTuning, type ImageFormat } from "./frame-tuner";
import { InputDriver } from "./input-driver";
import { measureRasterScale } from "./raster-scale";
import { type FrameSource, Screencast, type ScreencastFrame } from "./screencast";
import { ScreenshotPoller } from "./screenshot-poller";
import type { FrameSourceKind } from "./types";

export interface PageStreamOptions {
  frameSource?: FrameSourceKind;
  deliver: (frame: ScreencastFrame) => void;
  /** Frame numbers run on across pages, so an ack meant for one page never releases another's frames. */
  nextSeq: () => number;
}

export class PageStream {
  private viewport = { width: 0, height: 0 };
  private settings: FrameSettings = { quality: FrameTuning.movingQuality, format: "jpeg" };
  private isShown = false;
  /** Device pixels per CSS pixel the browser itself draws at, once measured (see rasterScale). */
  private raster: Promise<number> | null = null;
  /** The same, once known (1 until then). */
  private drawsAt = 1;

  private constructor(
    readonly page: Page,
    readonly cdp: CDPSession,
    readonly source: FrameSource,
    readonly input: InputDriver,
  ) {}

  static async open(page: Page, options: PageStreamOptions): Promise<PageStream> {
    const cdp = await page.context().newCDPSession(page);
    const { deliver, nextSeq } = options;
    const kind = options.frameSource ?? "adaptive";
    if (kind === "screenshots") return new PageStream(page, cdp, new ScreenshotPoller(page, cdp, deliver, nextSeq), new InputDriver(page, cdp));
    // The source captures through the stream, which knows the view's size and where it is scrolled to.
    let stream: PageStream | null = null;
    const capture = kind === "adaptive" ? (quality: number, format: ImageFormat) => stream!.capture(1, quality, format) : undefined;
    const capturesPay = () => (stream?.drawsAt ?? 1) > 1;
    stream = new PageStream(page, cdp, new Screencast({ cdp, deliver, nextSeq, capture, capturesPay }), new InputDriver(page, cdp));
    return stream;
  }

  /** Sizes the page to the phone's view and starts its frames; returns the frame to show first. */
  async show(viewport: { width: number; height: number }, settings: FrameSettings, isViewerReady: boolean): Promise<ScreencastFrame | null> {
    const current = this.page.viewportSize();
    if (current?.width !== viewport.width || current?.height !== viewport.height)
      await this.page.setViewportSize({ width: viewport.width, height: viewport.height });
    this.viewport = { width: viewport.width, height: viewport.height };
    this.isShown = true;
    void this.rasterScale();
    await this.startFrames(settings);
    return isViewerReady ? this.source.viewerReady() : null;
  }

  /** True when `settings` would change the running frames (checked on every ack, so kept cheap). */
  needsTune(settings: FrameSettings): boolean {
    return this.isShown && (settings.quality !== this.settings.quality || settings.format !== this.settings.format);
  }

  /** Applies a new image format or quality if it differs from the running one. */
  async tune(settings: FrameSettings): Promise<void> {
    if (!this.needsTune(settings)) return;
    await this.startFrames(settings);
  }

  /**
   * The page as it is now, drawn at `scale` × its CSS size at the resting quality: the picture a
   * phone keeps while the person pauses. Chromium's screencast delivers frames at CSS size only
   * (measured: headless Chromium 156, whatever the device scale factor), so a sharp picture for a
   * high-density phone is a screenshot; at density 1 it is the same size, at a higher quality.
   */
  async sharpFrame(scale: number, seq: number): Promise<ScreencastFrame> {
    return { seq, ...(await this.capture(scale, FrameTuning.restingQuality, "jpeg")) };
  }

  /** Applies the phone's input to this page, then tells its frames (they tell its echo from the page's own). */
  async apply(message: Parameters<InputDriver["apply"]>[0]): Promise<void> {
    await this.input.apply(message);
    this.source.input();
  }

  /**
   * The view as it is now, at `scale` × its CSS size: where the browser draws at CSS size, the
   * viewport itself; otherwise a clip, which is in document coordinates — at (0, 0) a scrolled page
   * gives a blank picture that, on a still page, nothing ever repaints — so where the visual viewport
   * is now.
   */
  async capture(scale: number, quality: number, format: ImageFormat): Promise<Omit<ScreencastFrame, "seq">> {
    const { width, height } = this.viewport;
    const raster = await this.rasterScale();
    const clip = scale === 1 && raster === 1 ? undefined : { ...(await this.viewPosition()), width, height, scale: scale / raster };
    const shot = await this.cdp.send("Page.captureScreenshot", { format, quality, ...(clip ? { clip } : {}) });
    return { width, height, image: Buffer.from(shot.data, "base64") };
  }

  private async viewPosition(): Promise<{ x: number; y: number }> {
    const { cssVisualViewport: at } = await this.cdp.send("Page.getLayoutMetrics");
    return { x: at.pageX, y: at.pageY };
  }

  /**
   * A clip's scale multiplies the density the browser draws at (see raster-scale.ts): without this, a
   * browser at --force-device-scale-factor=3 made each pause's sharp frame a ~10 Mpx capture, then
   * refused it as too large. Measured once per page.
   */
  private rasterScale(): Promise<number> {
    this.raster ??= measureRasterScale(this.cdp).then(
      (scale) => (this.drawsAt = scale),
      () => {
        // Not measurable now (the page is navigating): measure again on the next capture.
        this.raster = null;
        return 1;
      },
    );
    return this.raster;
  }

  private async startFrames(settings: FrameSettings): Promise<void> {
    this.settings = settings;
    const { width, height } = this.viewport;
    await this.source.start({ format: settings.format, quality: settings.quality, maxWidth: width, maxHeight: height });
  }

  async pageInfo(isPopup: boolean): Promise<Extract<ToPhoneMessage, { t: "page" }>> {
    const url = new URL(this.page.url());
    const history = await this.cdp.send("Page.getNavigationHistory").catch(() => ({ currentIndex: 0 }));
    const title = await this.page.title().catch(() => "");
    return { t: "page", origin: url.origin, isSecure: url.protocol === "https:", title: title.slice(0, 200), canGoBack: history.currentIndex > 0, isPopup };
  }

  async stop(): Promise<void> {
    this.isShown = false;
    this.input.stop();
    await this.source.stop();
  }
}
