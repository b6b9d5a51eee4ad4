/**
 * One page of the handoff as the phone sees it: its CDP session, its frame source and its input
 * driver. The handoff streams one page at a time — the login page, or an OAuth popup it opened —
 * and switches back when the popup closes.
 */
import type { CDPSession, Page } from "playwright";
import type { ToPhoneMessage } from "../lib/protocol/stream";
import { InputDriver } from "./input-driver";
import { type FrameSource, Screencast, type ScreencastFrame, type ScreencastOptions } from "./screencast";
import { ScreenshotPoller } from "./screenshot-poller";

export interface PageStreamOptions {
  frameSource?: "screencast" | "screenshots";
  deliver: (frame: ScreencastFrame) => void;
  /** Frame numbers run on across pages, so an ack meant for one page never releases another's frames. */
  nextSeq: () => number;
}

export class PageStream {
  private constructor(
    readonly page: Page,
    readonly cdp: CDPSession,
    readonly source: FrameSource,
    readonly input: InputDriver,
  ) {}

  static async open(page: Page, options: PageStreamOptions): Promise<PageStream> {
    const cdp = await page.context().newCDPSession(page);
    const source =
      options.frameSource === "screenshots" ? new ScreenshotPoller(page, options.deliver, options.nextSeq) : new Screencast(cdp, options.deliver, options.nextSeq);
    return new PageStream(page, cdp, source, new InputDriver(page, cdp));
  }

  /** Sizes the page to the phone's view and starts its frames; returns the frame to show first. */
  async show(viewport: { width: number; height: number }, options: Omit<ScreencastOptions, "maxWidth" | "maxHeight">, isViewerReady: boolean): Promise<ScreencastFrame | null> {
    const current = this.page.viewportSize();
    if (current?.width !== viewport.width || current?.height !== viewport.height) await this.page.setViewportSize(viewport);
    await this.source.start({ ...options, maxWidth: viewport.width, maxHeight: viewport.height });
    return isViewerReady ? this.source.viewerReady() : null;
  }

  async pageInfo(): Promise<Extract<ToPhoneMessage, { t: "page" }>> {
    const url = new URL(this.page.url());
    const history = await this.cdp.send("Page.getNavigationHistory").catch(() => ({ currentIndex: 0 }));
    const title = await this.page.title().catch(() => "");
    return { t: "page", origin: url.origin, isSecure: url.protocol === "https:", title: title.slice(0, 200), canGoBack: history.currentIndex > 0 };
  }

  async stop(): Promise<void> {
    await this.source.stop();
  }
}
