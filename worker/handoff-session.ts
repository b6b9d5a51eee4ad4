/**
 * One handoff, from the agent's side: it creates the handoff, prepares the isolated context,
 * delivers the link, streams the page sealed to the phone, applies the phone's input, notices
 * the sign-in, moves the cookies into the agent's context and reports metadata only.
 */
import type { Cookie, Page, Request } from "playwright";
import type { OriginStorage } from "./storage-capture";
import { toBase64Url } from "../lib/crypto/base64url";
import { createOpener, createSealer, Direction, importSealKey, type Opener, randomEpoch, randomSealKey, type Sealer } from "../lib/crypto/seal";
import { isTerminal, type HandoffState } from "../lib/lifecycle/states";
import type { CreateHandoffResponse } from "../lib/protocol/api";
import { HandoffStateEventSchema, LinkReuseEventSchema, PeerStatusSchema, SocketEvents } from "../lib/protocol/events";
import { FailureReasons } from "../lib/protocol/end-reasons";
import { isFederatedSignInUrl } from "../lib/policy/sign-in-url";
import { siteOf } from "../lib/policy/target";
import { decodeToWorker, encodeControl, encodeFrame, type RemoteBox, type ToPhoneMessage, type ToWorkerMessage } from "../lib/protocol/stream";
import type { ApiClient } from "./api-client";
import { cookieMetadata, injectCookies } from "./cookie-capture";
import { injectStorage } from "./storage-capture";
import { type Baseline, decideHandOver, type HandOverScope, takeBaseline } from "./hand-over";
import { openRelayLink, type RelaySocket } from "./relay-link";
import { errorForEnd, HandoffCancelled, HandoffFailed } from "./errors";
import { watchFields } from "./field-watcher";
import { watchEditables } from "./editables-watcher";
import { type BlockedRequest, openHandoffBrowser, type HandoffBrowser } from "./handoff-browser";
import { FrameTuner, FrameTuning } from "./frame-tuner";
import { PageStream } from "./page-stream";
import type { ScreencastFrame } from "./screencast";
import { hasLeftLogin, isOnSitePage, isSignedIn, successKind } from "./success-detector";
import type { BatonClientOptions, HandoffOptions, HandoffResult } from "./types";

const WATCH_INTERVAL_MS = 400;
/** A sharp frame is at most this many pixels (≈ a 3× phone screen) and this many bytes (the relay takes 1 MiB). */
const MAX_SHARP_PIXELS = 4_000_000;
const MAX_SHARP_BYTES = 900 * 1024;
const MAX_SHARP_ATTEMPTS = 6;
/** How long frames are held after a sharp capture for Chromium's repaint to settle. */
const ECHO_SETTLE_MS = 250;

type Detected = HandoffResult["detectedBy"];

/**
 * The two scopes a handoff asks for. `alsoSites` (deprecated) meant both "visit" and "hand over";
 * it keeps that meaning for one release, with a warning, so no agent changes behaviour silently.
 */
function requestedSites(options: HandoffOptions): { identityProviders: string[]; handOverSites: string[] } {
  const also = options.alsoSites ?? [];
  if (also.length > 0) {
    process.emitWarning("HandoffOptions.alsoSites is deprecated: it hands the identity provider's session over too. Use identityProviders (visit only), or alsoHandOver for sites of the same service.", "DeprecationWarning");
  }
  const unique = (xs: string[]) => [...new Set(xs)];
  return { identityProviders: unique(options.identityProviders ?? []), handOverSites: unique([...(options.alsoHandOver ?? []), ...also]) };
}

/** Whether a request belongs to the page's main frame (a popup's first request may have no frame yet). */
function isMainFrameRequest(page: Page, request: Request): boolean {
  try {
    return request.frame() === page.mainFrame();
  } catch {
    return false;
  }
}

/** Waits for `work`, but no longer than `ms`. */
function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

/** The host of a blocked origin, for the phone's notice (`file:` and `invalid` stay as they are). */
function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname.slice(0, 253) || origin.slice(0, 253);
  } catch {
    return origin.slice(0, 253);
  }
}

export class HandoffSession {
  private created!: CreateHandoffResponse;
  private socket!: RelaySocket;
  /** What may be visited (target, identity providers, hand-over sites) and what is handed over. */
  private sites!: { visit: string[]; handOver: HandOverScope };
  /** The session's state once the login page had loaded: a sign-in must change it (hand-over.ts). */
  private baseline: Baseline | null = null;
  /** A baseline being taken again (the login page reloaded); success waits for it. */
  private baselining: Promise<void> = Promise.resolve();
  private hasLeftLoginPage = false;
  /** Set once this side reported the handoff failed (failWith); run() waits for it. */
  private failureReport: Promise<void> | null = null;
  private sealer!: Sealer;
  private opener!: Opener;
  private hb!: HandoffBrowser;
  private hbOpening: Promise<HandoffBrowser> | null = null;
  /** The page the phone sees now: the login page, or a popup it opened (newest last). */
  private stream!: PageStream;
  private readonly streams: PageStream[] = [];
  private frameSeq = 0;
  private isViewerConnected = false;
  private tuner = new FrameTuner(1);
  private tuneTimer: NodeJS.Timeout | undefined;
  private tuneAt = 0;
  private tuning: Promise<unknown> = Promise.resolve();
  /** The phone shows a sharp (density-scaled) picture of the page as it is now. */
  private isSharp = false;
  private isSharpening = false;
  /** Sharp captures tried since the last input; bounded, see retune(). */
  private sharpAttempts = 0;
  private lastScreencastFrameAt = 0;
  /** When the person last touched, typed or (re)opened the view: frame acks are not input. */
  private lastPhoneInputAt = Date.now();
  private hasReportedIdle = false;
  /** Frames held while a sharp capture is taken (see endEcho). */
  private echo: { baseline: Buffer | null; held: ScreencastFrame | null } | null = null;
  /** The latest field boxes each page reported; a page shown later starts from its own. */
  private readonly editables = new WeakMap<Page, RemoteBox[]>();
  private readonly startedAt = performance.now();
  private linkReadyMs = 0;
  private state: HandoffState = "pending";
  private reuseDetected = false;
  private readonly reportedBlocks = new Set<string>();
  private hasReportedLive = false;
  private isFinishing = false;
  private viewport = { width: 390, height: 844, dpr: 1 };
  private sendQueue: Promise<unknown> = Promise.resolve();
  private inputQueue: Promise<unknown> = Promise.resolve();
  private watchTimer: NodeJS.Timeout | undefined;
  /** Settles once the handoff page is loaded and instrumented; phone messages wait for it. */
  private ready: Promise<void> = Promise.resolve();
  private settle!: { resolve: (r: HandoffResult) => void; reject: (e: Error) => void };

  constructor(
    private readonly api: ApiClient,
    private readonly client: BatonClientOptions,
    private readonly agentPage: Page,
    private readonly options: HandoffOptions,
  ) {}

  async run(): Promise<HandoffResult> {
    const { options } = this;
    if (options.signal?.aborted) throw new HandoffCancelled("", "cancelled_by_agent");
    const browser = options.browser ?? this.agentPage.context().browser();
    if (!browser) throw new HandoffFailed("", "no browser: pass `browser` when the page comes from a persistent context");
    const loginUrl = options.loginUrl ?? this.agentPage.url();
    const rawKey = randomSealKey();
    const scope = requestedSites(options);
    this.created = await this.api.create({
      loginUrl,
      reason: options.reason,
      endUserRef: options.endUserRef,
      ttlSeconds: options.ttlSeconds,
      identityProviders: scope.identityProviders,
      handOverSites: scope.handOverSites,
      successKind: successKind(options.success),
      includeStorage: options.includeStorage ?? false,
    });
    this.sites = {
      visit: [this.created.targetSite, ...scope.identityProviders, ...scope.handOverSites],
      handOver: {
        targetSite: this.created.targetSite,
        targetOrigin: this.created.targetOrigin,
        handOverSites: scope.handOverSites,
        includeStorage: options.includeStorage ?? false,
        maxLifetimeSeconds: options.maxCookieLifetimeSeconds,
      },
    };
    const key = await importSealKey(rawKey);
    this.sealer = createSealer(key, this.created.id, Direction.toPhone, randomEpoch());
    this.opener = createOpener(key, this.created.id, Direction.toWorker);

    const done = new Promise<HandoffResult>((resolve, reject) => (this.settle = { resolve, reject }));
    // It may settle (denied, expired…) while the page is still loading; it is awaited below.
    done.catch(() => undefined);
    const onAbort = () => void this.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // The link goes out while the isolated context opens and the login page loads: the person
      // needs seconds to open it, the browser needs a fraction of one.
      this.hbOpening = openHandoffBrowser({
        browser,
        targetOrigin: this.created.targetOrigin,
        allowedSites: this.sites.visit,
        trustedOrigins: options.trustedPrivateOrigins,
        onBlocked: (blocked) => this.onBlocked(blocked),
      });
      this.hbOpening.catch(() => undefined);
      this.connect();
      this.ready = this.hbOpening.then((hb) => {
        this.hb = hb;
        return this.prepare(loginUrl);
      });
      this.ready.catch(() => undefined);
      this.linkReadyMs = performance.now() - this.startedAt;
      await options.onLink({
        url: `${new URL(this.created.linkPath, this.client.serverUrl).href}#k=${toBase64Url(rawKey)}`,
        code: `${this.created.confirmationCode.slice(0, 4)}-${this.created.confirmationCode.slice(4)}`,
        expiresAt: new Date(this.created.expiresAt),
        handoffId: this.created.id,
      });
      await this.ready;
      return await done;
    } catch (error) {
      await this.fail(error);
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      await this.cleanup();
    }
  }

  private async prepare(loginUrl: string): Promise<void> {
    const { context, page } = this.hb;
    this.stream = await this.openStream(page);
    await watchFields(context, (field, source) => {
      if (source === this.stream.page) this.send({ t: "focus", field });
    });
    await watchEditables(context, (boxes, source) => {
      this.editables.set(source, boxes);
      if (source === this.stream.page) this.send({ t: "editables", boxes });
    });
    // An OAuth popup is shown in place of the login page until it closes.
    context.on("page", (popup) => void this.followPopup(popup).catch(() => undefined));
    await page.goto(loginUrl, { waitUntil: "domcontentloaded", timeout: 30_000 });
    this.baseline = await takeBaseline(context, page, this.sites.handOver);
    // A login page often sets fresh cookies each time it is loaded (a CSRF token): those are not a
    // sign-in. Each plain GET of the login page takes the baseline again; a POST answered on the
    // same URL (a sign-in that renders in place) does not.
    const loginHref = new URL(loginUrl).href;
    let lastMethod = "GET";
    page.on("request", (request) => {
      if (request.isNavigationRequest() && isMainFrameRequest(page, request)) lastMethod = request.method();
    });
    page.on("domcontentloaded", () => {
      if (lastMethod !== "GET" || page.url() !== loginHref || this.isFinishing) return;
      this.baselining = takeBaseline(context, page, this.sites.handOver).then(
        (baseline) => void (this.baseline = baseline),
        // The page went on (or closed) while being read: the previous baseline stands.
        () => undefined,
      );
    });
  }

  /**
   * A request Baton refused. The page stayed where it was (navigation-keeper.ts); the person sees a
   * notice and the agent a callback, both with the origin only. A navigation that is a step of a
   * federated sign-in to a site outside the scope means the sign-in cannot succeed: it ends now.
   */
  private onBlocked({ verdict, isNavigation, source, url }: BlockedRequest): void {
    const site = hostOf(verdict.origin);
    if (isNavigation) {
      const needsIdp = verdict.reason === "site" && isFederatedSignInUrl(url);
      this.send({ t: "notice", kind: needsIdp ? "identity_provider_not_in_scope" : "navigation_blocked", site });
      if (needsIdp) void this.failWith(new HandoffFailed(this.created.id, FailureReasons.IDP_NOT_IN_SCOPE, `the sign-in goes through ${site}; name it in identityProviders (and the agent's --idps scope)`, siteOf(site)));
    }
    if (source === "page") this.options.onBlocked?.({ origin: verdict.origin, reason: verdict.reason, isNavigation });
    // One audit row per origin, reason and kind is enough; a page can fire hundreds of requests.
    const key = `${verdict.reason}|${verdict.origin}|${isNavigation}|${source}`;
    if (this.reportedBlocks.has(key) || this.reportedBlocks.size > 50) return;
    this.reportedBlocks.add(key);
    // Best effort: an audit row that does not arrive must not stop the person signing in.
    void this.api.reportBlocked(this.created.id, { origin: verdict.origin, reason: verdict.reason, isNavigation, source }).catch(() => undefined);
  }

  /** Ends the handoff as failed with a typed error, once (the server records the reason). */
  private async failWith(error: HandoffFailed): Promise<void> {
    if (this.isFinishing || isTerminal(this.state)) return;
    this.isFinishing = true;
    // The agent gets this error, not the server's echo of it; run() waits for the report before cleanup.
    this.settle.reject(error);
    // The relay stops forwarding once the handoff has ended: let what the phone was told go first.
    const told = this.sendQueue;
    // The reason is the documented code only: the detail could name what the page did. Best effort:
    // if the server cannot be told, its own deadlines end the handoff.
    this.failureReport = withTimeout(told, 1000).then(() => this.api.report(this.created.id, { event: "failed", reason: error.reason ?? FailureReasons.WORKER_ERROR })).then(
      () => undefined,
      () => undefined,
    );
    await this.failureReport;
  }

  private async openStream(page: Page): Promise<PageStream> {
    const stream = await PageStream.open(page, {
      frameSource: this.options.frameSource,
      deliver: (frame) => {
        if (stream !== this.stream) return;
        if (this.echo) {
          // Around a sharp capture Chromium repaints: hold those frames and decide once it settles.
          this.echo.held = frame;
          stream.source.skip(frame.seq);
          return;
        }
        this.isSharp = false;
        this.lastScreencastFrameAt = performance.now();
        this.sendFrame(frame);
      },
      nextSeq: () => (this.frameSeq = (this.frameSeq + 1) >>> 0),
    });
    this.streams.push(stream);
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame() || stream !== this.stream) return;
      // The focused field went with the old document; the new one reports its own.
      this.send({ t: "focus", field: null });
      void this.sendPageInfo();
    });
    return stream;
  }

  private async followPopup(popup: Page): Promise<void> {
    let stream: PageStream | null = null;
    let isClosed = false;
    // Listen before anything is awaited: a popup can close while its stream is being set up.
    popup.once("close", () => {
      isClosed = true;
      if (!stream) return;
      this.streams.splice(this.streams.indexOf(stream), 1);
      const back = this.streams.at(-1);
      if (stream === this.stream && back) void this.activate(back).catch(() => undefined);
    });
    stream = await this.openStream(popup);
    if (isClosed || popup.isClosed()) {
      this.streams.splice(this.streams.indexOf(stream), 1);
      return;
    }
    await this.activate(stream);
  }

  /** The phone's close button: closes the popup on view (the login page itself is never closed). */
  private async closePopup(): Promise<void> {
    const page = this.stream.page;
    if (page === this.hb.page || this.streams.length < 2) return;
    await page.close().catch(() => undefined);
  }

  /** Switches what the phone sees to `stream`'s page, at the phone's size, with a first frame. */
  private async activate(stream: PageStream): Promise<void> {
    const previous = this.stream;
    this.stream = stream;
    this.send({ t: "focus", field: null });
    this.send({ t: "editables", boxes: this.editables.get(stream.page) ?? [] });
    await previous.stop();
    if (!this.isViewerConnected) return;
    this.isSharp = false;
    this.sharpAttempts = 0;
    const first = await this.afterTuning(() => stream.show(this.viewport, this.tuner.settings(performance.now()), true));
    if (first && stream === this.stream) this.sendFrame(first);
    void this.retune();
    await this.sendPageInfo();
  }

  private connect(): void {
    this.socket = openRelayLink({
      serverUrl: this.client.serverUrl,
      apiKey: this.client.apiKey,
      handoffId: this.created.id,
      lostAfterMs: this.client.relayLossTimeoutMs,
      isOver: () => this.isFinishing || isTerminal(this.state),
      // Either way the handoff settles: as the server says it ended, else as failed here (failWith
      // does nothing once the state is terminal).
      onEnded: () => void this.refreshFromServer().then(() => this.failWith(new HandoffFailed(this.created.id, FailureReasons.RELAY_LOST, "the relay closed the connection"))),
      onLost: (error) => void this.refreshFromServer().then(() => this.failWith(error)),
    });
    this.socket.on(SocketEvents.handoffState, (raw) => {
      const parsed = HandoffStateEventSchema.safeParse(raw);
      if (parsed.success) void this.onState(parsed.data.state, parsed.data.endReason);
    });
    this.socket.on(SocketEvents.peerStatus, (raw) => {
      const parsed = PeerStatusSchema.safeParse(raw);
      if (parsed.success && !parsed.data.phone) {
        this.isViewerConnected = false;
        this.stream?.source.viewerGone();
      }
    });
    this.socket.on(SocketEvents.linkReuse, (raw) => {
      const parsed = LinkReuseEventSchema.safeParse(raw);
      if (!parsed.success) return;
      this.reuseDetected = true;
      this.options.onReuseDetected?.({ attempts: parsed.data.attempts });
    });
    this.socket.on(SocketEvents.streamData, (payload) => void this.onStreamData(payload));
  }

  private async onState(state: HandoffState, endReason: string | null): Promise<void> {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state);
    if (state === "completed" || (state === "captured" && this.isFinishing)) return;
    if (isTerminal(state)) this.settle.reject(errorForEnd(this.created.id, state, endReason));
  }

  /** After a refused reconnect, ask the server how the handoff ended. */
  private async refreshFromServer(): Promise<void> {
    const status = await this.api.status(this.created.id).catch(() => null);
    if (status && isTerminal(status.state)) await this.onState(status.state, status.endReason);
  }

  private async onStreamData(payload: unknown): Promise<void> {
    if (!(payload instanceof Uint8Array)) return;
    const opened = await this.opener.open(payload);
    if (!opened.ok) return;
    const decoded = decodeToWorker(opened.plain);
    if (!decoded.ok || decoded.kind !== "control") return;
    await this.ready.catch(() => undefined);
    await this.onPhoneMessage(decoded.message);
  }

  private async onPhoneMessage(message: ToWorkerMessage): Promise<void> {
    const isStreaming = this.state === "approved" || this.state === "live";
    if (!isStreaming || !this.stream) return;
    switch (message.t) {
      case "hello":
      case "resize":
        return this.onViewer(message.viewport, message.t === "hello");
      case "frame_ack":
        this.tuner.frameDrawn(message.seq, performance.now());
        this.stream.source.drawn(message.seq);
        void this.retune();
        return;
      case "signed_in":
        this.lastPhoneInputAt = Date.now();
        return this.tryFinish("user");
      default:
        // A new pause earns new sharp-frame tries; a nav "close" only ever closes a popup.
        this.tuner.input(performance.now());
        this.lastPhoneInputAt = Date.now();
        this.sharpAttempts = 0;
        // Input ends any hold: what it changes must show at once.
        if (this.echo) {
          const held = this.echo.held;
          this.echo = null;
          if (held) this.sendHeld(held);
        }
        void this.retune();
        if (message.t === "nav" && message.action === "close") return this.closePopup();
        this.inputQueue = this.inputQueue.then(() => this.stream.input.apply(message)).catch(() => undefined);
    }
  }

  private async onViewer(viewport: { width: number; height: number; dpr: number }, isHello: boolean): Promise<void> {
    const changed = viewport.width !== this.viewport.width || viewport.height !== this.viewport.height || viewport.dpr !== this.viewport.dpr;
    this.viewport = viewport;
    this.isSharp = false;
    this.sharpAttempts = 0;
    if (isHello) {
      this.lastPhoneInputAt = Date.now();
      this.isViewerConnected = true;
      this.tuner = new FrameTuner(viewport.dpr);
    }
    // A hello (first view, or a phone back after a drop) gets the last frame again at once.
    const stream = this.stream;
    const first = changed || isHello ? await this.afterTuning(() => stream.show(this.viewport, this.tuner.settings(performance.now()), isHello)) : null;
    this.send({ t: "viewport", width: this.viewport.width, height: this.viewport.height });
    if (!isHello) return;
    await this.sendPageInfo();
    this.send({ t: "editables", boxes: this.editables.get(this.stream.page) ?? [] });
    if (first) this.sendFrame(first);
    void this.retune();
    this.startWatching();
  }

  /** Applies the tuner's current choice, and comes back when the pause after input is over. */
  private retune(): Promise<unknown> {
    const now = performance.now();
    const stream = this.stream;
    const settings = this.tuner.settings(now);
    // Runs on every frame ack: queue work only when something is to change.
    if (stream.needsTune(settings)) this.tuning = this.tuning.then(() => stream.tune(settings)).catch(() => undefined);
    let next = this.tuner.nextChangeAt(now);
    if (settings.scale > 1 && !this.isSharp && !this.isSharpening && this.sharpAttempts < MAX_SHARP_ATTEMPTS && this.isViewerConnected) {
      // Only once the page itself has been still for a moment: a page that keeps repainting (a caret,
      // a spinner) gets its changes at 1× and a few tries at most, never a capture loop.
      const quietAt = this.lastScreencastFrameAt + FrameTuning.idleMs;
      if (now >= quietAt) {
        this.isSharpening = true;
        this.sharpAttempts += 1;
        this.tuning = this.tuning
          .then(() => this.sendSharpFrame(stream, settings.scale))
          .catch(() => undefined)
          .finally(() => {
            this.isSharpening = false;
            if (!this.isSharp) this.scheduleRetune(FrameTuning.idleMs);
          });
      } else next = Math.min(next ?? quietAt, quietAt);
    }
    if (next !== null) this.scheduleRetune(next - now + 5);
    return this.tuning;
  }

  private scheduleRetune(inMs: number): void {
    const at = performance.now() + inMs;
    if (this.tuneTimer && Math.abs(at - this.tuneAt) < 10) return;
    clearTimeout(this.tuneTimer);
    this.tuneAt = at;
    this.tuneTimer = setTimeout(() => {
      this.tuneTimer = undefined;
      void this.retune();
    }, inMs);
  }

  /**
   * Runs `work` after any frame tuning in flight. A sharp capture briefly changes the page's
   * emulation and puts the old one back when done: a resize running beside it would be undone.
   */
  private afterTuning<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tuning.then(work);
    this.tuning = result.catch(() => undefined);
    return result;
  }

  /** During a pause, the same picture again at the phone's density, unless something newer came. */
  private async sendSharpFrame(stream: PageStream, scale: number): Promise<void> {
    const { width, height } = this.viewport;
    // Bounded work and size, whatever view size the phone asks for: a sharp frame must fit the relay.
    const pixels = width * height * scale * scale;
    if (pixels > MAX_SHARP_PIXELS) scale = Math.sqrt(MAX_SHARP_PIXELS / (width * height));
    if (scale <= 1.05) return;
    const echo = { baseline: stream.source.lastFrame?.jpeg ?? null, held: null as ScreencastFrame | null };
    this.echo = echo;
    let frame: ScreencastFrame | null = null;
    try {
      frame = await stream.sharpFrame(scale, 0);
    } finally {
      setTimeout(() => this.endEcho(echo), ECHO_SETTLE_MS);
    }
    const isStale = stream !== this.stream || this.tuner.settings(performance.now()).scale === 1 || this.echo !== echo;
    const changedMeanwhile = echo.held !== null && !(echo.baseline && echo.held.jpeg.equals(echo.baseline));
    if (isStale || changedMeanwhile || frame.jpeg.length > MAX_SHARP_BYTES) return;
    frame.seq = this.frameSeq = (this.frameSeq + 1) >>> 0;
    this.isSharp = true;
    this.sendFrame(frame);
  }

  /**
   * Ends the hold around a sharp capture. Chromium repaints after a capture (measured: one or two
   * frames within ~10 ms, the last one byte-identical to the frame before it); only a last held frame
   * that differs from the one before the capture means the page changed, and then it is sent.
   */
  private endEcho(echo: NonNullable<HandoffSession["echo"]>): void {
    if (this.echo !== echo) return;
    this.echo = null;
    const held = echo.held;
    if (held && !(echo.baseline && held.jpeg.equals(echo.baseline))) this.sendHeld(held);
  }

  private sendHeld(frame: ScreencastFrame): void {
    this.isSharp = false;
    this.lastScreencastFrameAt = performance.now();
    frame.seq = this.frameSeq = (this.frameSeq + 1) >>> 0;
    this.sendFrame(frame);
  }

  private sendFrame(frame: ScreencastFrame): void {
    this.tuner.frameSent(frame.seq, performance.now());
    this.enqueue(() => this.sealer.seal(encodeFrame(frame)));
    if (!this.hasReportedLive && this.state === "approved") {
      this.hasReportedLive = true;
      void this.api.report(this.created.id, { event: "live" }).catch(() => undefined);
    }
  }

  private send(message: ToPhoneMessage): void {
    if (this.state !== "approved" && this.state !== "live") return;
    this.enqueue(() => this.sealer.seal(encodeControl(message)));
  }

  /** Seals and emits in call order, so the phone sees messages as they were produced. */
  private enqueue(seal: () => Promise<Uint8Array>): void {
    const sealed = seal();
    this.sendQueue = this.sendQueue.then(async () => this.socket.emit(SocketEvents.streamData, await sealed)).catch(() => undefined);
  }

  private async sendPageInfo(): Promise<void> {
    const stream = this.stream;
    const info = await stream.pageInfo(stream.page !== this.hb.page);
    if (stream === this.stream) this.send(info);
  }

  private startWatching(): void {
    if (this.watchTimer) return;
    this.watchTimer = setInterval(async () => {
      if (this.isFinishing || (this.state !== "live" && this.state !== "approved")) return;
      if (!this.hasReportedIdle && Date.now() - this.lastPhoneInputAt > this.created.sessionIdleSeconds * 1000) {
        this.hasReportedIdle = true;
        await this.api.report(this.created.id, { event: "idle" }).catch(() => undefined);
        return;
      }
      if (this.state !== "live") return;
      const loginUrl = this.options.loginUrl ?? this.agentPage.url();
      await this.reportProgress(loginUrl);
      const ok = await isSignedIn(this.hb.page, this.hb.context, this.options.success, loginUrl, this.sites.visit).catch(() => false);
      if (ok) await this.tryFinish(this.options.success ? "rule" : "heuristic");
    }, WATCH_INTERVAL_MS);
  }

  /** Tells the phone when the page leaves (or returns to) the login page: "I'm signed in" follows it. */
  private async reportProgress(loginUrl: string): Promise<void> {
    const page = this.hb.page;
    const hasLeft = isOnSitePage(page, this.sites.visit) && (await hasLeftLogin(page, loginUrl).catch(() => false));
    if (hasLeft === this.hasLeftLoginPage) return;
    this.hasLeftLoginPage = hasLeft;
    this.send({ t: "progress", hasLeftLogin: hasLeft });
  }

  /**
   * Success is recognised (a rule, the heuristic, or the person): hand over what the sign-in created.
   * Nothing created is no success — the person is asked to keep going (the watchers keep looking);
   * a session kept only in storage, without `includeStorage`, fails with a reason that says so.
   */
  private async tryFinish(detectedBy: Detected): Promise<void> {
    await this.baselining;
    if (this.isFinishing || !this.baseline) return;
    const page = this.hb.page;
    const handOver = isOnSitePage(page, this.sites.visit) ? await decideHandOver(this.hb.context, page, this.baseline, this.sites.handOver) : ({ kind: "nothing" } as const);
    if (this.isFinishing) return;
    if (handOver.kind === "nothing") {
      if (detectedBy === "user") this.send({ t: "notice", kind: "not_signed_in_yet" });
      return;
    }
    if (handOver.kind === "storage_only") {
      return this.failWith(new HandoffFailed(this.created.id, FailureReasons.STORAGE_ONLY, "the site keeps its session in browser storage: pass includeStorage: true to hand it over"));
    }
    await this.finish(detectedBy, handOver.cookies, handOver.storage);
  }

  private async finish(detectedBy: Detected, cookies: Cookie[], storage: OriginStorage | null): Promise<void> {
    if (this.isFinishing) return;
    this.isFinishing = true;
    const detectedAt = performance.now();
    try {
      if (this.state === "approved") await this.api.report(this.created.id, { event: "live" }).catch(() => undefined);
      this.send({ t: "phase", phase: "signed_in" });
      await this.api.report(this.created.id, { event: "captured", cookies: cookieMetadata(cookies) });
      const agentContext = this.agentPage.context();
      const signOut = async () => {
        for (const c of cookies) await agentContext.clearCookies({ name: c.name, domain: c.domain, path: c.path });
        await removeStorage?.();
      };
      await injectCookies(agentContext, cookies);
      const removeStorage = storage ? await injectStorage(agentContext, storage) : null;
      const injectedMs = performance.now() - detectedAt;
      try {
        await this.api.report(this.created.id, { event: "completed" });
      } catch (error) {
        // Cancelled, revoked or timed out between capture and completion: the session must not stay.
        await signOut().catch(() => undefined);
        throw error;
      }
      const handoffId = this.created.id;
      this.settle.resolve({
        status: "completed",
        handoffId,
        cookies: cookies.map((c) => ({ name: c.name, domain: c.domain })),
        reuseDetected: this.reuseDetected,
        detectedBy,
        storageEntries: storage ? storage.local.length + storage.session.length : 0,
        timings: { linkReadyMs: this.linkReadyMs, detectedToInjectedMs: injectedMs },
        release: async () => {
          await signOut();
          await this.api.report(handoffId, { event: "released" }).catch(() => undefined);
        },
      });
    } catch (error) {
      this.settle.reject(error instanceof Error ? error : new HandoffFailed(this.created.id, "capture failed"));
    }
  }

  private async abort(): Promise<void> {
    await this.api.report(this.created.id, { event: "cancelled" }).catch(() => undefined);
    this.settle.reject(new HandoffCancelled(this.created.id, "cancelled_by_agent"));
  }

  private async fail(error: unknown): Promise<void> {
    if (this.failureReport) return this.failureReport;
    if (!this.created || isTerminal(this.state) || error instanceof HandoffCancelled) return;
    // The reason names the kind of failure only: an error message could quote page content.
    const reason = error instanceof Error && error.name === "TimeoutError" ? "worker_timeout" : "worker_error";
    await this.api.report(this.created.id, { event: "failed", reason }).catch(() => undefined);
  }

  private async cleanup(): Promise<void> {
    clearInterval(this.watchTimer);
    clearTimeout(this.tuneTimer);
    for (const stream of this.streams) await stream.stop().catch(() => undefined);
    this.socket?.disconnect();
    const hb = await this.hbOpening?.catch(() => null);
    await hb?.close();
  }
}
