/**
 * The pages the phone can see: the login page, and on top of it any popup it opened (an OAuth
 * window), newest last. The phone sees the top one; when a popup closes, the one below comes back
 * at the phone's size with a first frame. Each page remembers the field boxes it last reported, so a
 * page shown again starts from its own.
 */
import type { Page } from "playwright-core";
import type { RemoteBox, ToPhoneMessage } from "../../lib/protocol/stream";
import { PageStream } from "../page-stream";
import type { FrameSourceKind } from "../types";
import type { FramePacer } from "./frame-pacer";

export interface StreamStackDeps {
  pacer: FramePacer;
  send(message: ToPhoneMessage): void;
  nextSeq(): number;
  frameSource?: FrameSourceKind;
}

export type Viewport = { width: number; height: number; dpr: number };

/** The phone's view: whether one is connected, and its size in CSS pixels with its density. */
export interface Viewer {
  isConnected: boolean;
  viewport: Viewport;
}

export class StreamStack {
  private readonly streams: PageStream[] = [];
  private readonly editables = new WeakMap<Page, RemoteBox[]>();
  private top!: PageStream;
  private mainPage!: Page;
  private phone: Viewer = { isConnected: false, viewport: { width: 390, height: 844, dpr: 1 } };

  constructor(private readonly deps: StreamStackDeps) {}

  /** The stream on view. */
  get current(): PageStream {
    return this.top;
  }

  get viewer(): Viewer {
    return this.phone;
  }

  /** The phone went away: frames wait for the next one (the screencast keeps only the newest). */
  viewerGone(): void {
    this.phone = { ...this.phone, isConnected: false };
    this.top?.source.viewerGone();
  }

  /**
   * A phone said hello (first view, or back after a drop) or resized: the page takes the phone's
   * size, and a hello gets the page's facts and the last frame again at once.
   */
  async view(viewport: Viewport, isHello: boolean): Promise<void> {
    const was = this.phone.viewport;
    const changed = viewport.width !== was.width || viewport.height !== was.height || viewport.dpr !== was.dpr;
    this.phone = { isConnected: this.phone.isConnected || isHello, viewport };
    const { pacer } = this.deps;
    const send = (message: ToPhoneMessage) => this.deps.send(message);
    pacer.viewerChanged(isHello ? viewport.dpr : null);
    const stream = this.top;
    const first = changed || isHello ? await pacer.afterTuning(() => stream.show(viewport, pacer.settings(), isHello)) : null;
    send({ t: "viewport", width: viewport.width, height: viewport.height });
    if (!isHello) return;
    await this.sendPageInfo();
    send({ t: "editables", boxes: this.boxesOnView() });
    if (first) pacer.emit(first);
    void pacer.retune();
  }

  /** Starts with the login page. */
  async start(page: Page): Promise<void> {
    this.mainPage = page;
    this.top = await this.open(page);
  }

  /** A page reported where its fields are; the phone hears it if that page is on view. */
  fieldsOf(page: Page, boxes: RemoteBox[]): void {
    this.editables.set(page, boxes);
    if (page === this.top?.page) this.deps.send({ t: "editables", boxes });
  }

  boxesOnView(): RemoteBox[] {
    return this.editables.get(this.top.page) ?? [];
  }

  /** Shows a popup in place of the page until it closes. */
  async follow(popup: Page): Promise<void> {
    let stream: PageStream | null = null;
    let isClosed = false;
    // Listen before anything is awaited: a popup can close while its stream is being set up.
    popup.once("close", () => {
      isClosed = true;
      if (!stream) return;
      this.streams.splice(this.streams.indexOf(stream), 1);
      const back = this.streams.at(-1);
      if (stream === this.top && back) void this.activate(back).catch(ignoreClosedPage);
    });
    stream = await this.open(popup);
    if (isClosed || popup.isClosed()) {
      this.streams.splice(this.streams.indexOf(stream), 1);
      return;
    }
    await this.activate(stream);
  }

  /** The phone's close button: closes the popup on view (the login page itself is never closed). */
  async closePopup(): Promise<void> {
    const page = this.top.page;
    if (page === this.mainPage || this.streams.length < 2) return;
    await page.close().catch(ignoreClosedPage);
  }

  /** The page on view's origin, title and history, for the phone's trusted chrome. */
  async sendPageInfo(): Promise<void> {
    const stream = this.top;
    const info = await stream.pageInfo(stream.page !== this.mainPage);
    if (stream === this.top) this.deps.send(info);
  }

  async stopAll(): Promise<void> {
    for (const stream of this.streams) await stream.stop().catch(ignoreClosedPage);
  }

  private async open(page: Page): Promise<PageStream> {
    const stream = await PageStream.open(page, {
      frameSource: this.deps.frameSource,
      deliver: (frame) => this.deps.pacer.deliver(stream, frame),
      nextSeq: () => this.deps.nextSeq(),
    });
    this.streams.push(stream);
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame() || stream !== this.top) return;
      // The focused field went with the old document; the new one reports its own.
      this.deps.send({ t: "focus", field: null });
      void this.sendPageInfo().catch(ignoreClosedPage);
    });
    return stream;
  }

  /** Switches what the phone sees to `stream`'s page, at the phone's size, with a first frame. */
  private async activate(stream: PageStream): Promise<void> {
    const previous = this.top;
    this.top = stream;
    this.deps.send({ t: "focus", field: null });
    this.deps.send({ t: "editables", boxes: this.boxesOnView() });
    await previous.stop();
    const viewer = this.phone;
    if (!viewer.isConnected) return;
    const { pacer } = this.deps;
    pacer.restart();
    const first = await pacer.afterTuning(() => stream.show(viewer.viewport, pacer.settings(), true));
    if (first && stream === this.top) pacer.emit(first);
    void pacer.retune();
    await this.sendPageInfo();
  }
}

/** The page closed while it was being worked on: there is nothing left to show of it. */
function ignoreClosedPage(): void {}
