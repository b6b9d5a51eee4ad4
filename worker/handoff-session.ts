/**
 * One handoff, from the agent's side: it creates the handoff, prepares the isolated context,
 * delivers the link, streams the page sealed to the phone, applies the phone's input, recognises the
 * sign-in, moves what it created into the agent's context and reports metadata only.
 *
 * This file orchestrates; the parts live in `session/`: the sealed channel, the relay link, the
 * stream stack (login page and popups), the frame pacer (sharp frames, the echo hold), the watch
 * (idle, sign-in), the sign-in recognizer and the hand-over.
 */
import type { Browser, Cookie, Page } from "playwright-core";
import { toBase64Url } from "../lib/crypto/base64url";
import { createOpener, createSealer, Direction, importSealKey, randomEpoch, randomSealKey } from "../lib/crypto/seal";
import { isStreaming, isTerminal, type HandoffState } from "../lib/lifecycle/states";
import { FailureReasons } from "../lib/protocol/end-reasons";
import { SocketEvents } from "../lib/protocol/events";
import type { CreateHandoffResponse } from "../lib/protocol/api";
import type { ToPhoneMessage, ToWorkerMessage } from "../lib/protocol/stream";
import type { ApiClient } from "./api-client";
import { errorForEnd, HandoffCancelled, HandoffFailed } from "./errors";
import { watchEditables } from "./editables-watcher";
import { watchFields } from "./field-watcher";
import { openHandoffBrowser, type HandoffBrowser } from "./handoff-browser";
import { openRelayLink, type RelaySocket } from "./relay-link";
import { createBlockedReporter } from "./session/blocked-reporter";
import { completeHandOver } from "./session/complete-hand-over";
import { FramePacer } from "./session/frame-pacer";
import { requestedSites, signInScope } from "./session/requested-sites";
import { SealedChannel } from "./session/sealed-channel";
import { SessionWatch } from "./session/session-watch";
import { SignInRecognizer, type SignInScope } from "./session/sign-in-recognizer";
import { StreamStack, type Viewport } from "./session/stream-stack";
import { systemTimers, type Timers, withTimeout } from "./session/timers";
import type { OriginStorage } from "./storage-capture";
import { successKind } from "./success-detector";
import type { BatonClientOptions, HandoffOptions, HandoffResult } from "./types";

const WATCH_INTERVAL_MS = 400;

type Detected = HandoffResult["detectedBy"];

/** Where this side is; the server's lifecycle state is `state`, kept apart. */
type Phase =
  | { kind: "running" }
  | { kind: "completing" }
  /** This side ended the handoff as failed; `report` settles once the server has heard it. */
  | { kind: "failing"; report: Promise<void> };

/** Everything a handoff has once the server created it and the login page is loading. */
interface Prepared {
  created: CreateHandoffResponse;
  scope: SignInScope;
  channel: SealedChannel;
  socket: RelaySocket;
  opening: Promise<HandoffBrowser>;
  /** Settles once the handoff page is loaded and instrumented; phone messages wait for it. */
  ready: Promise<void>;
}

export class HandoffSession {
  private phase: Phase = { kind: "running" };
  private state: HandoffState = "pending";
  private p!: Prepared;
  private recognizer: SignInRecognizer | null = null;
  private readonly reported = new Set<"live">();
  private reuseDetected = false;
  private frameSeq = 0;
  private inputQueue: Promise<unknown> = Promise.resolve();
  private readonly startedAt: number;
  private linkReadyMs = 0;
  private settle!: { resolve: (r: HandoffResult) => void; reject: (e: Error) => void };
  private readonly pacer: FramePacer;
  private readonly stack: StreamStack;
  private watch!: SessionWatch;

  constructor(
    private readonly api: ApiClient,
    private readonly client: BatonClientOptions,
    private readonly agentPage: Page,
    private readonly options: HandoffOptions,
    private readonly timers: Timers = systemTimers,
  ) {
    this.startedAt = timers.now();
    const nextSeq = () => (this.frameSeq = (this.frameSeq + 1) >>> 0);
    this.pacer = new FramePacer({
      timers,
      current: () => this.stack.current,
      viewport: () => this.stack.viewer.viewport,
      isViewerConnected: () => this.stack.viewer.isConnected,
      send: (frame) => this.sendFrame(frame),
      nextSeq,
    });
    this.stack = new StreamStack({ pacer: this.pacer, send: (m) => this.send(m), nextSeq, frameSource: options.frameSource });
  }

  async run(): Promise<HandoffResult> {
    const { options } = this;
    if (options.signal?.aborted) throw new HandoffCancelled("", "cancelled_by_agent");
    const browser = options.browser ?? this.agentPage.context().browser();
    if (!browser) throw new HandoffFailed("", "no_browser", "pass `browser` when the page comes from a persistent context");
    const done = new Promise<HandoffResult>((resolve, reject) => (this.settle = { resolve, reject }));
    // It may settle (denied, expired…) while the page is still loading; it is awaited below.
    done.catch(() => undefined);
    const onAbort = () => void this.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const rawKey = randomSealKey();
      await this.prepare(browser, rawKey);
      const { created } = this.p;
      this.linkReadyMs = this.timers.now() - this.startedAt;
      await options.onLink({
        url: `${new URL(created.linkPath, this.client.serverUrl).href}#k=${toBase64Url(rawKey)}`,
        code: `${created.confirmationCode.slice(0, 4)}-${created.confirmationCode.slice(4)}`,
        expiresAt: new Date(created.expiresAt),
        handoffId: created.id,
      });
      await this.p.ready;
      return await done;
    } catch (error) {
      await this.reportCrash(error);
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      await this.cleanup();
    }
  }

  /** Creates the handoff, then opens the isolated context and the relay while the link goes out. */
  private async prepare(browser: Browser, rawKey: Uint8Array): Promise<void> {
    const { options } = this;
    const loginUrl = options.loginUrl ?? this.agentPage.url();
    const sites = requestedSites(options);
    const created = await this.api.create({
      loginUrl,
      reason: options.reason,
      endUserRef: options.endUserRef,
      ttlSeconds: options.ttlSeconds,
      ...sites,
      successKind: successKind(options.success),
      includeStorage: options.includeStorage ?? false,
    });
    const scope = signInScope(created, sites, options);
    const key = await importSealKey(rawKey);
    const socket = this.connect(created);
    const channel = new SealedChannel({
      sealer: createSealer(key, created.id, Direction.toPhone, randomEpoch()),
      opener: createOpener(key, created.id, Direction.toWorker),
      emit: (payload) => socket.emit(SocketEvents.streamData, payload),
      canSend: () => isStreaming(this.state),
    });
    this.watch = this.createWatch(created);
    // The link goes out while the isolated context opens and the login page loads: the person
    // needs seconds to open it, the browser needs a fraction of one.
    const onBlocked = createBlockedReporter({
      api: this.api,
      handoffId: created.id,
      send: (m) => this.send(m),
      onBlocked: options.onBlocked,
      onIdentityProviderNeeded: (host) =>
        void this.failWith(
          new HandoffFailed(
            created.id,
            FailureReasons.IDP_NOT_IN_SCOPE,
            `the sign-in goes through ${host}; name it in identityProviders (and the agent's --idps scope)`,
            host,
          ),
        ),
    });
    const opening = openHandoffBrowser({
      browser,
      targetOrigin: created.targetOrigin,
      allowedSites: scope.visit,
      trustedOrigins: options.trustedPrivateOrigins,
      onBlocked,
    });
    opening.catch(() => undefined);
    const ready = opening.then((hb) => this.load(hb, loginUrl));
    ready.catch(() => undefined);
    this.p = { created, scope, channel, socket, opening, ready };
  }

  private createWatch(created: CreateHandoffResponse): SessionWatch {
    return new SessionWatch({
      timers: this.timers,
      intervalMs: WATCH_INTERVAL_MS,
      idleMs: created.sessionIdleSeconds * 1000,
      phase: () => (this.phase.kind !== "running" || !isStreaming(this.state) ? "off" : this.state === "live" ? "live" : "approved"),
      // Best effort: the relay's own traffic timeout is the backstop when this report does not arrive.
      onIdle: () =>
        this.api.report(created.id, { event: "idle" }).then(
          () => undefined,
          () => undefined,
        ),
      onLiveTick: () => this.onLiveTick(),
    });
  }

  /** Instruments the handoff context and loads the login page. */
  private async load(hb: HandoffBrowser, loginUrl: string): Promise<void> {
    const { context, page } = hb;
    await this.stack.start(page);
    await watchFields(context, (field, source) => source === this.stack.current.page && this.send({ t: "focus", field }));
    await watchEditables(context, (boxes, source) => this.stack.fieldsOf(source, boxes));
    // An OAuth popup is shown in place of the login page until it closes.
    context.on("page", (popup) => void this.stack.follow(popup).catch(() => undefined));
    await page.goto(loginUrl, { waitUntil: "domcontentloaded", timeout: 30_000 });
    this.recognizer = new SignInRecognizer(context, page, loginUrl, this.p.scope, this.options.success);
    await this.recognizer.start(() => this.phase.kind !== "running");
  }

  private connect(created: CreateHandoffResponse): RelaySocket {
    return openRelayLink({
      serverUrl: this.client.serverUrl,
      apiKey: this.client.apiKey,
      handoffId: created.id,
      lostAfterMs: this.client.relayLossTimeoutMs,
      isOver: () => this.phase.kind !== "running" || isTerminal(this.state),
      // Either way the handoff settles: as the server says it ended, else as failed here (failWith
      // does nothing once the state is terminal).
      onEnded: () =>
        void this.askServer(created.id).then(() => this.failWith(new HandoffFailed(created.id, FailureReasons.RELAY_LOST, "the relay closed the connection"))),
      onLost: (error) => void this.askServer(created.id).then(() => this.failWith(error)),
      onState: (state, endReason) => this.onState(state, endReason),
      onPhoneGone: () => this.stack.viewerGone(),
      onReuse: (attempts) => {
        this.reuseDetected = true;
        this.options.onReuseDetected?.({ attempts });
      },
      onStreamData: (payload) => void this.onStreamData(payload),
    });
  }

  private onState(state: HandoffState, endReason: string | null): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state);
    if (state === "completed" || (state === "captured" && this.phase.kind === "completing")) return;
    if (isTerminal(state)) this.settle.reject(errorForEnd(this.p.created.id, state, endReason));
  }

  /** After a refused reconnect, ask the server how the handoff ended. */
  private async askServer(id: string): Promise<void> {
    const status = await this.api.status(id).catch(() => null);
    if (status && isTerminal(status.state)) this.onState(status.state, status.endReason);
  }

  private async onStreamData(payload: unknown): Promise<void> {
    const message = await this.p.channel.open(payload);
    if (!message) return;
    // Messages that come while the page loads are applied once it has.
    await this.p.ready.catch(() => undefined);
    await this.onPhoneMessage(message);
  }

  private async onPhoneMessage(message: ToWorkerMessage): Promise<void> {
    if (!isStreaming(this.state) || !this.stack.current) return;
    switch (message.t) {
      case "hello":
      case "resize":
        return this.onViewer(message.viewport, message.t === "hello");
      case "frame_ack":
        return this.pacer.drawn(message.seq);
      case "signed_in":
        this.watch.input();
        return this.tryFinish("user");
      default:
        this.watch.input();
        this.pacer.input();
        // A nav "close" only ever closes a popup; everything else is input for the page on view.
        if (message.t === "nav" && message.action === "close") return this.stack.closePopup();
        this.inputQueue = this.inputQueue.then(() => this.stack.current.input.apply(message)).catch(() => undefined);
    }
  }

  private async onViewer(viewport: Viewport, isHello: boolean): Promise<void> {
    if (isHello) this.watch.input();
    await this.stack.view(viewport, isHello);
    if (isHello) this.watch.start();
  }

  private sendFrame(frame: { seq: number; width: number; height: number; jpeg: Uint8Array }): void {
    this.p.channel.sendFrame(frame);
    if (this.state !== "approved" || this.reported.has("live")) return;
    this.reported.add("live");
    // Best effort: the first input or the sign-in reports live again.
    void this.api.report(this.p.created.id, { event: "live" }).catch(() => undefined);
  }

  private send(message: ToPhoneMessage): void {
    this.p?.channel.send(message);
  }

  /** Tells the phone when the page leaves (or returns to) the login page, then looks for the sign-in. */
  private async onLiveTick(): Promise<void> {
    if (!this.recognizer) return;
    const left = await this.recognizer.progress();
    if (left !== null) this.send({ t: "progress", hasLeftLogin: left });
    if (await this.recognizer.looksSignedIn()) await this.tryFinish(this.options.success ? "rule" : "heuristic");
  }

  /**
   * Success is proposed (a rule, the heuristic, or the person): hand over what the sign-in created.
   * Nothing created is no success — the person is asked to keep going (the watch keeps looking); a
   * session kept only in storage, without `includeStorage`, fails with a reason that says so.
   */
  private async tryFinish(detectedBy: Detected): Promise<void> {
    if (this.phase.kind !== "running" || !this.recognizer) return;
    const created = await this.recognizer.created();
    if (this.phase.kind !== "running") return;
    if (created.kind === "nothing") {
      if (detectedBy === "user") this.send({ t: "notice", kind: "not_signed_in_yet" });
      return;
    }
    if (created.kind === "storage_only") {
      return this.failWith(
        new HandoffFailed(
          this.p.created.id,
          FailureReasons.STORAGE_ONLY,
          "the site keeps its session in browser storage: pass includeStorage: true to hand it over",
        ),
      );
    }
    await this.complete(detectedBy, created.cookies, created.storage);
  }

  private async complete(detectedBy: Detected, cookies: Cookie[], storage: OriginStorage | null): Promise<void> {
    this.phase = { kind: "completing" };
    const detectedAt = this.timers.now();
    const id = this.p.created.id;
    try {
      if (this.state === "approved") await this.api.report(id, { event: "live" }).catch(() => undefined);
      this.send({ t: "phase", phase: "signed_in" });
      const handed = await completeHandOver(this.api, id, this.agentPage.context(), cookies, storage);
      this.settle.resolve({
        status: "completed",
        handoffId: id,
        cookies: cookies.map((c) => ({ name: c.name, domain: c.domain })),
        reuseDetected: this.reuseDetected,
        detectedBy,
        storageEntries: handed.storageEntries,
        timings: { linkReadyMs: this.linkReadyMs, detectedToInjectedMs: this.timers.now() - detectedAt },
        release: async () => {
          await handed.signOut();
          await this.api.report(id, { event: "released" }).catch(() => undefined);
        },
      });
    } catch (error) {
      this.settle.reject(error instanceof Error ? error : new HandoffFailed(id, FailureReasons.WORKER_ERROR, "capture failed"));
    }
  }

  /** Ends the handoff as failed with a typed error, once; the server records the reason code. */
  private async failWith(error: HandoffFailed): Promise<void> {
    if (this.phase.kind !== "running" || isTerminal(this.state)) return;
    // The agent gets this error, not the server's echo of it.
    this.settle.reject(error);
    // The relay stops forwarding once the handoff has ended: let what the phone was told go first.
    // Best effort: if the server cannot be told, its own deadlines end the handoff.
    const told = withTimeout(this.p.channel.flushed(), 1000);
    const report = told
      .then(() => this.api.report(this.p.created.id, { event: "failed", reason: error.reason ?? FailureReasons.WORKER_ERROR }))
      .then(
        () => undefined,
        () => undefined,
      );
    this.phase = { kind: "failing", report };
    await report;
  }

  private async abort(): Promise<void> {
    if (this.p) await this.api.report(this.p.created.id, { event: "cancelled" }).catch(() => undefined);
    this.settle.reject(new HandoffCancelled(this.p?.created.id ?? "", "cancelled_by_agent"));
  }

  /** An exception ended run(): the server hears the kind of failure only (a message could quote the page). */
  private async reportCrash(error: unknown): Promise<void> {
    if (this.phase.kind === "failing") return this.phase.report;
    if (!this.p || isTerminal(this.state) || error instanceof HandoffCancelled) return;
    const reason = error instanceof Error && error.name === "TimeoutError" ? FailureReasons.WORKER_TIMEOUT : FailureReasons.WORKER_ERROR;
    await this.api.report(this.p.created.id, { event: "failed", reason }).catch(() => undefined);
  }

  private async cleanup(): Promise<void> {
    this.watch?.stop();
    this.pacer.stop();
    await this.stack.stopAll();
    this.p?.socket.disconnect();
    const hb = await this.p?.opening.catch(() => null);
    await hb?.close();
  }
}
